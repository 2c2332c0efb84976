package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset that CRD printer columns use (https://kubernetes.io/docs/reference/kubectl/jsonpath/):
 * fields ({@code .spec.replicas}), indexes ({@code [0]}), wildcards ({@code [*]}) and equality filters
 * ({@code [?(@.type=="Ready")]}). Missing fields yield no value, as the API server's table convertor allows.
 */
final class SimpleJsonPath {

  private static final Pattern FILTER = Pattern.compile("\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']?([^\"')]*)[\"']?\\)");

  private SimpleJsonPath() {}

  static List<JsonNode> evaluate(JsonNode root, String path) {
    String expression = path.trim();
    if (expression.startsWith("{") && expression.endsWith("}")) {
      expression = expression.substring(1, expression.length() - 1);
    }
    List<JsonNode> current = List.of(root);
    for (String step : steps(expression)) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        next.addAll(step(node, step));
      }
      current = next;
    }
    return current.stream().filter(n -> !n.isMissingNode() && !n.isNull()).toList();
  }

  /** Splits {@code .a.b[?(@.x=="y")].c} into {@code a}, {@code b}, {@code [?(@.x=="y")]}, {@code c}. */
  private static List<String> steps(String expression) {
    List<String> steps = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (char c : expression.toCharArray()) {
      if (c == '[') {
        if (depth == 0 && current.length() > 0) {
          steps.add(current.toString());
          current.setLength(0);
        }
        depth++;
      }
      if (c == '.' && depth == 0) {
        if (current.length() > 0) {
          steps.add(current.toString());
        }
        current.setLength(0);
        continue;
      }
      current.append(c);
      if (c == ']') {
        depth--;
        if (depth == 0) {
          steps.add(current.toString());
          current.setLength(0);
        }
      }
    }
    if (current.length() > 0) {
      steps.add(current.toString());
    }
    return steps;
  }

  private static List<JsonNode> step(JsonNode node, String step) {
    if (!step.startsWith("[")) {
      return List.of(node.path(step));
    }
    String inner = step.substring(1, step.length() - 1).trim();
    List<JsonNode> result = new ArrayList<>();
    if (inner.equals("*")) {
      node.forEach(result::add);
      return result;
    }
    Matcher filter = FILTER.matcher(inner);
    if (filter.matches()) {
      for (JsonNode element : node) {
        JsonNode value = element;
        for (String field : filter.group(1).split("\\.")) {
          value = value.path(field);
        }
        if (!value.isMissingNode() && value.asText().equals(filter.group(2))) {
          result.add(element);
        }
      }
      return result;
    }
    if (inner.matches("-?\\d+")) {
      int index = Integer.parseInt(inner);
      result.add(node.path(index < 0 ? node.size() + index : index));
      return result;
    }
    result.add(node.path(inner.replaceAll("^['\"]|['\"]$", "")));
    return result;
  }
}
