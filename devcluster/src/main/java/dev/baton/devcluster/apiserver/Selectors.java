package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Label and field selectors, as list and watch requests carry them
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors and
 * .../field-selectors/). Set-based requirements ({@code in}, {@code notin}) work here, unlike in fabric8's mock,
 * which ignores them.
 */
final class Selectors {

  private Selectors() {}

  /** Both selectors of a request, as one predicate over objects; {@code null} selectors match everything. */
  static Predicate<JsonNode> of(String labelSelector, String fieldSelector) {
    return labels(labelSelector).and(fields(fieldSelector));
  }

  static Predicate<JsonNode> labels(String selector) {
    Predicate<JsonNode> all = o -> true;
    if (selector == null || selector.isBlank()) {
      return all;
    }
    for (String requirement : splitRequirements(selector)) {
      all = all.and(labelRequirement(requirement.trim()));
    }
    return all;
  }

  private static Predicate<JsonNode> labelRequirement(String requirement) {
    String lower = requirement.replaceAll("\\s+", " ");
    int in = lower.indexOf(" in ");
    int notIn = lower.indexOf(" notin ");
    if (notIn > 0) {
      String key = lower.substring(0, notIn).trim();
      Set<String> values = valueSet(lower.substring(notIn + 7));
      return o -> !values.contains(label(o, key));
    }
    if (in > 0) {
      String key = lower.substring(0, in).trim();
      Set<String> values = valueSet(lower.substring(in + 4));
      return o -> values.contains(label(o, key));
    }
    if (lower.contains("!=")) {
      String[] kv = lower.split("!=", 2);
      return o -> !kv[1].trim().equals(label(o, kv[0].trim()));
    }
    if (lower.contains("=")) {
      String[] kv = lower.split("==?", 2);
      return o -> kv[1].trim().equals(label(o, kv[0].trim()));
    }
    if (lower.startsWith("!")) {
      String key = lower.substring(1).trim();
      return o -> label(o, key) == null;
    }
    return o -> label(o, lower) != null;
  }

  private static String label(JsonNode object, String key) {
    JsonNode value = object.path("metadata").path("labels").get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Set<String> valueSet(String parenthesised) {
    String inner = parenthesised.trim().replaceAll("^\\(|\\)$", "");
    return Arrays.stream(inner.split(",")).map(String::trim).collect(Collectors.toSet());
  }

  /** Splits on commas that are not inside a set's parentheses: {@code a in (x,y),b} is two requirements. */
  private static List<String> splitRequirements(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  /**
   * Field selectors: {@code =}, {@code ==} and {@code !=} on a dotted path ({@code metadata.name},
   * {@code status.phase}, {@code involvedObject.uid}...). The real server supports a fixed set of fields per kind;
   * any path works here.
   */
  static Predicate<JsonNode> fields(String selector) {
    Predicate<JsonNode> all = o -> true;
    if (selector == null || selector.isBlank()) {
      return all;
    }
    for (String requirement : selector.split(",")) {
      boolean negated = requirement.contains("!=");
      String[] kv = requirement.split(negated ? "!=" : "==?", 2);
      if (kv.length < 2) {
        continue;
      }
      String path = kv[0].trim();
      String value = kv[1].trim();
      all = all.and(o -> negated != value.equals(field(o, path)));
    }
    return all;
  }

  private static String field(JsonNode object, String path) {
    JsonNode node = object;
    for (String segment : path.split("\\.")) {
      node = node.path(segment);
    }
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }
}
