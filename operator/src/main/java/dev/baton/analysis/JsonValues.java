package dev.baton.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON and turns it into the values cel-java evaluates: maps, lists, {@code Long}, {@code Double},
 * {@code String}, {@code Boolean} and CEL's null.
 *
 * <p>Integers must be {@code Long}: CEL's {@code int} is a Java long, and an {@code Integer} finds no
 * overload for {@code result < 1}. Hence {@code USE_LONG_FOR_INTS} (STACK.md) and the explicit
 * conversion below.
 */
final class JsonValues {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private JsonValues() {}

  /** Parses a body, or says why it is not JSON. */
  static JsonNode parse(String body) throws JsonProcessingException {
    return MAPPER.readTree(body);
  }

  /** The CEL value of a JSON node. */
  static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(toCel(item)));
      return Collections.unmodifiableList(list);
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(field -> map.put(field.getKey(), toCel(field.getValue())));
      return Collections.unmodifiableMap(map);
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.asText();
  }
}
