package dev.baton.devcluster.validation;

/**
 * Resolves a rule's {@code fieldPath} ({@code .spec.replicas}, {@code .labels['app.kubernetes.io/name']})
 * against the schema the rule sits in, into the Kubernetes path suffix errors are reported at. As
 * {@code ValidFieldPath} in apiextensions-apiserver's {@code schema/cel/validation.go}: only field and map
 * accessors, no list indexes, and every field must exist in the schema.
 */
final class RuleFieldPath {

  private RuleFieldPath() {}

  /**
   * @return the path relative to the rule's field, e.g. {@code spec.replicas} or {@code labels[app]}
   * @throws IllegalArgumentException when the path is malformed or names a field the schema lacks
   */
  static String resolve(String fieldPath, SchemaNode schema) {
    StringBuilder out = new StringBuilder();
    SchemaNode current = schema;
    int i = 0;
    while (i < fieldPath.length()) {
      char c = fieldPath.charAt(i);
      String name;
      if (c == '.') {
        int end = i + 1;
        while (end < fieldPath.length() && fieldPath.charAt(end) != '.' && fieldPath.charAt(end) != '[') {
          end++;
        }
        name = fieldPath.substring(i + 1, end);
        if (name.isEmpty()) {
          throw new IllegalArgumentException(GoValues.quote(fieldPath) + ": unexpected end of JSON path");
        }
        i = end;
      } else if (c == '[' && i + 1 < fieldPath.length() && fieldPath.charAt(i + 1) == '\'') {
        int end = fieldPath.indexOf("']", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException(GoValues.quote(fieldPath) + ": expected ] after a quoted name");
        }
        name = fieldPath.substring(i + 2, end).replace("\\'", "'").replace("\\\\", "\\");
        i = end + 2;
      } else {
        throw new IllegalArgumentException(GoValues.quote(fieldPath) + ": expected [ or . but got: " + c);
      }
      if (current != null && !current.properties.isEmpty()) {
        current = current.properties.get(name);
        if (current == null) {
          throw new IllegalArgumentException(GoValues.quote(fieldPath) + " does not refer to a valid field");
        }
        out.append(out.length() == 0 ? "" : ".").append(name);
      } else if (current != null && current.additionalProperties != null) {
        current = current.additionalProperties;
        out.append('[').append(name).append(']');
      } else {
        throw new IllegalArgumentException(GoValues.quote(fieldPath) + " does not refer to a valid field");
      }
    }
    return out.toString();
  }
}
