package dev.baton.devcluster.validation;

import static dev.baton.devcluster.validation.WidgetCrd.widget;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldValidation;
import dev.baton.devcluster.validation.CustomResourceValidator.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class CelRuleValidationTest {

  private static final CrdSchemaValidator VALIDATOR = new CrdSchemaValidator();

  private static List<String> createErrors(JsonNode object) {
    return messages(VALIDATOR.validate(WidgetCrd.crd(), object, null, FieldValidation.STRICT));
  }

  private static List<String> updateErrors(JsonNode oldObject, JsonNode object) {
    return messages(VALIDATOR.validate(WidgetCrd.crd(), object, oldObject, FieldValidation.STRICT));
  }

  private static List<String> messages(Result result) {
    return result.errors().stream().map(FieldError::message).toList();
  }

  @Test
  void comparesIntegersEvenWhenJacksonParsedThemAsInts() {
    // given values parsed by Jackson's defaults (IntNode), which cel-java cannot compare as they are
    JsonNode widget = widget("""
        strategy: Canary
        replicas: 3
        maxUnavailable: 2
        """);
    assertThat(widget.path("spec").path("replicas").isInt()).isTrue();

    // when / then the rule `self.maxUnavailable <= self.replicas` evaluates instead of failing on overloads
    assertThat(createErrors(widget)).isEmpty();
    assertThat(createErrors(WidgetCrd.parseWithLongs(widget.toString()))).isEmpty();
  }

  @Test
  void reportsTheMessageExpressionOfAFailedRule() {
    assertThat(createErrors(widget("""
        strategy: Canary
        replicas: 2
        maxUnavailable: 5
        """))).containsExactly("spec: Invalid value: \"object\": maxUnavailable 5 exceeds replicas 2");
  }

  @Test
  void reportsAtTheRulesFieldPathWithTheTypeOfItsReason() {
    assertThat(createErrors(widget("strategy: BlueGreen")))
        .containsExactly("spec.previewService: Required value: previewService is required for BlueGreen");
  }

  @Test
  void usesForbiddenForAForbiddenReasonAndUsesStringExtensions() {
    assertThat(createErrors(widget("""
        strategy: Canary
        owner: nobody
        """))).containsExactly("spec: Forbidden: owner must be an e-mail address");
    assertThat(createErrors(widget("""
        strategy: Canary
        owner: team@example.com
        """))).isEmpty();
  }

  @Test
  void evaluatesRulesOfListItemsForEachItemAtItsIndex() {
    assertThat(createErrors(widget("""
        strategy: Canary
        steps: [{weight: 20}, {weight: 120}]
        """))).containsExactly("spec.steps[1].weight: Invalid value: \"integer\": weight 120 exceeds 100");
  }

  @Test
  void evaluatesRootRulesOnMetadataName() {
    assertThat(createErrors(WidgetCrd.widgetNamed("shop", "strategy: Canary")))
        .containsExactly("<nil>: Invalid value: \"object\": metadata.name must start with w-");
  }

  @Test
  void skipsRulesOfAbsentFields() {
    // region's transition rule and the weight rule have no value to run on
    assertThat(createErrors(widget("strategy: Canary"))).isEmpty();
  }

  @Test
  void skipsTransitionRulesOnCreate() {
    assertThat(createErrors(widget("""
        strategy: Canary
        region: eu
        """))).isEmpty();
  }

  @Test
  void rejectsAChangeToAnImmutableFieldOnUpdate() {
    JsonNode before = widget("""
        strategy: Canary
        region: eu
        """);
    JsonNode after = widget("""
        strategy: Canary
        region: us
        """);

    assertThat(updateErrors(before, after)).containsExactly("spec.region: Invalid value: \"string\": is immutable");
    assertThat(updateErrors(before, before)).isEmpty();
  }

  @Test
  void skipsATransitionRuleWhenTheOldObjectLacksTheField() {
    JsonNode before = widget("strategy: Canary");
    JsonNode after = widget("""
        strategy: Canary
        region: us
        """);

    assertThat(updateErrors(before, after)).isEmpty();
  }

  @Test
  void runsOptionalOldSelfRulesOnCreateWithAnEmptyOldSelf() {
    assertThat(createErrors(widget("""
        strategy: Canary
        revision: 2
        """))).containsExactly("spec.revision: Invalid value: \"integer\": revision starts at 1 and never decreases");
    assertThat(createErrors(widget("""
        strategy: Canary
        revision: 1
        """))).isEmpty();
  }

  @Test
  void runsOptionalOldSelfRulesOnUpdateWithTheOldValue() {
    JsonNode before = widget("""
        strategy: Canary
        revision: 3
        """);

    assertThat(updateErrors(before, widget("""
        strategy: Canary
        revision: 4
        """))).isEmpty();
    assertThat(updateErrors(before, widget("""
        strategy: Canary
        revision: 2
        """))).containsExactly("spec.revision: Invalid value: \"integer\": revision starts at 1 and never decreases");
  }

  @Test
  void correlatesItemsOfMapListsByKeyForTransitionRules() {
    JsonNode before = widget("""
        strategy: Canary
        ports: [{name: http, number: 80}, {name: grpc, number: 81}]
        """);
    // reordered, grpc changed its number, admin is new (no old value: rule skipped)
    JsonNode after = widget("""
        strategy: Canary
        ports: [{name: grpc, number: 90}, {name: http, number: 80}, {name: admin, number: 99}]
        """);

    assertThat(updateErrors(before, after))
        .containsExactly("spec.ports[0]: Invalid value: \"object\": port numbers are immutable");
  }

  @Test
  void doesNotRunRulesWhenTheSchemaFoundBlockingErrors() {
    // the rules on spec read self.strategy, which is missing: the server does not run them
    assertThat(createErrors(widget("replicas: 2"))).containsExactly(
        "spec.strategy: Required value",
        "<nil>: Invalid value: \"null\": " + CrdSchemaValidator.RULES_NOT_CHECKED);
  }

  @Test
  void reportsARuleThatDoesNotCompileNamingTheRule() {
    BoundCrdValidator validator = CrdSchemaValidator.forCrdYaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.baton.dev}
        spec:
          group: example.baton.dev
          names: {kind: Gadget, plural: gadgets}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      x-kubernetes-validations:
                        - rule: "self.size >"
                      properties:
                        size: {type: integer}
        """);

    assertThat(validator.compileErrors()).singleElement().asString()
        .startsWith("v1: spec: rule \"self.size >\": compilation failed:");
    Result result = validator.validate("""
        apiVersion: example.baton.dev/v1
        kind: Gadget
        metadata: {name: g}
        spec: {size: 1}
        """);
    assertThat(result.errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("spec");
      assertThat(error.detail()).startsWith("rule compile error: compilation failed:").contains("self.size >");
    });
  }

  @Test
  void reportsAnEvaluationErrorAsAnInvalidValueNamingTheRule() {
    BoundCrdValidator validator = CrdSchemaValidator.forCrdYaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.baton.dev}
        spec:
          group: example.baton.dev
          names: {kind: Gadget, plural: gadgets}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      x-kubernetes-validations:
                        - rule: "self.size / self.parts > 1"
                      properties:
                        size: {type: integer}
                        parts: {type: integer}
        """);

    Result result = validator.validate("""
        apiVersion: example.baton.dev/v1
        kind: Gadget
        metadata: {name: g}
        spec: {size: 4, parts: 0}
        """);

    assertThat(result.errors()).singleElement().satisfies(error -> {
      assertThat(error.type()).isEqualTo("Invalid value");
      // cel-java words it "/ by zero" where cel-go says "division by zero"
      assertThat(error.detail()).contains("by zero").endsWith("evaluating rule: self.size / self.parts > 1");
    });
  }
}
