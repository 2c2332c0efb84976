package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CustomResourceDefinition ({@code apiextensions.k8s.io/v1}) read once: the schema of each served
 * version with its CEL rules compiled, ready for every write of that kind.
 */
final class CompiledCrd {

  private final String group;
  private final Map<String, SchemaNode> schemaByVersion;

  private CompiledCrd(String group, Map<String, SchemaNode> schemaByVersion) {
    this.group = group;
    this.schemaByVersion = schemaByVersion;
  }

  static CompiledCrd compile(JsonNode crd, CelRuleCompiler compiler) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    Map<String, SchemaNode> schemas = new LinkedHashMap<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      schemas.put(version.path("name").asText(), SchemaNode.read(schema.isObject() ? schema : preserveEverything(), compiler));
    }
    return new CompiledCrd(group, Map.copyOf(schemas));
  }

  /** A version without a schema (only possible before apiextensions v1) keeps every field. */
  private static ObjectNode preserveEverything() {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("type", "object");
    schema.put("x-kubernetes-preserve-unknown-fields", true);
    return schema;
  }

  /** The schema for an object's {@code apiVersion} ({@code group/version}), or {@code null} if not served. */
  SchemaNode schemaFor(String apiVersion) {
    if (apiVersion == null) {
      return null;
    }
    int slash = apiVersion.indexOf('/');
    String objectGroup = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    return objectGroup.equals(group) ? schemaByVersion.get(version) : null;
  }

  /** The {@code apiVersion} values this CRD serves, for the error on an unknown one. */
  List<String> apiVersions() {
    List<String> apiVersions = new ArrayList<>();
    schemaByVersion.keySet().stream().sorted().forEach(version -> apiVersions.add(group + "/" + version));
    return apiVersions;
  }

  /** Rules that do not compile and unusable patterns, per version: a real server refuses such a CRD. */
  List<String> compileErrors() {
    List<String> errors = new ArrayList<>();
    schemaByVersion.forEach((version, schema) -> {
      List<String> versionErrors = new ArrayList<>();
      schema.collectCompileErrors(FieldPath.root(), versionErrors);
      versionErrors.forEach(error -> errors.add(version + ": " + error));
    });
    return errors;
  }
}
