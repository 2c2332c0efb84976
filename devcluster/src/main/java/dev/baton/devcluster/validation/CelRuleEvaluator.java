package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates the {@code x-kubernetes-validations} rules of a schema against an object, as
 * apiextensions-apiserver's {@code schema/cel/validation.go} does:
 *
 * <ul>
 *   <li>a rule sees its own field as {@code self}; rules on absent or null values do not run;
 *   <li>a transition rule (one that uses {@code oldSelf}) runs only on update, when the old object has a
 *       value at the same place, unless it sets {@code optionalOldSelf}, when it always runs and
 *       {@code oldSelf} is an optional;
 *   <li>old values are followed through object fields (not into {@code x-kubernetes-map-type: atomic}
 *       maps), through {@code x-kubernetes-list-type: map} lists by their keys and through
 *       {@code set} lists by value; items of other lists have no {@code oldSelf};
 *   <li>a false rule reports its {@code messageExpression}'s result, else its {@code message}, else
 *       {@code failed rule: <rule>}, at {@code fieldPath} if given, with the error type of its
 *       {@code reason}; an evaluation error is an invalid value with the error's text.
 * </ul>
 *
 * <p>See https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules.
 * Not imitated: the cost budget (rules run to completion) and validation ratcheting (errors on values
 * unchanged since the old object are errors here, not warnings).
 */
final class CelRuleEvaluator {

  private final CelValues values = new CelValues();
  private final List<FieldError> errors = new ArrayList<>();

  /** Evaluates all rules in the schema for an object ({@code oldObject} is {@code null} on create). */
  static List<FieldError> evaluate(JsonNode object, JsonNode oldObject, SchemaNode schema) {
    CelRuleEvaluator evaluator = new CelRuleEvaluator();
    evaluator.walk(object, oldObject, schema, FieldPath.root(), true);
    return evaluator.errors;
  }

