package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a real API server does with a custom resource before it stores it, and fabric8's mock does not:
 * apply the schema's defaults, prune (or report) unknown fields, check the OpenAPI v3 schema of the
 * object's version, and evaluate the CEL rules in {@code x-kubernetes-validations} (with {@code oldSelf}
 * bound on update).
 *
 * <p>See https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
 * (sections "Validation", "Defaulting", "Field pruning" and "Validation rules").
 */
public interface CustomResourceValidator {

  /**
   * @param crd the CustomResourceDefinition (apiextensions.k8s.io/v1) as JSON
   * @param object the object as it would be stored (for a patch: after the patch was applied)
   * @param oldObject the stored object on update, {@code null} on create
   * @param fieldValidation what to do with fields the schema does not know (kubectl's {@code fieldValidation})
   * @return the object to store (defaulted and pruned) and the errors; the write is refused when errors are present
   */
  Result validate(JsonNode crd, JsonNode object, JsonNode oldObject, FieldValidation fieldValidation);

  /** The {@code fieldValidation} query parameter of a write request. */
  enum FieldValidation {
    /** Unknown fields are dropped silently. */
    IGNORE,
    /** Unknown fields are dropped and reported as warnings (the API server's default). */
    WARN,
    /** Unknown fields refuse the write (kubectl's default, {@code --validate=strict}). */
    STRICT;

    /** Parses the query parameter's value; {@code null} or unknown values mean the server default. */
    public static FieldValidation fromQueryValue(String value) {
      if (value == null) {
        return WARN;
      }
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "ignore" -> IGNORE;
        case "strict" -> STRICT;
        default -> WARN;
      };
    }
  }

  /** The outcome of a validation. */
  record Result(JsonNode object, List<FieldError> errors, List<String> warnings) {
    public Result {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    public boolean valid() {
      return errors.isEmpty();
    }
  }

  /**
   * One invalid field, as the API server reports it in {@code Status.details.causes}.
   *
   * @param field the path, as Kubernetes writes it: {@code spec.template.spec.containers[0].image}
   * @param type Kubernetes' {@code field.ErrorType} text: "Invalid value", "Required value",
   *     "Unsupported value", "Too long", "Too many", "Forbidden", "Duplicate value", or "Unknown field" for a
   *     field a {@code fieldValidation=Strict} write may not carry. The real server refuses such a write
   *     with 400 Bad Request and the message of {@link CrdSchemaValidator#strictDecodingError}, not with a
   *     422 listing causes; a result with unknown-field errors holds no other errors.
   * @param detail what is wrong, e.g. the CEL rule's message
   * @param badValue the offending value rendered as Kubernetes does (may be {@code null})
   */
  record FieldError(String field, String type, String detail, String badValue) {

    /** The cause's message as the API server prints it, e.g. {@code spec.replicas: Invalid value: -1: should be >= 0}. */
    public String message() {
      StringBuilder text = new StringBuilder(field).append(": ").append(type);
      if (badValue != null) {
        text.append(": ").append(badValue);
      }
      if (detail != null && !detail.isEmpty()) {
        text.append(": ").append(detail);
      }
      return text.toString();
    }
  }
}
