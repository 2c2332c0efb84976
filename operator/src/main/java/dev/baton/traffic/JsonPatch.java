package dev.baton.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An RFC 6902 JSON patch: the exact operations Baton sends, in order. Paths are RFC 6901 pointers; list positions
 * in them are only meaningful for the object they were computed from, which is why a patch on a user's object
 * starts with a {@code test} of its resourceVersion.
 */
public record JsonPatch(List<Operation> operations) {

  public JsonPatch {
    operations = List.copyOf(operations);
  }

  /** The patch as the API takes it ({@code application/json-patch+json}). */
  public String toJson() {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    operations.forEach(o -> array.add(o.toJson()));
    return array.toString();
  }

  /** The operations without the resourceVersion guard: what the patch changes. */
  public List<Operation> changes() {
    return operations.stream().filter(o -> !o.op().equals("test")).toList();
  }

  @Override
  public String toString() {
    return operations.stream().map(Operation::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * One operation.
   *
   * @param op test, add, replace or remove
   * @param path where, as an RFC 6901 pointer
   * @param value the value (null for remove)
   */
  public record Operation(String op, String path, JsonNode value) {

    public static Operation test(String path, String value) {
      return new Operation("test", path, JsonNodeFactory.instance.textNode(value));
    }

    public static Operation add(String path, JsonNode value) {
      return new Operation("add", path, value);
    }

    public static Operation replace(String path, JsonNode value) {
      return new Operation("replace", path, value);
    }

    public static Operation remove(String path) {
      return new Operation("remove", path, null);
    }

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode().put("op", op).put("path", path);
      if (value != null) {
        node.set("value", value);
      }
      return node;
    }

    @Override
    public String toString() {
      return toJson().toString();
    }
  }
}
