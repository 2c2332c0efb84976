package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a value against the OpenAPI v3 value validations of a CRD schema and words the errors as the
 * API server does: kube-openapi's messages ({@code spec.replicas in body should be greater than or equal
 * to 0}) turned into field errors by apiextensions-apiserver's {@code kubeOpenAPIResultToFieldErrors}
 * (Required, Unsupported value, Too long, Too many, Invalid value), plus the list-type checks of
 * {@code x-kubernetes-list-type} (https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy).
 *
 * <p>{@code format} is not asserted, so CRD strings such as durations ({@code 5m}) pass, as they do on a
 * real server for unknown formats. {@code metadata} of a resource is left to the API front (ObjectMeta
 * validation), as the real server does not check it against the CRD schema.
 */
final class OpenApiValueValidator {

  /** The errors found, and whether any of them keeps the CEL rules from running. */
  record Outcome(List<FieldError> errors, boolean blocksRules) {}

  private static final Set<String> BLOCKING_TYPES =
      Set.of(FieldErrors.NOT_SUPPORTED, FieldErrors.REQUIRED, FieldErrors.TOO_LONG, FieldErrors.TOO_MANY);

  private final List<FieldError> errors;
  private boolean typeErrors;

  private OpenApiValueValidator(List<FieldError> errors) {
    this.errors = errors;
  }

  /**
   * Validates an object. As {@code hasBlockingErr} in apiextensions-apiserver's {@code strategy.go}, a wrong
   * type, an unsupported enum value, a missing required field, or a too long string or list means the CEL
   * rules cannot be trusted to see the fields they expect, so they do not run.
   */
  static Outcome validate(JsonNode object, SchemaNode schema) {
    List<FieldError> errors = new ArrayList<>();
    OpenApiValueValidator validator = new OpenApiValueValidator(errors);
    validator.check(object, schema, FieldPath.root(), true);
    boolean blocking = validator.typeErrors || errors.stream().anyMatch(error -> BLOCKING_TYPES.contains(error.type()));
    return new Outcome(errors, blocking);
  }

  /** Validates against a sub-schema of a junctor ({@code anyOf} ...) and tells whether it passed. */
  private List<FieldError> trial(JsonNode value, SchemaNode schema, FieldPath path) {
    List<FieldError> trialErrors = new ArrayList<>();
    new OpenApiValueValidator(trialErrors).check(value, schema, path, false);
    return trialErrors;
  }

  private void check(JsonNode value, SchemaNode schema, FieldPath path, boolean resourceRoot) {
    if (schema == null) {
      return;
    }
    String name = path.isRoot() ? "" : path.toString();
    if (schema.schemaError != null) {
      errors.add(FieldErrors.invalid(path, GoValues.quote(schema.type), schema.schemaError));
    }
    if (value == null || value.isNull()) {
      if (!schema.nullable && !schema.type.isEmpty()) {
        typeError(path, name, schema.type, value);
      }
      return;
    }
    if (!hasType(value, schema)) {
      typeError(path, name, schema.intOrString ? "integer-or-string" : schema.type, value);
      return;
    }
    if (!schema.enumValues.isEmpty() && schema.enumValues.stream().noneMatch(allowed -> sameValue(allowed, value))) {
      List<String> supported = new ArrayList<>();
      schema.enumValues.forEach(allowed -> supported.add(allowed.isTextual() ? allowed.textValue() : GoValues.json(allowed)));
      errors.add(FieldErrors.notSupported(path, GoValues.badValue(value), supported));
    }
    if (value.isNumber()) {
      checkNumber(value, schema, path, name);
    } else if (value.isTextual()) {
      checkString(value.textValue(), value, schema, path, name);
    } else if (value.isArray()) {
      checkArray(value, schema, path, name);
    } else if (value.isObject()) {
      checkObject(value, schema, path, name, resourceRoot);
    }
    checkJunctors(value, schema, path, name);
  }

  private static boolean hasType(JsonNode value, SchemaNode schema) {
    if (schema.intOrString) {
      return value.isTextual() || value.isIntegralNumber() || (value.isNumber() && GoValues.isWhole(value.doubleValue()));
    }
    return switch (schema.type) {
      case "" -> true;
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "number" -> value.isNumber();
      case "integer" -> value.isIntegralNumber() || (value.isNumber() && GoValues.isWhole(value.doubleValue()));
      default -> true;
    };
  }

