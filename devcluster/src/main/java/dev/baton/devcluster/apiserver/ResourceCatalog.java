package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which resources the API serves right now: the built-in kinds, plus every served version of every stored
 * CustomResourceDefinition, so a CRD applied later appears in discovery at once (as the real API server does once
 * the CRD is Established).
 */
final class ResourceCatalog {

  static final ResourceRef CRDS = new ResourceRef("apiextensions.k8s.io", "v1", null, "customresourcedefinitions", null, null);

  private final Store store;
  private final List<ResourceType> builtIns = BuiltInResources.all();

  ResourceCatalog(Store store) {
    this.store = store;
  }

  /** Every served resource, built-in first. */
  List<ResourceType> all() {
    List<ResourceType> all = new ArrayList<>(builtIns);
    all.addAll(BuiltInResources.REVIEWS);
    for (Store.Stored crd : store.list(CRDS)) {
      all.addAll(fromCrd(crd.object()));
    }
    return all;
  }

  Optional<ResourceType> find(String group, String version, String plural) {
    return all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  Optional<ResourceType> findByKind(String apiVersion, String kind) {
    return all().stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
  }

  /** The stored CRD that defines {@code plural.group}, if the resource is a custom one. */
  Optional<ObjectNode> crdFor(String group, String plural) {
    return store.get(CRDS.withName(plural + "." + group));
  }

  static boolean isReview(ResourceType type) {
    return BuiltInResources.REVIEWS.contains(type);
  }

  static List<ResourceType> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<ResourceType> types = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      JsonNode subresources = version.path("subresources");
      JsonNode scale = subresources.path("scale");
      types.add(new ResourceType(
          spec.path("group").asText(),
          version.path("name").asText(),
          names.path("kind").asText(),
          names.path("plural").asText(),
          names.path("singular").asText(names.path("kind").asText().toLowerCase(java.util.Locale.ROOT)),
          !"Cluster".equals(spec.path("scope").asText()),
          strings(names.path("shortNames")),
          strings(names.path("categories")),
          subresources.has("status"),
          scale.isObject()
              ? new ResourceType.ScalePaths(
                  scale.path("specReplicasPath").asText(),
                  scale.path("statusReplicasPath").asText(),
                  scale.path("labelSelectorPath").asText(null))
              : null));
    }
    return types;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
