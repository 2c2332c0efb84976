package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies the schema's {@code default} values, as the API server does after pruning
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting):
 *
 * <ul>
 *   <li>a declared field that is absent gets a copy of its default, and defaulting continues inside the
 *       copy (a defaulted object gets its own fields' defaults);
 *   <li>a field that is {@code null} but not {@code nullable} gets its default, or is removed when it has
 *       none ("null values for fields that either don't specify the nullable flag, or give it a false
 *       value, will be pruned before defaulting happens");
 *   <li>defaults apply inside list items and map values too.
 * </ul>
 *
 * <p>The root's {@code metadata} is left alone: it is ObjectMeta, not part of the CRD's schema here.
 */
final class SchemaDefaulter {

  private SchemaDefaulter() {}

  /** Defaults {@code object} in place. */
  static void apply(JsonNode object, SchemaNode schema) {
    apply(object, schema, true);
  }

  private static void apply(JsonNode value, SchemaNode schema, boolean resourceRoot) {
    if (schema == null || value == null) {
      return;
    }
    if (value.isObject()) {
      ObjectNode object = (ObjectNode) value;
      for (Map.Entry<String, SchemaNode> property : schema.properties.entrySet()) {
        SchemaNode propertySchema = property.getValue();
        JsonNode current = object.get(property.getKey());
        if (propertySchema.defaultValue != null && (current == null || isNonNullableNull(current, propertySchema))) {
          object.set(property.getKey(), propertySchema.defaultValue.deepCopy());
        }
      }
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (resourceRoot && "metadata".equals(name)) {
          continue;
        }
        SchemaNode declared = schema.properties.get(name);
        SchemaNode child = declared != null ? declared : schema.additionalProperties;
        if (child == null) {
          continue;
        }
        JsonNode fieldValue = object.get(name);
        if (isNonNullableNull(fieldValue, child)) {
          if (child.defaultValue != null) {
            object.set(name, child.defaultValue.deepCopy());
          } else {
            object.remove(name);
            continue;
          }
        }
        apply(object.get(name), child, child.embeddedResource);
      }
    } else if (value.isArray() && schema.items != null) {
      ArrayNode array = (ArrayNode) value;
      for (int i = 0; i < array.size(); i++) {
        if (isNonNullableNull(array.get(i), schema.items) && schema.items.defaultValue != null) {
          array.set(i, schema.items.defaultValue.deepCopy());
        }
        apply(array.get(i), schema.items, schema.items.embeddedResource);
      }
    }
  }

  private static boolean isNonNullableNull(JsonNode value, SchemaNode schema) {
    return value != null && value.isNull() && !schema.nullable;
  }
}