  private void typeError(FieldPath path, String name, String type, JsonNode value) {
    typeErrors = true;
    String actual = GoValues.quote(GoValues.typeName(value));
    errors.add(FieldErrors.invalid(path, actual, name + " in body must be of type " + type + ": " + actual));
  }

  private void checkNumber(JsonNode value, SchemaNode schema, FieldPath path, String name) {
    double number = value.doubleValue();
    String bad = GoValues.badValue(value);
    if (schema.minimum != null) {
      boolean tooSmall = schema.exclusiveMinimum ? number <= schema.minimum : number < schema.minimum;
      if (tooSmall) {
        errors.add(FieldErrors.invalid(path, bad, name + " in body should be greater than "
            + (schema.exclusiveMinimum ? "" : "or equal to ") + GoValues.number(schema.minimum)));
      }
    }
    if (schema.maximum != null) {
      boolean tooLarge = schema.exclusiveMaximum ? number >= schema.maximum : number > schema.maximum;
      if (tooLarge) {
        errors.add(FieldErrors.invalid(path, bad, name + " in body should be less than "
            + (schema.exclusiveMaximum ? "" : "or equal to ") + GoValues.number(schema.maximum)));
      }
    }
    if (schema.multipleOf != null && schema.multipleOf != 0) {
      BigDecimal remainder = value.decimalValue().remainder(BigDecimal.valueOf(schema.multipleOf));
      if (remainder.signum() != 0) {
        errors.add(FieldErrors.invalid(path, bad, name + " in body should be a multiple of " + GoValues.number(schema.multipleOf)));
      }
    }
  }

  private void checkString(String text, JsonNode value, SchemaNode schema, FieldPath path, String name) {
    // kube-openapi counts characters (runes), not bytes or UTF-16 units.
    int length = text.codePointCount(0, text.length());
    if (schema.maxLength != null && length > schema.maxLength) {
      errors.add(FieldErrors.tooLong(path, schema.maxLength));
    }
    if (schema.minLength != null && length < schema.minLength) {
      errors.add(FieldErrors.invalid(path, GoValues.badValue(value),
          name + " in body should be at least " + schema.minLength + " chars long"));
    }
    // Go's regexp.MatchString is unanchored: find, not matches.
    if (schema.pattern != null && !schema.pattern.matcher(text).find()) {
      errors.add(FieldErrors.invalid(path, GoValues.badValue(value),
          name + " in body should match '" + schema.patternText + "'"));
    }
  }

  private void checkArray(JsonNode array, SchemaNode schema, FieldPath path, String name) {
    if (schema.maxItems != null && array.size() > schema.maxItems) {
      errors.add(FieldErrors.tooMany(path, array.size(), schema.maxItems));
    }
    if (schema.minItems != null && array.size() < schema.minItems) {
      errors.add(FieldErrors.invalid(path, GoValues.badValue(array),
          name + " in body should have at least " + schema.minItems + " items"));
    }
    if (schema.uniqueItems && hasDuplicates(array)) {
      errors.add(FieldErrors.invalid(path, GoValues.badValue(array), name + " in body shouldn't contain duplicates"));
    }
    if (schema.items != null) {
      for (int i = 0; i < array.size(); i++) {
        check(array.get(i), schema.items, path.index(i), schema.items.embeddedResource);
      }
    }
    checkListType(array, schema, path);
  }

