package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import java.util.List;
import java.util.Map;

/**
 * A refused request, answered with a {@code meta/v1 Status} worded as the real API server words it, so that kubectl
 * and fabric8 show users the messages they know (k8s.io/apimachinery/pkg/api/errors).
 */
final class ApiException extends RuntimeException {

  private final int code;
  private final ObjectNode status;

  private ApiException(int code, String reason, String message, ObjectNode details) {
    super(message);
    this.code = code;
    this.status = Store.JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason);
    if (details != null) {
      status.set("details", details);
    }
    status.put("code", code);
  }

  int code() {
    return code;
  }

  ObjectNode status() {
    return status;
  }

  ApiResponse toResponse() {
    return ApiResponse.of(code, status.toString());
  }

  private static ObjectNode details(ResourceType type, String name) {
    ObjectNode details = Store.JSON.createObjectNode();
    if (name != null) {
      details.put("name", name);
    }
    details.put("group", type.group()).put("kind", type.plural());
    return details;
  }

  static ApiException notFound(ResourceType type, String name) {
    return new ApiException(404, "NotFound", type.qualifiedPlural() + " \"" + name + "\" not found", details(type, name));
  }

  static ApiException notFound() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource", null);
  }

  static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(409, "AlreadyExists", type.qualifiedPlural() + " \"" + name + "\" already exists",
        details(type, name));
  }

  /** Optimistic locking failed: the client wrote a resourceVersion that is no longer the stored one. */
  static ApiException conflict(ResourceType type, String name) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedPlural() + " \"" + name
        + "\": the object has been modified; please apply your changes to the latest version and try again",
        details(type, name));
  }

  static ApiException preconditionFailed(ResourceType type, String name, String what) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedPlural() + " \"" + name
        + "\": Precondition failed: " + what, details(type, name));
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null);
  }

  static ApiException invalidPatch(String why) {
    return new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: " + why,
        null);
  }

  static ApiException methodNotAllowed(String method) {
    return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource ("
        + method + ")", null);
  }

  static ApiException unsupportedMediaType(String contentType) {
    return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
        + "media types include: application/json-patch+json, application/merge-patch+json, "
        + "application/apply-patch+yaml" + (contentType == null ? "" : " (got " + contentType + ")"), null);
  }

  /** The watch asked for history this server no longer keeps; informers answer it with a fresh list. */
  static ApiException expired(long requested, long oldest) {
    return new ApiException(410, "Expired", "too old resource version: " + requested + " (" + oldest + ")", null);
  }

  /**
   * 422 Invalid, as {@code errors.NewInvalid} builds it: one cause per field error, and a message that lists them
   * (a single error is printed bare, several inside brackets, like Go's aggregate error).
   */
  static ApiException invalid(ResourceType type, String name, List<FieldError> errors) {
    ObjectNode details = Store.JSON.createObjectNode();
    details.put("name", name).put("group", type.group()).put("kind", type.kind());
    ArrayNode causes = details.putArray("causes");
    for (FieldError error : errors) {
      String fullMessage = error.message();
      causes.addObject()
          .put("reason", REASONS.getOrDefault(error.type(), "FieldValueInvalid"))
          .put("message", fullMessage.substring(error.field().length() + 2))
          .put("field", error.field());
    }
    List<String> messages = errors.stream().map(FieldError::message).toList();
    String joined = messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
    return new ApiException(422, "Invalid", type.qualifiedKind() + " \"" + name + "\" is invalid: " + joined, details);
  }

  static ApiException invalid(ResourceType type, String name, String field, String detail) {
    return invalid(type, name, List.of(new FieldError(field, "Required value", detail, null)));
  }

  /** field.ErrorType → metav1.CauseType, as k8s.io/apimachinery/pkg/util/validation/field names them. */
  private static final Map<String, String> REASONS = Map.of(
      "Invalid value", "FieldValueInvalid",
      "Required value", "FieldValueRequired",
      "Unsupported value", "FieldValueNotSupported",
      "Forbidden", "FieldValueForbidden",
      "Too long", "FieldValueTooLong",
      "Too many", "FieldValueTooMany",
      "Duplicate value", "FieldValueDuplicate",
      "Not found", "FieldValueNotFound",
      "Internal error", "InternalError",
      "Unknown field", "FieldValueUnknown");
}
