package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One node of a CRD's {@code openAPIV3Schema}, read once per CRD: its value validations, its children,
 * the Kubernetes extensions ({@code x-kubernetes-*}) and its compiled CEL rules.
 *
 * <p>CRDs in {@code apiextensions.k8s.io/v1} have structural schemas
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema):
 * every field has a type in {@code properties}, {@code items} or {@code additionalProperties}; the
 * logical junctors ({@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}) only add value validations.
 * {@code $ref} and {@code definitions} are not allowed there, so they are not read.
 */
final class SchemaNode {

  final String type;
  final boolean nullable;
  final List<String> required;
  final List<JsonNode> enumValues;
  final Double minimum;
  final Double maximum;
  final boolean exclusiveMinimum;
  final boolean exclusiveMaximum;
  final Double multipleOf;
  final Long minLength;
  final Long maxLength;
  final Long minItems;
  final Long maxItems;
  final Long minProperties;
  final Long maxProperties;
  final String patternText;
  final Pattern pattern;
  final boolean uniqueItems;
  final Map<String, SchemaNode> properties;
  /** The schema of a map's values, or {@code null}. */
  final SchemaNode additionalProperties;
  /** {@code additionalProperties: true}: any value is kept (only allowed with preserve-unknown-fields). */
  final boolean additionalPropertiesAllowed;
  final SchemaNode items;
  final List<SchemaNode> allOf;
  final List<SchemaNode> anyOf;
  final List<SchemaNode> oneOf;
  final SchemaNode not;
  final JsonNode defaultValue;
  final boolean preserveUnknownFields;
  final boolean embeddedResource;
  final boolean intOrString;
  /** {@code atomic}, {@code set} or {@code map} ({@code x-kubernetes-list-type}), or {@code null}. */
  final String listType;
  final List<String> listMapKeys;
  /** {@code atomic} or {@code granular} ({@code x-kubernetes-map-type}), or {@code null}. */
  final String mapType;
  final List<CompiledRule> rules;
  /** A schema keyword that could not be used (an invalid pattern), reported at validation. */
  final String schemaError;
  /** Whether this node or any node below it has CEL rules: the rule walk skips subtrees without any. */
  final boolean containsRules;

  private SchemaNode(JsonNode json, CelRuleCompiler compiler) {
    type = json.path("type").asText("");
    nullable = json.path("nullable").asBoolean(false);
    required = strings(json.get("required"));
    enumValues = new ArrayList<>();
    json.path("enum").forEach(enumValues::add);
    minimum = number(json, "minimum");
    maximum = number(json, "maximum");
    exclusiveMinimum = json.path("exclusiveMinimum").asBoolean(false);
    exclusiveMaximum = json.path("exclusiveMaximum").asBoolean(false);
    multipleOf = number(json, "multipleOf");
    minLength = integer(json, "minLength");
    maxLength = integer(json, "maxLength");
    minItems = integer(json, "minItems");
    maxItems = integer(json, "maxItems");
    minProperties = integer(json, "minProperties");
    maxProperties = integer(json, "maxProperties");
    uniqueItems = json.path("uniqueItems").asBoolean(false);
    patternText = json.hasNonNull("pattern") ? json.get("pattern").asText() : null;
    Pattern compiled = null;
    String error = null;
    if (patternText != null) {
      try {
        compiled = Pattern.compile(patternText);
      } catch (PatternSyntaxException e) {
        error = "pattern " + GoValues.quote(patternText) + " is not a valid regular expression: " + e.getDescription();
      }
    }
    pattern = compiled;
    schemaError = error;

    Map<String, SchemaNode> props = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> property : json.path("properties").properties()) {
      props.put(property.getKey(), new SchemaNode(property.getValue(), compiler));
    }
    properties = Map.copyOf(props);
    JsonNode additional = json.get("additionalProperties");
    additionalProperties = additional != null && additional.isObject() ? new SchemaNode(additional, compiler) : null;
    additionalPropertiesAllowed = additional != null && additional.isBoolean() && additional.booleanValue();
    items = json.path("items").isObject() ? new SchemaNode(json.get("items"), compiler) : null;
    allOf = children(json.get("allOf"), compiler);
    anyOf = children(json.get("anyOf"), compiler);
    oneOf = children(json.get("oneOf"), compiler);
    not = json.path("not").isObject() ? new SchemaNode(json.get("not"), compiler) : null;
    defaultValue = json.has("default") ? json.get("default") : null;
    preserveUnknownFields = json.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    embeddedResource = json.path("x-kubernetes-embedded-resource").asBoolean(false);
    intOrString = json.path("x-kubernetes-int-or-string").asBoolean(false);
    listType = json.hasNonNull("x-kubernetes-list-type") ? json.get("x-kubernetes-list-type").asText() : null;
    listMapKeys = strings(json.get("x-kubernetes-list-map-keys"));
    mapType = json.hasNonNull("x-kubernetes-map-type") ? json.get("x-kubernetes-map-type").asText() : null;