  private void walk(JsonNode value, JsonNode old, SchemaNode schema, FieldPath path, boolean resourceRoot) {
    if (schema == null || !schema.containsRules || value == null || value.isNull()) {
      return;
    }
    JsonNode oldValue = old == null || old.isNull() || old.isMissingNode() ? null : old;
    evaluateRules(schema.rules, value, oldValue, schema, path, resourceRoot);
    for (SchemaNode allOf : schema.allOf) {
      evaluateRules(allOf.rules, value, oldValue, schema, path, resourceRoot);
    }
    if (value.isObject()) {
      boolean correlatable = !"atomic".equals(schema.mapType);
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String name = field.getKey();
        if (resourceRoot && "metadata".equals(name)) {
          continue;
        }
        SchemaNode declared = schema.properties.get(name);
        SchemaNode child = declared != null ? declared : schema.additionalProperties;
        if (child == null) {
          continue;
        }
        JsonNode oldChild = correlatable && oldValue != null && oldValue.isObject() ? oldValue.get(name) : null;
        FieldPath childPath = declared != null ? path.child(name) : path.key(name);
        walk(field.getValue(), oldChild, child, childPath, child.embeddedResource);
      }
    } else if (value.isArray() && schema.items != null) {
      OldItems oldItems = OldItems.of(schema, oldValue);
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        walk(item, oldItems.matching(item), schema.items, path.index(i), schema.items.embeddedResource);
      }
    }
  }

  private void evaluateRules(
      List<CompiledRule> rules, JsonNode value, JsonNode old, SchemaNode schema, FieldPath path, boolean resourceRoot) {
    String schemaType = GoValues.quote(schema.type);
    for (CompiledRule rule : rules) {
      if (rule.compileError() != null) {
        errors.add(FieldErrors.invalid(path, schemaType, "rule compile error: " + rule.compileError()));
        continue;
      }
      if (rule.usesOldSelf() && old == null && !rule.optionalOldSelf()) {
        // Transition rules need a value to compare with: skipped on create and for new fields.
        continue;
      }
      Map<String, Object> activation = new HashMap<>(4);
      activation.put(CelValues.SELF, values.of(value, schema, resourceRoot));
      if (rule.optionalOldSelf()) {
        activation.put(CelValues.OLD_SELF,
            old == null ? Optional.empty() : Optional.of(values.of(old, schema, resourceRoot)));
      } else if (old != null) {
        activation.put(CelValues.OLD_SELF, values.of(old, schema, resourceRoot));
      }
      Object result;
      try {
        result = rule.program().eval(activation);
      } catch (CelEvaluationException e) {
        errors.add(FieldErrors.invalid(path, schemaType, evaluationError(e, rule)));
        continue;
      }
      if (Boolean.TRUE.equals(result)) {
        continue;
      }
      if (!(result instanceof Boolean)) {
        errors.add(FieldErrors.invalid(path, schemaType,
            "rule did not evaluate to a bool but to " + result + " evaluating rule: " + rule.errorString()));
        continue;
      }
      FieldPath errorPath = rule.fieldPath() == null || rule.fieldPath().isEmpty() ? path : path.child(rule.fieldPath());
      errors.add(errorForReason(errorPath, schemaType, message(rule, activation), rule.reason()));
    }
  }

  /** The messageExpression's text when it evaluates to a non-empty single line, else the rule's message. */
  private static String message(CompiledRule rule, Map<String, Object> activation) {
    if (rule.messageProgram() != null) {
      try {
        Object message = rule.messageProgram().eval(activation);
        if (message instanceof String text && !text.isBlank() && text.strip().indexOf('\n') < 0) {
          return text.strip();
        }
      } catch (CelEvaluationException e) {
        // The real server logs this and falls back to the message, as we do.
      }
    }
    return rule.messageOrDefault();
  }

  /** {@code fieldErrorForReason} in Kubernetes: the rule's {@code reason} picks the error type. */
  private static FieldError errorForReason(FieldPath path, String schemaType, String detail, String reason) {
    if (reason == null) {
      return FieldErrors.invalid(path, schemaType, detail);
    }
    return switch (reason) {
      case "FieldValueForbidden" -> FieldErrors.forbidden(path, detail);
      case "FieldValueRequired" -> FieldErrors.required(path, detail);
      case "FieldValueDuplicate" -> FieldErrors.duplicate(path, schemaType);
      default -> FieldErrors.invalid(path, schemaType, detail);
    };
  }

  private static String evaluationError(CelEvaluationException e, CompiledRule rule) {
    String text = e.getMessage();
    if (text != null && text.contains("No matching overload")) {
      return "'" + text + "': call arguments did not match a supported operator, function or macro signature for rule: "
          + rule.errorString();
    }
    return text + " evaluating rule: " + rule.errorString();
  }

  /** Finds the old element that corresponds to a new list element, where Kubernetes correlates them. */
  private interface OldItems {
    JsonNode matching(JsonNode item);

    static OldItems of(SchemaNode list, JsonNode old) {
      if (old == null || !old.isArray()) {
        return item -> null;
      }
      if ("map".equals(list.listType) && !list.listMapKeys.isEmpty()) {
        Map<List<JsonNode>, JsonNode> byKey = new HashMap<>();
        old.forEach(item -> byKey.putIfAbsent(keyOf(item, list.listMapKeys), item));
        return item -> byKey.get(keyOf(item, list.listMapKeys));
      }
      if ("set".equals(list.listType)) {
        Set<JsonNode> members = new HashSet<>();
        old.forEach(members::add);
        return item -> members.contains(item) ? item : null;
      }
      return item -> null;
    }

    private static List<JsonNode> keyOf(JsonNode item, List<String> keys) {
      List<JsonNode> key = new ArrayList<>(keys.size());
      for (String name : keys) {
        key.add(item.path(name));
      }
      return key;
    }
  }
}
