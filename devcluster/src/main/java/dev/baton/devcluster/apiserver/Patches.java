package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The four patch types of the API (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/):
 * JSON patch (RFC 6902, applied by fabric8's zjsonpatch), JSON merge patch (RFC 7386), strategic merge patch
 * ({@link StrategicMergePatch}; built-in kinds only, as on the real server) and server-side apply.
 *
 * <p>Server-side apply is approximated as create-or-strategic-merge of the applied configuration: field ownership
 * ({@code managedFields}), conflicts between managers and the removal of fields a manager stopped applying are not
 * modelled.
 */
final class Patches {

  enum Type {
    JSON("application/json-patch+json"),
    MERGE("application/merge-patch+json"),
    STRATEGIC("application/strategic-merge-patch+json"),
    APPLY("application/apply-patch+yaml");

    final String mediaType;

    Type(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Patches() {}

  static Type typeOf(String contentType) {
    String media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    for (Type type : Type.values()) {
      if (type.mediaType.equals(media)) {
        return type;
      }
    }
    if (media.equals("application/apply-patch+json")) {
      return Type.APPLY;
    }
    throw ApiException.unsupportedMediaType(contentType);
  }

  /** The patch document; apply patches may be YAML (JSON is YAML too). */
  static JsonNode parse(Type type, String body) {
    try {
      return type == Type.APPLY ? YAML.readTree(body) : Store.JSON.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("the patch could not be parsed: " + e.getMessage());
    }
  }

  static JsonNode apply(Type type, JsonNode current, JsonNode patch) {
    return switch (type) {
      case JSON -> jsonPatch(current, patch);
      case MERGE -> mergePatch(current, patch);
      case STRATEGIC, APPLY -> StrategicMergePatch.apply(current, patch);
    };
  }

  private static JsonNode jsonPatch(JsonNode current, JsonNode patch) {
    try {
      return JsonPatch.apply(patch, current);
    } catch (JsonPatchException | IllegalArgumentException e) {
      // The real server answers a failing JSON patch (a "test" that fails, a missing path) with 422.
      throw ApiException.invalidPatch(e.getMessage());
    }
  }

  /** RFC 7386: objects merge recursively, {@code null} removes a field, anything else replaces the target. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Store.JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
