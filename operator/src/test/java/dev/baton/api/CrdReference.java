package dev.baton.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders a CRD's schema as a Markdown reference: one row per field, with its type, default, constraints
 * and the description the API classes carry. Fields whose type is a Kubernetes type (a PodTemplateSpec,
 * a ServicePort, a Condition) link to the Kubernetes reference instead of repeating it.
 */
final class CrdReference {

  /** Fields that are Kubernetes types: rendered as one row, not expanded. */
  private static final Map<String, String> KUBERNETES_TYPES = Map.of(
      "spec.template", "[PodTemplateSpec](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-template-v1/#PodTemplateSpec)",
      "spec.service.ports[]", "[ServicePort](https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec)",
      "status.conditions[]", "[Condition](https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/#Condition)");

  private CrdReference() {}

  static String render(String crdYaml) {
    JsonNode crd = Serialization.unmarshal(crdYaml, JsonNode.class);
    JsonNode version = crd.at("/spec/versions/0");
    JsonNode schema = version.at("/schema/openAPIV3Schema");
    String kind = crd.at("/spec/names/kind").asText();
    StringBuilder out = new StringBuilder();
    out.append("# ").append(kind).append(" reference\n\n")
        .append("<!-- Generated from crds/").append(crd.at("/metadata/name").asText())
        .append("-v1.yml by ReferenceDocsTest; edit the API classes' descriptions, not this file. -->\n\n")
        .append("`apiVersion: ").append(crd.at("/spec/group").asText()).append('/').append(version.get("name").asText())
        .append("`, `kind: ").append(kind).append("`, namespaced. Short names: ")
        .append(join(crd.at("/spec/names/shortNames"))).append("; category: ")
        .append(join(crd.at("/spec/names/categories"))).append(".\n\n");
    rules(out, "", schema);
    for (String part : List.of("spec", "status")) {
      JsonNode node = schema.at("/properties/" + part);
      if (node.isMissingNode()) {
        continue;
      }
      out.append("## ").append(part).append("\n\n");
      if (node.has("description")) {
        out.append(node.get("description").asText()).append("\n\n");
      }
      out.append("| Field | Type | Default | Description |\n|---|---|---|---|\n");
      List<String> ruleLines = new ArrayList<>();
      fields(out, ruleLines, part, node);
      out.append('\n');
      if (!ruleLines.isEmpty()) {
        out.append("Rules checked when the object is written:\n\n");
        ruleLines.forEach(line -> out.append(line).append('\n'));
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static void fields(StringBuilder out, List<String> ruleLines, String path, JsonNode node) {
    collectRules(ruleLines, path, node);
    JsonNode properties = node.get("properties");
    if (properties == null || KUBERNETES_TYPES.containsKey(path)) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldPath = path + "." + field.getKey();
      JsonNode schema = field.getValue();
      boolean required = node.has("required") && contains(node.get("required"), field.getKey());
      out.append("| `").append(fieldPath).append('`').append(required ? " (required)" : "")
          .append(" | ").append(type(fieldPath, schema))
          .append(" | ").append(schema.has("default") ? "`" + schema.get("default").toString().replace("\"", "") + "`" : "")
          .append(" | ").append(description(schema)).append(constraints(schema)).append(" |\n");
      if ("array".equals(schema.path("type").asText())) {
        String itemPath = fieldPath + "[]";
        if (KUBERNETES_TYPES.containsKey(itemPath)) {
          continue;
        }
        fields(out, ruleLines, itemPath, schema.get("items"));
      } else {
        fields(out, ruleLines, fieldPath, schema);
      }
    }
  }

  private static void rules(StringBuilder out, String path, JsonNode node) {
    List<String> lines = new ArrayList<>();
    collectRules(lines, path.isEmpty() ? "metadata" : path, node);
    if (!lines.isEmpty()) {
      out.append("Rules on the whole object:\n\n");
      lines.forEach(line -> out.append(line).append('\n'));
      out.append('\n');
    }
  }

  private static void collectRules(List<String> lines, String path, JsonNode node) {
    JsonNode rules = node.get("x-kubernetes-validations");
    if (rules == null) {
      return;
    }
    for (JsonNode rule : rules) {
      lines.add("- `" + path + "`: " + rule.get("message").asText());
    }
  }

  private static String type(String path, JsonNode schema) {
    if (KUBERNETES_TYPES.containsKey(path)) {
      return KUBERNETES_TYPES.get(path);
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      return "int or string";
    }
    String type = schema.path("type").asText("object");
    if ("array".equals(type)) {
      String items = KUBERNETES_TYPES.getOrDefault(path + "[]", schema.at("/items/type").asText("object"));
      return "list of " + items;
    }
    return type;
  }

  private static String description(JsonNode schema) {
    return schema.path("description").asText("").replace("|", "\\|").replace("\n", " ");
  }

  private static String constraints(JsonNode schema) {
    List<String> parts = new ArrayList<>();
    if (schema.has("enum")) {
      parts.add("One of: " + join(schema.get("enum")) + ".");
    }
    if (schema.has("minimum")) {
      parts.add("Minimum " + schema.get("minimum").asLong() + ".");
    }
    if (schema.has("maximum")) {
      parts.add("Maximum " + schema.get("maximum").asLong() + ".");
    }
    if (schema.has("maxLength")) {
      parts.add("At most " + schema.get("maxLength").asLong() + " characters.");
    }
    if (schema.has("maxItems")) {
      parts.add("At most " + schema.get("maxItems").asLong() + " items.");
    }
    if (schema.has("pattern")) {
      parts.add("Pattern `" + schema.get("pattern").asText().replace("|", "\\|") + "`.");
    }
    return parts.isEmpty() ? "" : " " + String.join(" ", parts);
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (value.equals(item.asText())) {
        return true;
      }
    }
    return false;
  }

  private static String join(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add("`" + v.asText() + "`"));
    return String.join(", ", values);
  }
}
