package dev.baton.devcluster.validation;

import static dev.baton.devcluster.validation.WidgetCrd.widget;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldValidation;
import dev.baton.devcluster.validation.CustomResourceValidator.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiSchemaValidationTest {

  private static final CrdSchemaValidator VALIDATOR = new CrdSchemaValidator();

  /**
   * The schema's errors. The Widget CRD has CEL rules, so blocking errors also bring the server's note that
   * rules were not checked; CelRuleValidationTest covers that note, here it is left out.
   */
  private static List<String> errorsOf(JsonNode object) {
    Result result = VALIDATOR.validate(WidgetCrd.crd(), object, null, FieldValidation.STRICT);
    return result.errors().stream()
        .filter(error -> !CrdSchemaValidator.RULES_NOT_CHECKED.equals(error.detail()))
        .map(FieldError::message)
        .toList();
  }

  @Test
  void acceptsAValidWidget() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        replicas: 3
        name: shop
        timeout: 5m
        ratio: 0.5
        port: 8080
        tags: [a, b]
        ports: [{name: http, number: 80}, {name: grpc, number: 81}]
        """))).isEmpty();
  }

  @Test
  void rejectsNegativeReplicasWithTheSchemaMinimum() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        replicas: -1
        """))).containsExactly(
            "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0");
  }

  @Test
  void rejectsAValueAtAnExclusiveMaximum() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        ratio: 1
        """))).containsExactly("spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1");
  }

  @Test
  void reportsAMissingRequiredField() {
    assertThat(errorsOf(widget("replicas: 2"))).containsExactly("spec.strategy: Required value");
  }

  @Test
  void listsTheSupportedValuesOfAnEnum() {
    assertThat(errorsOf(widget("strategy: Foo"))).containsExactly(
        "spec.strategy: Unsupported value: \"Foo\": supported values: \"Canary\", \"BlueGreen\"");
  }

  @Test
  void rejectsAStringForAnIntegerAndAFractionForAnInteger() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        replicas: three
        maxUnavailable: 1.5
        """))).contains(
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
            "spec.maxUnavailable: Invalid value: \"number\": spec.maxUnavailable in body must be of type integer: \"number\"");
  }

  @Test
  void checksPatternAndLengthsOfStrings() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        name: Shop
        """))).containsExactly("spec.name: Invalid value: \"Shop\": spec.name in body should match '^[a-z]+$'");
    assertThat(errorsOf(widget("""
        strategy: Canary
        name: abcdefghijkl
        """))).containsExactly("spec.name: Too long: may not be longer than 10");
    assertThat(errorsOf(widget("""
        strategy: Canary
        name: a
        """))).containsExactly("spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long");
  }

  @Test
  void doesNotAssertFormatsSoDurationsLikeFiveMinutesPass() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        timeout: 5m
        """))).isEmpty();
  }

  @Test
  void acceptsIntegersAndStringsForIntOrStringButNothingElse() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        port: http
        """))).isEmpty();
    assertThat(errorsOf(widget("""
        strategy: Canary
        port: 8080
        """))).isEmpty();
    assertThat(errorsOf(widget("""
        strategy: Canary
        port: true
        """))).first().asString().startsWith("spec.port: Invalid value: \"boolean\"");
  }

  @Test
  void reportsTooManyListItems() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        steps: [{weight: 1}, {weight: 2}, {weight: 3}, {weight: 4}]
        """))).containsExactly("spec.steps: Too many: 4: must have at most 3 items");
  }

  @Test
  void reportsRequiredFieldsOfListItemsWithTheirIndex() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        steps: [{weight: 1}, {pause: 1m}]
        """))).containsExactly("spec.steps[1].weight: Required value");
  }

  @Test
  void rejectsDuplicatesInSetAndMapLists() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        tags: [a, b, a]
        ports: [{name: http, number: 80}, {name: http, number: 81}]
        """))).containsExactly(
            "spec.tags[2]: Duplicate value: \"a\"",
            "spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"http\"}");
  }

  @Test
  void checksMapValuesAgainstAdditionalProperties() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        labels: {app: 5}
        """))).containsExactly(
            "spec.labels.app: Invalid value: \"integer\": spec.labels.app in body must be of type string: \"integer\"");
  }

  @Test
  void requiresApiVersionAndKindOfAnEmbeddedResource() {
    assertThat(errorsOf(widget("""
        strategy: Canary
        template: {spec: {image: shop:1}}
        """))).containsExactly(
            "spec.template.apiVersion: Required value: must not be empty",
            "spec.template.kind: Required value: must not be empty");
  }

  @Test
  void refusesAVersionTheCrdDoesNotServe() {
    JsonNode widget = WidgetCrd.parse("""
        apiVersion: example.baton.dev/v2
        kind: Widget
        metadata: {name: w-one}
        spec: {strategy: Canary}
        """);

    assertThat(errorsOf(widget)).containsExactly(
        "apiVersion: Unsupported value: \"example.baton.dev/v2\": supported values: \"example.baton.dev/v1\"");
  }

  @Test
  void picksTheSchemaOfTheObjectsVersion() {
    String twoVersions = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.baton.dev}
        spec:
          group: example.baton.dev
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
            - name: v1alpha1
              served: true
              storage: false
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec: {type: object, properties: {size: {type: integer, maximum: 2}}}
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec: {type: object, properties: {size: {type: integer, maximum: 5}}}
        """;
    BoundCrdValidator validator = CrdSchemaValidator.forCrdYaml(twoVersions);

    Result result = validator.validate("""
        apiVersion: example.baton.dev/v1alpha1
        kind: Widget
        metadata: {name: anything}
        spec: {size: 3}
        """);

    assertThat(result.errors()).extracting(FieldError::message)
        .containsExactly("spec.size: Invalid value: 3: spec.size in body should be less than or equal to 2");
  }
}
