package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a strategic merge patch (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/)
 * the way the API server does for the fields kubectl relies on: maps merge and {@code null} deletes; lists whose
 * Kubernetes type declares {@code patchStrategy: merge} merge element by their {@code patchMergeKey} (containers
 * by {@code name}, container ports by {@code containerPort}, conditions by {@code type}...); other lists are
 * replaced; the directives {@code $patch} (replace, delete, merge), {@code $retainKeys},
 * {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>} are honoured.
 *
 * <p>The real server reads merge keys from the Go types' struct tags; here they come from a table of field names,
 * which is exact for the core and apps kinds Baton uses.
 */
final class StrategicMergePatch {

  /** Field name → patchMergeKey, from the struct tags of k8s.io/api core/v1 and meta/v1. */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"),
      Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"),
      Map.entry("env", "name"),
      Map.entry("volumes", "name"),
      Map.entry("volumeMounts", "mountPath"),
      Map.entry("volumeDevices", "devicePath"),
      Map.entry("imagePullSecrets", "name"),
      Map.entry("hostAliases", "ip"),
      Map.entry("conditions", "type"),
      Map.entry("ownerReferences", "uid"),
      Map.entry("resourceClaims", "name"),
      Map.entry("topologySpreadConstraints", "topologyKey"));

  /** Lists of scalars with {@code patchStrategy: merge}: the patch's values are added to the stored ones. */
  private static final Set<String> MERGED_SCALAR_LISTS = Set.of("finalizers");

  private StrategicMergePatch() {}

  static JsonNode apply(JsonNode original, JsonNode patch) {
    if (!patch.isObject() || !original.isObject()) {
      return patch.deepCopy();
    }
    return mergeObject((ObjectNode) original.deepCopy(), (ObjectNode) patch);
  }

  private static JsonNode mergeObject(ObjectNode target, ObjectNode patch) {
    String directive = patch.path("$patch").asText("");
    if (directive.equals("replace")) {
      ObjectNode replaced = patch.deepCopy();
      replaced.remove("$patch");
      return replaced;
    }
    if (directive.equals("delete")) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals("$patch") || key.equals("$retainKeys") || key.startsWith("$setElementOrder/")) {
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String listName = key.substring("$deleteFromPrimitiveList/".length());
        if (target.get(listName) instanceof ArrayNode list) {
          Set<JsonNode> doomed = new HashSet<>();
          value.forEach(doomed::add);
          removeIf(list, doomed::contains);
        }
        continue;
      }
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && target.get(key) instanceof ObjectNode existing) {
        JsonNode merged = mergeObject(existing, (ObjectNode) value);
        if (merged == null) {
          target.remove(key);
        } else {
          target.set(key, merged);
        }
      } else if (value.isArray() && target.get(key) instanceof ArrayNode existing) {
        target.set(key, mergeList(key, existing, (ArrayNode) value));
      } else {
        target.set(key, withoutDirectives(value));
      }
    }
    if (patch.get("$retainKeys") instanceof ArrayNode retain) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      List<String> names = new ArrayList<>();
      target.fieldNames().forEachRemaining(names::add);
      names.stream().filter(n -> !keep.contains(n)).forEach(target::remove);
    }
    return target;
  }

  private static JsonNode mergeList(String field, ArrayNode target, ArrayNode patch) {
    for (JsonNode element : patch) {
      if (element.isObject() && element.path("$patch").asText("").equals("replace")) {
        ArrayNode replaced = Store.JSON.createArrayNode();
        patch.forEach(e -> {
          if (!e.path("$patch").asText("").equals("replace")) {
            replaced.add(e.deepCopy());
          }
        });
        return replaced;
      }
    }
    if (MERGED_SCALAR_LISTS.contains(field)) {
      ArrayNode merged = target.deepCopy();
      Set<JsonNode> present = new HashSet<>();
      merged.forEach(present::add);
      patch.forEach(v -> {
        if (present.add(v)) {
          merged.add(v);
        }
      });
      return merged;
    }
    String mergeKey = mergeKey(field, target, patch);
    if (mergeKey == null) {
      return withoutDirectives(patch);
    }
    ArrayNode merged = target.deepCopy();
    for (JsonNode element : patch) {
      JsonNode keyValue = element.get(mergeKey);
      int index = indexOf(merged, mergeKey, keyValue);
      if (element.path("$patch").asText("").equals("delete")) {
        if (index >= 0) {
          merged.remove(index);
        }
      } else if (index >= 0) {
        JsonNode result = mergeObject((ObjectNode) merged.get(index), (ObjectNode) element);
        merged.set(index, result);
      } else {
        merged.add(withoutDirectives(element));
      }
    }
    return merged;
  }

  /** Container ports merge by containerPort, Service ports by port (their Go types differ, their JSON name not). */
  private static String mergeKey(String field, ArrayNode target, ArrayNode patch) {
    if (field.equals("ports")) {
      JsonNode sample = patch.size() > 0 ? patch.get(0) : target.path(0);
      return sample.has("containerPort") ? "containerPort" : "port";
    }
    String key = MERGE_KEYS.get(field);
    boolean allObjects = true;
    for (JsonNode e : patch) {
      allObjects &= e.isObject();
    }
    return key != null && allObjects ? key : null;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value != null && value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static void removeIf(ArrayNode list, java.util.function.Predicate<JsonNode> doomed) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (doomed.test(list.get(i))) {
        list.remove(i);
      }
    }
  }

  /** New values are stored without the patch's directives (a new container carrying {@code $patch} etc.). */
  private static JsonNode withoutDirectives(JsonNode value) {
    JsonNode copy = value.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      names.stream().filter(n -> n.startsWith("$")).forEach(object::remove);
      object.forEach(StrategicMergePatch::strip);
    } else if (node instanceof ArrayNode array) {
      array.forEach(StrategicMergePatch::strip);
    }
  }
}