  /** {@code x-kubernetes-list-type}: set items are unique; map items are unique by their key fields. */
  private void checkListType(JsonNode array, SchemaNode schema, FieldPath path) {
    if ("set".equals(schema.listType)) {
      Set<JsonNode> seen = new HashSet<>();
      for (int i = 0; i < array.size(); i++) {
        if (!seen.add(array.get(i))) {
          errors.add(FieldErrors.duplicate(path.index(i), GoValues.badValue(array.get(i))));
        }
      }
    } else if ("map".equals(schema.listType) && !schema.listMapKeys.isEmpty()) {
      Map<JsonNode, Integer> seen = new HashMap<>();
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (!item.isObject()) {
          continue;
        }
        com.fasterxml.jackson.databind.node.ObjectNode key =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        boolean complete = true;
        for (String keyField : schema.listMapKeys) {
          JsonNode keyValue = item.get(keyField);
          SchemaNode keySchema = schema.items == null ? null : schema.items.properties.get(keyField);
          if (keyValue == null && (keySchema == null || keySchema.defaultValue == null)) {
            errors.add(FieldErrors.required(path.index(i).child(keyField), ""));
            complete = false;
          } else {
            key.set(keyField, keyValue != null ? keyValue : keySchema.defaultValue);
          }
        }
        if (complete && seen.putIfAbsent(key, i) != null) {
          errors.add(FieldErrors.duplicate(path.index(i), GoValues.goSyntax(key)));
        }
      }
    }
  }

  private void checkObject(JsonNode object, SchemaNode schema, FieldPath path, String name, boolean resourceRoot) {
    int size = object.size();
    if (schema.maxProperties != null && size > schema.maxProperties) {
      errors.add(FieldErrors.tooMany(path, size, schema.maxProperties));
    }
    if (schema.minProperties != null && size < schema.minProperties) {
      errors.add(FieldErrors.invalid(path, GoValues.badValue(object),
          name + " in body should have at least " + schema.minProperties + " properties"));
    }
    for (String requiredField : schema.required) {
      if (!object.has(requiredField)) {
        errors.add(FieldErrors.required(path.child(requiredField), ""));
      }
    }
    if (schema.embeddedResource) {
      // An embedded resource must name its type (apiextensions-apiserver's objectmeta validation).
      for (String typeField : List.of("apiVersion", "kind")) {
        JsonNode typeValue = object.get(typeField);
        if (typeValue == null || typeValue.asText("").isEmpty()) {
          errors.add(FieldErrors.required(path.child(typeField), "must not be empty"));
        }
      }
    }
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String fieldName = field.getKey();
      if ((resourceRoot || schema.embeddedResource) && "metadata".equals(fieldName)) {
        continue;
      }
      SchemaNode declared = schema.properties.get(fieldName);
      SchemaNode child = declared != null ? declared : schema.additionalProperties;
      if (child != null) {
        // kube-openapi names map entries with dots too ("spec.labels.app"), so child() for both.
        check(field.getValue(), child, path.child(fieldName), child.embeddedResource);
      }
    }
  }

  /** {@code allOf}, {@code anyOf}, {@code oneOf} and {@code not}, with go-openapi's messages. */
  private void checkJunctors(JsonNode value, SchemaNode schema, FieldPath path, String name) {
    for (SchemaNode allOf : schema.allOf) {
      errors.addAll(trial(value, allOf, path));
    }
    if (!schema.anyOf.isEmpty()) {
      List<FieldError> firstFailure = null;
      boolean anyValid = false;
      for (SchemaNode anyOf : schema.anyOf) {
        List<FieldError> result = trial(value, anyOf, path);
        if (result.isEmpty()) {
          anyValid = true;
          break;
        }
        firstFailure = firstFailure == null ? result : firstFailure;
      }
      if (!anyValid) {
        errors.add(FieldErrors.invalid(path, "\"\"", name + " must validate at least one schema (anyOf)"));
        errors.addAll(firstFailure);
      }
    }
    if (!schema.oneOf.isEmpty()) {
      int valid = 0;
      List<FieldError> firstFailure = null;
      for (SchemaNode oneOf : schema.oneOf) {
        List<FieldError> result = trial(value, oneOf, path);
        if (result.isEmpty()) {
          valid++;
        } else if (firstFailure == null) {
          firstFailure = result;
        }
      }
      if (valid != 1) {
        errors.add(FieldErrors.invalid(path, "\"\"", name + " must validate one and only one schema (oneOf)"));
        if (valid == 0) {
          errors.addAll(firstFailure);
        }
      }
    }
    if (schema.not != null && trial(value, schema.not, path).isEmpty()) {
      errors.add(FieldErrors.invalid(path, "\"\"", name + " must not validate the schema (not)"));
    }
  }

  private static boolean hasDuplicates(JsonNode array) {
    Set<JsonNode> seen = new HashSet<>();
    for (JsonNode item : array) {
      if (!seen.add(item)) {
        return true;
      }
    }
    return false;
  }

  /** JSON equality where {@code 1} and {@code 1.0} are the same number, as in Go's decoded JSON. */
  static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
