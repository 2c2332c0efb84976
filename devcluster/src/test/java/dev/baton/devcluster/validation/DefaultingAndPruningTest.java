package dev.baton.devcluster.validation;

import static dev.baton.devcluster.validation.WidgetCrd.widget;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldValidation;
import dev.baton.devcluster.validation.CustomResourceValidator.Result;
import org.junit.jupiter.api.Test;

class DefaultingAndPruningTest {

  private static final CrdSchemaValidator VALIDATOR = new CrdSchemaValidator();

  private static Result write(JsonNode object, FieldValidation fieldValidation) {
    return VALIDATOR.validate(WidgetCrd.crd(), object, null, fieldValidation);
  }

  @Test
  void appliesDefaultsToMissingFieldsAndInsideDefaultedObjects() {
    // given a Widget without replicas or analysis
    JsonNode widget = widget("strategy: Canary");

    // when it is written
    Result result = write(widget, FieldValidation.STRICT);

    // then replicas is defaulted, and the defaulted empty analysis gets its own fields' defaults
    assertThat(result.errors()).isEmpty();
    JsonNode spec = result.object().path("spec");
    assertThat(spec.path("replicas").asLong()).isEqualTo(1);
    assertThat(spec.path("analysis").path("interval").asText()).isEqualTo("1m");
    assertThat(spec.path("analysis").path("threshold").asLong()).isEqualTo(5);
  }

  @Test
  void keepsGivenValuesAndDefaultsOnlyTheMissingNestedOnes() {
    JsonNode widget = widget("""
        strategy: Canary
        replicas: 4
        analysis: {interval: 5m}
        """);

    Result result = write(widget, FieldValidation.STRICT);

    JsonNode spec = result.object().path("spec");
    assertThat(spec.path("replicas").asLong()).isEqualTo(4);
    assertThat(spec.path("analysis").path("interval").asText()).isEqualTo("5m");
    assertThat(spec.path("analysis").path("threshold").asLong()).isEqualTo(5);
  }

  @Test
  void appliesDefaultsInsideEveryListItem() {
    JsonNode widget = widget("""
        strategy: Canary
        steps:
          - weight: 10
          - weight: 50
            pause: 2m
        """);

    Result result = write(widget, FieldValidation.STRICT);

    JsonNode steps = result.object().path("spec").path("steps");
    assertThat(steps.get(0).path("pause").asText()).isEqualTo("30s");
    assertThat(steps.get(1).path("pause").asText()).isEqualTo("2m");
  }

  @Test
  void replacesANonNullableNullWithItsDefaultAndDropsOneWithoutDefault() {
    JsonNode widget = widget("""
        strategy: Canary
        replicas: null
        note: null
        """);

    Result result = write(widget, FieldValidation.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.object().path("spec").path("replicas").asLong()).isEqualTo(1);
    assertThat(result.object().path("spec").has("note")).isFalse();
  }

  @Test
  void keepsNullInANullableField() {
    JsonNode widget = widget("""
        strategy: Canary
        weightFactor: null
        """);

    Result result = write(widget, FieldValidation.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.object().path("spec").get("weightFactor").isNull()).isTrue();
  }

  @Test
  void prunesUnknownFieldsSilentlyWithIgnore() {
    JsonNode widget = widget("""
        strategy: Canary
        colour: blue
        steps: [{weight: 1, speed: fast}]
        """);

    Result result = write(widget, FieldValidation.IGNORE);

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    assertThat(result.object().path("spec").has("colour")).isFalse();
    assertThat(result.object().path("spec").path("steps").get(0).has("speed")).isFalse();
  }

  @Test
  void prunesUnknownFieldsAndWarnsAboutEachWithWarn() {
    JsonNode widget = widget("""
        strategy: Canary
        colour: blue
        steps: [{weight: 1, speed: fast}]
        """);

    Result result = write(widget, FieldValidation.WARN);

    assertThat(result.valid()).isTrue();
    assertThat(result.warnings())
        .containsExactly("unknown field \"spec.colour\"", "unknown field \"spec.steps[0].speed\"");
  }

  @Test
  void refusesUnknownFieldsWithStrictAsAStrictDecodingError() {
    JsonNode widget = widget("""
        strategy: Canary
        colour: blue
        """);

    Result result = write(widget, FieldValidation.STRICT);

    assertThat(result.errors()).extracting(FieldError::field, FieldError::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.colour", "Unknown field"));
    assertThat(CrdSchemaValidator.strictDecodingError(result))
        .isEqualTo("strict decoding error: unknown field \"spec.colour\"");
  }

  @Test
  void keepsEverythingUnderPreserveUnknownFieldsButStillChecksDeclaredFields() {
    JsonNode widget = widget("""
        strategy: Canary
        config:
          level: debug
          anything: {nested: [1, 2]}
        """);

    Result result = write(widget, FieldValidation.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.object().path("spec").path("config").path("anything").path("nested").size()).isEqualTo(2);
  }

  @Test
  void keepsMapEntriesOfAdditionalProperties() {
    JsonNode widget = widget("""
        strategy: Canary
        labels: {app: shop, tier: web}
        """);

    Result result = write(widget, FieldValidation.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.object().path("spec").path("labels").size()).isEqualTo(2);
  }

  @Test
  void keepsTypeAndMetadataOfAnEmbeddedResourceButPrunesItsUndeclaredFields() {
    JsonNode widget = widget("""
        strategy: Canary
        template:
          apiVersion: v1
          kind: Pod
          metadata: {labels: {app: shop}}
          spec: {image: shop:1, extra: true}
        """);

    Result result = write(widget, FieldValidation.WARN);

    JsonNode template = result.object().path("spec").path("template");
    assertThat(template.path("kind").asText()).isEqualTo("Pod");
    assertThat(template.path("metadata").path("labels").path("app").asText()).isEqualTo("shop");
    assertThat(result.warnings()).containsExactly("unknown field \"spec.template.spec.extra\"");
  }

  @Test
  void neverPrunesOrChecksTheRootMetadata() {
    JsonNode widget = WidgetCrd.parse("""
        apiVersion: example.baton.dev/v1
        kind: Widget
        metadata:
          name: w-one
          labels: {app: shop}
          annotations: {note: kept}
        spec: {strategy: Canary}
        """);

    Result result = write(widget, FieldValidation.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.object().path("metadata").path("annotations").path("note").asText()).isEqualTo("kept");
  }

  @Test
  void leavesTheCallersObjectUntouched() {
    JsonNode widget = widget("""
        strategy: Canary
        colour: blue
        """);

    write(widget, FieldValidation.IGNORE);

    assertThat(widget.path("spec").has("colour")).isTrue();
    assertThat(widget.path("spec").has("replicas")).isFalse();
  }
}
