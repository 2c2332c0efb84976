package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Renders JSON values the way the API server's Go code prints them in error messages, so that our
 * messages read exactly like a real cluster's: strings quoted ({@code %q}), integers plain, floats in
 * Go's {@code %v} form ({@code 1e+06}), objects and lists in Go syntax ({@code %#v}).
 */
final class GoValues {

  private GoValues() {}

  /** Go's {@code %q}: a double-quoted string with Go escapes. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** A bad value as {@code field.Error} prints it: {@code %v} for numbers and booleans, {@code %q} for strings. */
  static String badValue(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return quote(value.textValue());
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return number(value.doubleValue());
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    return goSyntax(value);
  }

  /** Go's {@code %#v} of a value decoded from JSON into {@code interface{}}. */
  static String goSyntax(JsonNode value) {
    if (value.isObject()) {
      StringBuilder out = new StringBuilder("map[string]interface {}{");
      // Go prints map keys sorted.
      java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        sorted.put(entry.getKey(), entry.getValue());
      }
      boolean first = true;
      for (Map.Entry<String, JsonNode> entry : sorted.entrySet()) {
        out.append(first ? "" : ", ").append(quote(entry.getKey())).append(':').append(goSyntax(entry.getValue()));
        first = false;
      }
      return out.append('}').toString();
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[]interface {}{");
      for (int i = 0; i < value.size(); i++) {
        out.append(i == 0 ? "" : ", ").append(goSyntax(value.get(i)));
      }
      return out.append('}').toString();
    }
    if (value.isNull()) {
      return "interface {}(nil)";
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return number(value.doubleValue());
    }
    return badValue(value);
  }

  /** A value the way {@code json.Marshal} writes it (enum values that are not strings). */
  static String json(JsonNode value) {
    return value.toString();
  }

  /**
   * Go's {@code %v} of a float64: the shortest representation, in exponent form when the exponent is
   * below -4 or at least 6 ({@code 1e+06}, {@code 0.5}, {@code 100000}).
   */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    String digits = decimal.unscaledValue().abs().toString();
    int exponent = digits.length() - decimal.scale() - 1;
    String sign = decimal.signum() < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String exp = String.format("%02d", Math.abs(exponent));
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
    return decimal.toPlainString();
  }

  /** The JSON type name kube-openapi reports in "must be of type" errors. */
  static String typeName(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber() || (value.isNumber() && isWhole(value.doubleValue()))) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isArray()) {
      return "array";
    }
    return "object";
  }

  static boolean isWhole(double value) {
    return !Double.isInfinite(value) && value == Math.rint(value);
  }
}
