package dev.baton.devcluster.validation;

/**
 * A field's path written as Kubernetes writes it in errors ({@code field.Path} in apimachinery):
 * {@code spec.template.spec.containers[0].image}, map keys as {@code spec.labels[app]}.
 *
 * <p>The root renders as {@code <nil>}, as the real API server prints errors of root-level CEL rules
 * (for example {@code <nil>: Invalid value: "object": ...}).
 */
final class FieldPath {

  private static final FieldPath ROOT = new FieldPath("");

  private final String text;

  private FieldPath(String text) {
    this.text = text;
  }

  static FieldPath root() {
    return ROOT;
  }

  FieldPath child(String name) {
    return new FieldPath(text.isEmpty() ? name : text + "." + name);
  }

  FieldPath index(int index) {
    return new FieldPath(text + "[" + index + "]");
  }

  FieldPath key(String key) {
    return new FieldPath(text + "[" + key + "]");
  }

  boolean isRoot() {
    return text.isEmpty();
  }

  @Override
  public String toString() {
    return text.isEmpty() ? "<nil>" : text;
  }
}
