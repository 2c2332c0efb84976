package dev.baton.devcluster.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldValidation;
import dev.baton.devcluster.validation.CustomResourceValidator.Result;
import org.junit.jupiter.api.Test;

/**
 * A CRD the size of one that embeds a full PodTemplateSpec (~8,000 lines of YAML) compiles and validates
 * objects on create and update. How fast is a benchmark's question, not a unit test's: timing
 * assertions in a shared 2-core CI fail on load, not on code.
 */
class LargeCrdValidationTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Test
  void aPodTemplateSizedCrdValidatesObjectsOnCreateAndUpdate() throws Exception {
    // given a CRD whose spec.template has containers, initContainers and volumes with deep schemas
    JsonNode crd = largeCrd();
    int yamlLines = new ObjectMapper(new YAMLFactory()).writeValueAsString(crd).split("\n").length;
    assertThat(yamlLines).isGreaterThan(8_000);
    JsonNode object = largeObject();
    CrdSchemaValidator validator = new CrdSchemaValidator();

    // when it validates a create, then the same object as an update many times (the compiled CRD is reused)
    Result first = validator.validate(crd, object, null, FieldValidation.STRICT);
    Result update = null;
    for (int i = 0; i < 50; i++) {
      update = validator.validate(crd, object, object, FieldValidation.STRICT);
    }

    // then both are valid
    assertThat(first.errors()).isEmpty();
    assertThat(update.errors()).isEmpty();
  }

  /** Builds the CRD: a spec with rules and defaults, and a template whose pod spec is deep and wide. */
  private static JsonNode largeCrd() {
    ObjectNode container = object();
    ObjectNode containerProps = container.putObject("properties");
    containerProps.set("name", string());
    containerProps.set("image", string());
    ObjectNode envItem = object();
    envItem.putObject("properties").set("name", string());
    ((ObjectNode) envItem.get("properties")).set("value", string());
    ((ObjectNode) envItem.get("properties")).set("valueFrom", wide("source", 12, 2));
    containerProps.set("env", list(envItem));
    ObjectNode port = object();
    port.putObject("properties").set("containerPort", integer());
    ((ObjectNode) port.get("properties")).set("name", string());
    ((ObjectNode) port.get("properties")).set("protocol", string().put("default", "TCP"));
    containerProps.set("ports", list(port));
    for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
      containerProps.set(probe, wide("handler", 12, 4));
    }
    containerProps.set("resources", wide("limit", 10, 2));
    containerProps.set("securityContext", wide("setting", 16, 4));
    containerProps.set("lifecycle", wide("hook", 10, 4));
    for (int i = 0; i < 20; i++) {
      containerProps.set("option" + i, string());
    }
    container.putArray("x-kubernetes-validations").addObject()
        .put("rule", "!has(self.image) || self.image.contains(':')")
        .put("message", "image needs a tag");

    ObjectNode podSpecProps = JSON.objectNode();
    podSpecProps.set("containers", list(container));
    podSpecProps.set("initContainers", list(container.deepCopy()));
    podSpecProps.set("ephemeralContainers", list(container.deepCopy()));
    podSpecProps.set("volumes", list(wide("volumeSource", 30, 3)));
    podSpecProps.set("affinity", wide("term", 12, 4));
    for (int i = 0; i < 30; i++) {
      podSpecProps.set("podOption" + i, string());
    }
    ObjectNode template = object();
    template.putObject("properties").set("metadata", object().put("x-kubernetes-preserve-unknown-fields", true));
    ((ObjectNode) template.get("properties")).set("spec", object().set("properties", podSpecProps));

    ObjectNode spec = object();
    ObjectNode specProps = spec.putObject("properties");
    specProps.set("replicas", integer().put("minimum", 0).put("default", 1));
    specProps.set("maxSurge", integer().put("default", 1));
    specProps.set("template", template);
    spec.putArray("x-kubernetes-validations").addObject()
        .put("rule", "self.maxSurge <= self.replicas + 1")
        .put("message", "maxSurge too large");

    ObjectNode root = object();
    root.putObject("properties").set("spec", spec);
    ObjectNode version = JSON.objectNode().put("name", "v1").put("served", true).put("storage", true);
    version.putObject("schema").set("openAPIV3Schema", root);
    ObjectNode crd = JSON.objectNode().put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "CustomResourceDefinition");
    crd.putObject("metadata").put("name", "pods.big.baton.dev").put("uid", "u-1").put("resourceVersion", "7");
    ObjectNode crdSpec = crd.putObject("spec").put("group", "big.baton.dev").put("scope", "Namespaced");
    crdSpec.putObject("names").put("kind", "BigPod").put("plural", "bigpods");
    crdSpec.putArray("versions").add(version);
    return crd;
  }

  /** An object schema with {@code width} properties per level, {@code depth} levels deep. */
  private static ObjectNode wide(String prefix, int width, int depth) {
    ObjectNode node = object();
    ObjectNode props = node.putObject("properties");
    for (int i = 0; i < width; i++) {
      if (depth > 1 && i % 3 == 0) {
        props.set(prefix + i, wide(prefix, Math.max(3, width / 2), depth - 1));
      } else {
        props.set(prefix + i, i % 2 == 0 ? string() : integer());
      }
    }
    return node;
  }

  private static JsonNode largeObject() {
    ObjectNode object = JSON.objectNode().put("apiVersion", "big.baton.dev/v1").put("kind", "BigPod");
    object.putObject("metadata").put("name", "big").put("namespace", "default");
    ObjectNode spec = object.putObject("spec").put("replicas", 3).put("maxSurge", 1);
    ObjectNode podSpec = spec.putObject("template").putObject("spec");
    ArrayNode containers = podSpec.putArray("containers");
    for (int c = 0; c < 4; c++) {
      ObjectNode container = containers.addObject().put("name", "c" + c).put("image", "shop:1." + c);
      ArrayNode env = container.putArray("env");
      for (int e = 0; e < 15; e++) {
        env.addObject().put("name", "VAR_" + e).put("value", "value " + e);
      }
      container.putArray("ports").addObject().put("containerPort", 8080 + c).put("name", "http" + c);
      container.putObject("readinessProbe").put("handler1", 5).putObject("handler0").put("handler1", 3);
      container.putObject("resources").put("limit1", 2).put("limit2", "500m");
      for (int i = 0; i < 10; i++) {
        container.put("option" + i, "setting " + i);
      }
    }
    podSpec.putArray("volumes").addObject().put("volumeSource1", 1).put("volumeSource2", "data");
    return object;
  }

  private static ObjectNode object() {
    return JSON.objectNode().put("type", "object");
  }

  private static ObjectNode string() {
    return JSON.objectNode().put("type", "string").put("description", "A field of the pod template.");
  }

  private static ObjectNode integer() {
    return JSON.objectNode().put("type", "integer").put("format", "int32");
  }

  private static ObjectNode list(ObjectNode items) {
    ObjectNode list = JSON.objectNode().put("type", "array");
    list.set("items", items);
    return list;
  }
}
