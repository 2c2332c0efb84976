package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldValidation;
import dev.baton.devcluster.validation.CustomResourceValidator.Result;
import java.util.List;

/**
 * A validator bound to one CRD, for tests that check example or bad YAML against a generated CRD without
 * an API server: {@code CrdSchemaValidator.forCrdYaml(crdFile).validate(exampleYaml)}.
 */
public final class BoundCrdValidator {

  private final CompiledCrd crd;

  BoundCrdValidator(CompiledCrd crd) {
    this.crd = crd;
  }

  /** Validates a create, with kubectl's default {@code --validate=strict}. */
  public Result validate(String objectYaml) {
    return validate(Yaml.read(objectYaml), null, FieldValidation.STRICT);
  }

  /** Validates an update from {@code oldYaml} to {@code newYaml} (transition rules run), strict. */
  public Result validateUpdate(String oldYaml, String newYaml) {
    return validate(Yaml.read(newYaml), Yaml.read(oldYaml), FieldValidation.STRICT);
  }

  /** Validates a write; {@code oldObject} is {@code null} on create. */
  public Result validate(JsonNode object, JsonNode oldObject, FieldValidation fieldValidation) {
    return CrdSchemaValidator.validate(crd, object, oldObject, fieldValidation);
  }

  /**
   * Rules that do not compile and patterns that are not regular expressions, e.g.
   * {@code v1: spec: rule "self.x >": compilation failed: ...}. A real server refuses such a CRD, so a
   * test of a generated CRD should assert this list is empty.
   */
  public List<String> compileErrors() {
    return crd.compileErrors();
  }
}
