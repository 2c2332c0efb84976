package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts JSON values into the values cel-java evaluates: maps, lists, {@code Long}, {@code Double},
 * {@code String}, {@code Boolean} and CEL's null.
 *
 * <p>Integers are always {@code Long}: cel-java's {@code int} is a Java long and finds no overload for
 * {@code Integer}, so a value Jackson parsed as an {@code IntNode} would break {@code self.replicas >= 0}.
 * Fields of {@code type: number} are always {@code Double}, even when written as {@code 1}, as
 * Kubernetes' {@code UnstructuredToVal} does. Declared property names are escaped as Kubernetes escapes
 * them for CEL ({@code foo-bar} is {@code self.foo__dash__bar}; see "Escaping" in
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules).
 *
 * <p>One instance serves one validation call and converts each JSON node once, however many rules
 * at different levels see it.
 */
final class CelValues {

  static final String SELF = "self";
  static final String OLD_SELF = "oldSelf";

  private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
      "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
      "var", "void", "while");
  private static final Pattern ESCAPABLE = Pattern.compile("^[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*$");

  private final Map<JsonNode, Object> converted = new IdentityHashMap<>();

  /**
   * The value of {@code self} (or {@code oldSelf}) for a rule on a node of this schema. At the root of a
   * resource (the object, or an {@code x-kubernetes-embedded-resource}) {@code metadata} shows only
   * {@code name} and {@code generateName}, the only metadata the API server exposes to rules.
   */
  Object of(JsonNode value, SchemaNode schema, boolean resourceRoot) {
    if (!resourceRoot || !value.isObject()) {
      return convert(value, schema);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      if ("metadata".equals(field.getKey()) && field.getValue().isObject()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String visible : List.of("name", "generateName")) {
          JsonNode text = field.getValue().get(visible);
          if (text != null && text.isTextual()) {
            metadata.put(visible, text.textValue());
          }
        }
        root.put("metadata", Collections.unmodifiableMap(metadata));
      } else {
        root.put(name(field.getKey(), schema), convert(field.getValue(), schema == null ? null : schema.property(field.getKey())));
      }
    }
    return Collections.unmodifiableMap(root);
  }

  private Object convert(JsonNode value, SchemaNode schema) {
    if (value.isContainerNode()) {
      Object known = converted.get(value);
      if (known != null) {
        return known;
      }
      Object result = value.isArray() ? list(value, schema) : map(value, schema);
      converted.put(value, result);
      return result;
    }
    return scalar(value, schema);
  }

  private Object list(JsonNode array, SchemaNode schema) {
    SchemaNode items = schema == null ? null : schema.items;
    List<Object> list = new ArrayList<>(array.size());
    array.forEach(item -> list.add(convert(item, items)));
    return Collections.unmodifiableList(list);
  }

  private Object map(JsonNode object, SchemaNode schema) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      map.put(name(field.getKey(), schema), convert(field.getValue(), schema == null ? null : schema.property(field.getKey())));
    }
    return Collections.unmodifiableMap(map);
  }

  private static Object scalar(JsonNode value, SchemaNode schema) {
    String type = schema == null ? "" : schema.type;
    if (value.isNull() || value.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      if ("number".equals(type)) {
        return value.doubleValue();
      }
      if (value.isIntegralNumber() || ("integer".equals(type) && GoValues.isWhole(value.doubleValue()))) {
        return value.longValue();
      }
      return value.doubleValue();
    }
    return value.asText();
  }

  /** Declared properties get Kubernetes' CEL escaping; map keys and unknown fields stay as written. */
  private static String name(String field, SchemaNode schema) {
    if (schema == null || !schema.properties.containsKey(field)) {
      return field;
    }
    return escape(field);
  }

  static String escape(String name) {
    if (RESERVED.contains(name)) {
      return "__" + name + "__";
    }
    if (!ESCAPABLE.matcher(name).matches()) {
      return name;
    }
    return name.replace("__", "__underscores__")
        .replace(".", "__dot__")
        .replace("-", "__dash__")
        .replace("/", "__slash__");
  }
}
