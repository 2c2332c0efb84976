package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates custom resources against their CRD as kube-apiserver does, in the server's order: prune
 * unknown fields, apply defaults, check the OpenAPI schema, evaluate the CEL rules
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/).
 *
 * <p>Each CRD is compiled once (schemas read, rules compiled) and kept by name until its
 * {@code uid}/{@code resourceVersion} (or, without them, its content) changes. Thread-safe.
 */
public final class CrdSchemaValidator implements CustomResourceValidator {

  /** Building cel-java environments takes a while; every validator shares one compiler. */
  private static final class SharedCompiler {
    static final CelRuleCompiler INSTANCE = new CelRuleCompiler();
  }

  private record CacheEntry(JsonNode source, String fingerprint, CompiledCrd crd) {}

  /** The real server's note when schema errors keep the CEL rules from running ({@code hasBlockingErr}). */
  static final String RULES_NOT_CHECKED =
      "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

  private final Map<String, CacheEntry> compiledByName = new ConcurrentHashMap<>();

  @Override
  public Result validate(JsonNode crd, JsonNode object, JsonNode oldObject, FieldValidation fieldValidation) {
    return validate(compiled(crd), object, oldObject, fieldValidation);
  }

  static Result validate(CompiledCrd crd, JsonNode object, JsonNode oldObject, FieldValidation fieldValidation) {
    String apiVersion = object.path("apiVersion").asText(null);
    SchemaNode schema = crd.schemaFor(apiVersion);
    if (schema == null) {
      FieldPath path = FieldPath.root().child("apiVersion");
      return new Result(object, List.of(FieldErrors.notSupported(path,
          apiVersion == null ? "\"\"" : GoValues.quote(apiVersion), crd.apiVersions())), List.of());
    }
    JsonNode stored = object.deepCopy();
    List<String> unknownFields = UnknownFieldPruner.prune(stored, schema);
    SchemaDefaulter.apply(stored, schema);

    if (fieldValidation == FieldValidation.STRICT && !unknownFields.isEmpty()) {
      // The real server fails the strict decoding before it validates anything.
      return new Result(stored, unknownFields.stream().map(FieldErrors::unknownField).toList(), List.of());
    }
    List<String> warnings = fieldValidation == FieldValidation.WARN
        ? unknownFields.stream().map(field -> "unknown field " + GoValues.quote(field)).toList()
        : List.of();

    OpenApiValueValidator.Outcome schemaCheck = OpenApiValueValidator.validate(stored, schema);
    List<FieldError> errors = new ArrayList<>(schemaCheck.errors());
    if (schemaCheck.blocksRules()) {
      if (schema.containsRules) {
        // field.Invalid(nil, nil, ...): Go prints a nil bad value as the quoted string "null".
        errors.add(FieldErrors.invalid(FieldPath.root(), GoValues.quote("null"), RULES_NOT_CHECKED));
      }
      return new Result(stored, errors, warnings);
    }

    JsonNode oldStored = null;
    if (oldObject != null) {
      // The server reads the old object back through the same decoding: pruned and defaulted.
      oldStored = oldObject.deepCopy();
      UnknownFieldPruner.prune(oldStored, schema);
      SchemaDefaulter.apply(oldStored, schema);
    }
    errors.addAll(CelRuleEvaluator.evaluate(stored, oldStored, schema));
    return new Result(stored, errors, warnings);
  }

  /**
   * The message a real server answers a {@code fieldValidation=Strict} write with (400 Bad Request, not a
   * 422 with causes), e.g. {@code strict decoding error: unknown field "spec.foo"}; {@code null} when the
   * result has no unknown-field errors.
   */
  public static String strictDecodingError(Result result) {
    List<String> unknown = result.errors().stream()
        .filter(error -> FieldErrors.UNKNOWN_FIELD.equals(error.type()))
        .map(error -> "unknown field " + GoValues.quote(error.field()))
        .collect(Collectors.toList());
    return unknown.isEmpty() ? null : "strict decoding error: " + String.join(", ", unknown);
  }

  /** A validator for one CRD given as YAML (or JSON) text, e.g. a generated CRD file, for tests. */
  public static BoundCrdValidator forCrdYaml(String crdYaml) {
    return new BoundCrdValidator(compile(Yaml.read(crdYaml)));
  }

  /** A validator for the CRD in this YAML file, e.g. {@code target/classes/META-INF/fabric8/...-v1.yml}. */
  public static BoundCrdValidator forCrdYaml(Path crdFile) {
    try {
      return forCrdYaml(Files.readString(crdFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD file " + crdFile, e);
    }
  }

  static CompiledCrd compile(JsonNode crd) {
    return CompiledCrd.compile(crd, SharedCompiler.INSTANCE);
  }

  private CompiledCrd compiled(JsonNode crd) {
    JsonNode metadata = crd.path("metadata");
    String name = metadata.path("name").asText("");
    CacheEntry cached = compiledByName.get(name);
    if (cached != null && cached.source() == crd) {
      // The same CRD instance as last time: skip even the fingerprint.
      return cached.crd();
    }
    String uid = metadata.path("uid").asText("");
    String resourceVersion = metadata.path("resourceVersion").asText("");
    String fingerprint = !uid.isEmpty() && !resourceVersion.isEmpty()
        ? uid + "/" + resourceVersion
        : crd.path("spec").toString();
    if (cached != null && cached.fingerprint().equals(fingerprint)) {
      return cached.crd();
    }
    CompiledCrd compiled = compile(crd);
    compiledByName.put(name, new CacheEntry(crd, fingerprint, compiled));
    return compiled;
  }
}
