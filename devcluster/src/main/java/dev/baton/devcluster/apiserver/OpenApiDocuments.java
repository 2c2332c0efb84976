package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Just enough OpenAPI v3 for kubectl: one document per group version whose paths declare, for every resource, a
 * PATCH operation tagged with {@code x-kubernetes-group-version-kind} that takes the {@code fieldValidation} query
 * parameter. kubectl 1.32 reads this to decide that the server validates fields itself
 * (k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go); without it {@code kubectl apply} refuses to run
 * ("failed to download openapi") unless {@code --validate=false}. The documents carry no schemas, so
 * {@code kubectl explain} has nothing to show, and kubectl computes strategic merge patches from its compiled-in
 * types. {@code /openapi/v2} answers 404, as on a server that only publishes v3.
 */
final class OpenApiDocuments {

  private final ResourceCatalog catalog;

  OpenApiDocuments(ResourceCatalog catalog) {
    this.catalog = catalog;
  }

  Optional<String> answer(String path) {
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      return Optional.of(root().toString());
    }
    if (path.startsWith("/openapi/v3/")) {
      String groupVersion = path.substring("/openapi/v3/".length());
      return Optional.ofNullable(documents().get(groupVersion)).map(ObjectNode::toString);
    }
    return Optional.empty();
  }

  private ObjectNode root() {
    ObjectNode root = Store.JSON.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    documents().forEach((groupVersion, document) -> paths.putObject(groupVersion)
        .put("serverRelativeURL", "/openapi/v3/" + groupVersion + "?hash=" + Integer.toHexString(document.hashCode())));
    return root;
  }

  /** Group version path ({@code api/v1}, {@code apis/apps/v1}) → its document. */
  private Map<String, ObjectNode> documents() {
    Map<String, ObjectNode> documents = new LinkedHashMap<>();
    for (ResourceType type : catalog.all()) {
      if (ResourceCatalog.isReview(type)) {
        continue;
      }
      String key = type.groupVersionPath().substring(1);
      ObjectNode document = documents.computeIfAbsent(key, k -> {
        ObjectNode d = Store.JSON.createObjectNode().put("openapi", "3.0.0");
        d.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        d.putObject("paths");
        d.putObject("components").putObject("schemas");
        return d;
      });
      String item = type.groupVersionPath() + (type.namespaced() ? "/namespaces/{namespace}/" : "/")
          + type.plural() + "/{name}";
      ObjectNode patch = document.with("paths").putObject(item).putObject("patch");
      patch.putObject("x-kubernetes-group-version-kind")
          .put("group", type.group()).put("version", type.version()).put("kind", type.kind());
      ArrayNode parameters = patch.putArray("parameters");
      for (String parameter : new String[] {"fieldValidation", "dryRun", "fieldManager", "force"}) {
        parameters.addObject().put("name", parameter).put("in", "query").putObject("schema").put("type", "string");
      }
      patch.putObject("responses");
    }
    return documents;
  }
}
