package dev.baton.devcluster.validation;

import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The field errors of apimachinery's {@code field} package ({@code field.Invalid}, {@code field.Required},
 * ...), with their types' display names and their rules for when the bad value is printed: Required,
 * Forbidden and Too long never print it.
 */
final class FieldErrors {

  static final String INVALID = "Invalid value";
  static final String REQUIRED = "Required value";
  static final String NOT_SUPPORTED = "Unsupported value";
  static final String FORBIDDEN = "Forbidden";
  static final String TOO_LONG = "Too long";
  static final String TOO_MANY = "Too many";
  static final String DUPLICATE = "Duplicate value";
  static final String UNKNOWN_FIELD = "Unknown field";

  private FieldErrors() {}

  /** {@code field.Invalid}: the bad value is already rendered ({@link GoValues}). */
  static FieldError invalid(FieldPath path, String renderedValue, String detail) {
    return new FieldError(path.toString(), INVALID, detail, renderedValue);
  }

  static FieldError required(FieldPath path, String detail) {
    return new FieldError(path.toString(), REQUIRED, detail, null);
  }

  static FieldError forbidden(FieldPath path, String detail) {
    return new FieldError(path.toString(), FORBIDDEN, detail, null);
  }

  static FieldError duplicate(FieldPath path, String renderedValue) {
    return new FieldError(path.toString(), DUPLICATE, null, renderedValue);
  }

  /** {@code field.NotSupported}: {@code supported values: "a", "b"}. */
  static FieldError notSupported(FieldPath path, String renderedValue, List<String> supported) {
    String detail = supported.isEmpty()
        ? null
        : "supported values: " + supported.stream().map(GoValues::quote).collect(Collectors.joining(", "));
    return new FieldError(path.toString(), NOT_SUPPORTED, detail, renderedValue);
  }

  /** {@code field.TooLongMaxLength}, as the CRD handler reports {@code maxLength}. */
  static FieldError tooLong(FieldPath path, long maxLength) {
    return new FieldError(path.toString(), TOO_LONG, "may not be longer than " + maxLength, null);
  }

  /** {@code field.TooMany}, as the CRD handler reports {@code maxItems} and {@code maxProperties}. */
  static FieldError tooMany(FieldPath path, int actual, long max) {
    return new FieldError(path.toString(), TOO_MANY, "must have at most " + max + " items", Integer.toString(actual));
  }

  /**
   * A field the schema does not declare, refused under {@code fieldValidation=Strict}. The real server
   * answers these with a 400 BadRequest, not a 422 with causes; see {@link CrdSchemaValidator#strictDecodingError}.
   */
  static FieldError unknownField(String path) {
    return new FieldError(path, UNKNOWN_FIELD, null, null);
  }
}
