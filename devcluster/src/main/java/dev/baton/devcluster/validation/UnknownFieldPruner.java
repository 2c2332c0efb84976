package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removes the fields a CRD's schema does not declare, as the API server prunes custom resources
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning),
 * and tells which fields it removed, for {@code fieldValidation=Warn} and {@code Strict}.
 *
 * <p>Kept: everything under {@code x-kubernetes-preserve-unknown-fields: true} (declared fields below it
 * are still pruned inside), map entries ({@code additionalProperties}), and {@code apiVersion},
 * {@code kind} and {@code metadata} at the root and in {@code x-kubernetes-embedded-resource} objects.
 * {@code metadata} itself is ObjectMeta, the API front's concern, and is not pruned here.
 */
final class UnknownFieldPruner {

  private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private UnknownFieldPruner() {}

  /**
   * Prunes {@code object} in place.
   *
   * @return the paths of the removed fields ({@code spec.foo}, {@code spec.items[0].bar}) in document order
   */
  static List<String> prune(JsonNode object, SchemaNode schema) {
    List<String> pruned = new ArrayList<>();
    prune(object, schema, FieldPath.root(), true, pruned);
    return pruned;
  }

  private static void prune(JsonNode value, SchemaNode schema, FieldPath path, boolean resourceRoot, List<String> pruned) {
    if (schema == null || value == null) {
      return;
    }
    if (value.isObject()) {
      ObjectNode object = (ObjectNode) value;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if ((resourceRoot || schema.embeddedResource) && RESOURCE_FIELDS.contains(name)) {
          continue;
        }
        SchemaNode declared = schema.properties.get(name);
        SchemaNode child = declared != null ? declared : schema.additionalProperties;
        if (child != null) {
          prune(object.get(name), child, path.child(name), child.embeddedResource, pruned);
        } else if (!schema.keepsUnknownFields()) {
          object.remove(name);
          pruned.add(path.child(name).toString());
        }
      }
    } else if (value.isArray() && schema.items != null) {
      for (int i = 0; i < value.size(); i++) {
        prune(value.get(i), schema.items, path.index(i), schema.items.embeddedResource, pruned);
      }
    }
  }
}