    List<CompiledRule> compiledRules = new ArrayList<>();
    for (JsonNode validation : json.path("x-kubernetes-validations")) {
      String fieldPath = null;
      String fieldPathError = null;
      if (validation.hasNonNull("fieldPath")) {
        try {
          fieldPath = RuleFieldPath.resolve(validation.get("fieldPath").asText(), this);
        } catch (IllegalArgumentException e) {
          fieldPathError = e.getMessage();
        }
      }
      compiledRules.add(compiler.compile(validation, fieldPath, fieldPathError));
    }
    rules = List.copyOf(compiledRules);
    containsRules = !rules.isEmpty()
        || properties.values().stream().anyMatch(property -> property.containsRules)
        || (additionalProperties != null && additionalProperties.containsRules)
        || (items != null && items.containsRules)
        || allOf.stream().anyMatch(schema -> schema.containsRules);
  }

  /** Reads a schema and compiles all rules in it. */
  static SchemaNode read(JsonNode schema, CelRuleCompiler compiler) {
    return new SchemaNode(schema, compiler);
  }

  /** The schema of the object property {@code name}, or {@code null} when the schema does not declare it. */
  SchemaNode property(String name) {
    SchemaNode property = properties.get(name);
    return property != null ? property : additionalProperties;
  }

  /** Whether unknown fields in an object of this schema are kept rather than pruned. */
  boolean keepsUnknownFields() {
    return preserveUnknownFields || additionalPropertiesAllowed;
  }

  /** Every rule compile error in this schema, with the path of its field (for CRD checks in tests). */
  void collectCompileErrors(FieldPath path, List<String> errors) {
    if (schemaError != null) {
      errors.add(path + ": " + schemaError);
    }
    for (CompiledRule rule : rules) {
      if (rule.compileError() != null) {
        errors.add(path + ": rule " + GoValues.quote(rule.rule()) + ": " + rule.compileError());
      }
    }
    properties.forEach((name, property) -> property.collectCompileErrors(path.child(name), errors));
    if (additionalProperties != null) {
      additionalProperties.collectCompileErrors(path.key("*"), errors);
    }
    if (items != null) {
      items.collectCompileErrors(path.key("*"), errors);
    }
    allOf.forEach(schema -> schema.collectCompileErrors(path, errors));
  }

  private static List<SchemaNode> children(JsonNode array, CelRuleCompiler compiler) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<SchemaNode> nodes = new ArrayList<>(array.size());
    array.forEach(schema -> nodes.add(new SchemaNode(schema, compiler)));
    return List.copyOf(nodes);
  }

  private static List<String> strings(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<String> values = new ArrayList<>(array.size());
    array.forEach(value -> values.add(value.asText()));
    return List.copyOf(values);
  }

  private static Double number(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value != null && value.isNumber() ? value.doubleValue() : null;
  }

  private static Long integer(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value != null && value.isNumber() ? value.longValue() : null;
  }
}
