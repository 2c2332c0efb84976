package dev.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.devcluster.validation.BoundCrdValidator;
import dev.baton.devcluster.validation.CrdSchemaValidator;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import dev.baton.devcluster.validation.CustomResourceValidator.Result;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated Application CRD, checked the way an API server checks it at {@code kubectl apply}: its
 * schema and CEL rules, evaluated by the embedded API's validator (OpenAPI walk + cel-java).
 */
class ApplicationSchemaTest {

  static BoundCrdValidator applications;

  @BeforeAll
  static void loadCrd() {
    applications = CrdSchemaValidator.forCrdYaml(Path.of("../crds/applications.baton.dev-v1.yml"));
  }

  @Test
  void everyRuleOfTheCrdCompiles() {
    assertThat(applications.compileErrors()).isEmpty();
    assertThat(CrdSchemaValidator.forCrdYaml(Path.of("../crds/canaries.baton.dev-v1.yml")).compileErrors()).isEmpty();
  }

  @Test
  void aMinimalApplicationIsAcceptedAndDefaulted() {
    Result result = applications.validate(application("""
        replicas: 2
        template:
          spec:
            containers: [{name: chat, image: "registry.example.com/chat:1.4.2"}]
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.object().at("/spec/releaseHistoryLimit").asInt()).isEqualTo(10);
  }

  @Test
  void theBriefsExampleIsAccepted() {
    Result result = applications.validate(application("""
        replicas: 6
        template:
          spec:
            containers:
            - name: chat
              image: registry.example.com/chat:1.4.2
              ports: [{name: ws, containerPort: 8080}, {name: admin, containerPort: 9090}]
        service:
          type: ClusterIP
          ports: [{name: ws, port: 80, targetPort: ws}]
        strategy:
          canary:
            steps:
            - setWeight: 10
            - pause: {duration: 2m}
            - analysis: {templateName: error-rate}
            - setWeight: 50
            - pause: {}
          trafficRouting:
            gatewayAPI: {httpRoute: chat}
        analysis:
          templates:
          - name: error-rate
            prometheus: {address: "http://prometheus:9090", query: "sum(rate(errors[1m]))"}
            successCondition: result < 0.01
        drain:
          signal: {http: {port: admin, path: /drain}}
          watch: {http: {port: admin, path: /connections}}
          timeout: 10m
          maxConcurrent: 2
        """));

    assertThat(result.errors()).isEmpty();
  }

  static Stream<Arguments> badApplications() {
    String containers = """
        template:
          spec:
            containers: [{name: chat, image: "registry.example.com/chat:1.4.2"}]
        """;
    return Stream.of(
        bad("untagged image", """
            template:
              spec:
                containers: [{name: chat, image: registry.example.com/chat}]
            """, "spec.template", "explicit tag other than 'latest'"),
        bad("latest tag", """
            template:
              spec:
                containers: [{name: chat, image: "registry.example.com/chat:latest"}]
            """, "spec.template", "explicit tag other than 'latest'"),
        bad("registry port is not a tag", """
            template:
              spec:
                containers: [{name: chat, image: "registry.example.com:5000/chat"}]
            """, "spec.template", "explicit tag"),
        bad("no containers", """
            template:
              spec:
                containers: []
            """, "spec.template", "at least one container"),
        bad("no template", "replicas: 1\n", "spec.template", "Required value"),
        bad("negative replicas", "replicas: -1\n" + containers, "spec.replicas", "greater than or equal to 0"),
        bad("weight above 100", containers + """
            strategy:
              canary:
                steps: [{setWeight: 150}]
            """, "spec.strategy.canary.steps[0].setWeight", "less than or equal to 100"),
        bad("negative weight", containers + """
            strategy:
              canary:
                steps: [{setWeight: -5}]
            """, "spec.strategy.canary.steps[0].setWeight", "greater than or equal to 0"),
        bad("a step with two actions", containers + """
            strategy:
              canary:
                steps: [{setWeight: 10, pause: {duration: 1m}}]
            """, "spec.strategy.canary.steps[0]", "exactly one of setWeight, pause or analysis"),
        bad("an empty step", containers + """
            strategy:
              canary:
                steps: [{}]
            """, "spec.strategy.canary.steps[0]", "exactly one of setWeight, pause or analysis"),
        bad("a pause that is not a duration", containers + """
            strategy:
              canary:
                steps: [{pause: {duration: two minutes}}]
            """, "spec.strategy.canary.steps[0].pause.duration", "should match"),
        bad("canary and blue-green together", containers + """
            strategy:
              canary: {steps: [{setWeight: 10}]}
              blueGreen: {}
            """, "spec.strategy", "choose one strategy"),
        bad("two traffic routers", containers + """
            strategy:
              trafficRouting:
                replicaRatio: {}
                gatewayAPI: {httpRoute: chat}
            """, "spec.strategy.trafficRouting", "choose one traffic router"),
        bad("blue-green through an HTTPRoute", containers + """
            strategy:
              blueGreen: {}
              trafficRouting:
                gatewayAPI: {httpRoute: chat}
            """, "spec.strategy", "blueGreen switches traffic with the Service selector"),
        bad("gateway API without a route", containers + """
            strategy:
              trafficRouting:
                gatewayAPI: {}
            """, "spec.strategy.trafficRouting.gatewayAPI.httpRoute", "Required value"),
        bad("maxConcurrent zero", containers + """
            drain: {maxConcurrent: 0}
            """, "spec.drain.maxConcurrent", "greater than or equal to 1"),
        bad("two drain signals", containers + """
            drain:
              signal: {annotation: {}, exec: {}}
            """, "spec.drain.signal", "exactly one of exec, http or annotation"),
        bad("no drain watch", containers + """
            drain:
              watch: {}
            """, "spec.drain.watch", "exactly one of http, prometheus or wait"),
        bad("http signal without a path", containers + """
            drain:
              signal: {http: {port: admin}}
            """, "spec.drain.signal.http.path", "Required value"),
        bad("drain timeout that is not a duration", containers + """
            drain: {timeout: forever}
            """, "spec.drain.timeout", "should match"),
        bad("an unknown service type", containers + """
            service: {type: ExternalName}
            """, "spec.service.type", "Unsupported value"),
        bad("two unnamed service ports", containers + """
            service:
              ports: [{port: 80}, {port: 81}]
            """, "spec.service.ports", "every port needs a name"),
        bad("analysis step naming no template", containers + """
            strategy:
              canary:
                steps: [{analysis: {templateName: error-rate}}]
            analysis:
              templates:
              - {name: latency, web: {url: "http://checks/latency"}, successCondition: "result < 0.5"}
            """, "spec.strategy.canary.steps", "must name a template declared in spec.analysis.templates"),
        bad("template with two providers", containers + """
            analysis:
              templates:
              - name: both
                web: {url: "http://checks/x"}
                prometheus: {address: "http://p:9090", query: up}
                successCondition: "result == 1"
            """, "spec.analysis.templates[0]", "exactly one provider"),
        bad("version with a slash", "version: release/1\n" + containers, "spec.version", "should match"),
        bad("release history over 100", "releaseHistoryLimit: 1000\n" + containers, "spec.releaseHistoryLimit",
            "less than or equal to 100"),
        bad("an unknown field", "replica: 3\n" + containers, "spec.replica", "Unknown field"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badApplications")
  void aBadApplicationIsRefusedWithAMessageNamingTheField(String why, String spec, String field, String message) {
    Result result = applications.validate(application(spec));

    assertThat(result.valid()).as(why).isFalse();
    assertThat(result.errors()).as(why)
        .anySatisfy(error -> assertThat(describe(error)).contains(field).contains(message));
  }

  @Test
  void aNameThatLeavesNoRoomForServiceSuffixesIsRefused() {
    Result result = applications.validate(application("a".repeat(56), """
        template:
          spec:
            containers: [{name: chat, image: "registry.example.com/chat:1.4.2"}]
        """));

    assertThat(result.errors()).anySatisfy(e -> assertThat(e.message()).contains("metadata.name must be at most 55"));
  }

  @Test
  void aVersionThatMakesTheDeploymentNameTooLongIsRefused() {
    Result result = applications.validate(application("chat", "version: " + "v".repeat(60) + "\n" + """
        template:
          spec:
            containers: [{name: chat, image: "registry.example.com/chat:1.4.2"}]
        """));

    assertThat(result.errors()).anySatisfy(e -> assertThat(e.message()).contains("at most 63 characters"));
  }

  private static Arguments bad(String why, String spec, String field, String message) {
    return Arguments.of(why, spec, field, message);
  }

  private static String describe(FieldError error) {
    return error.field() + " " + error.message();
  }

  static String application(String spec) {
    return application("chat", spec);
  }

  static String application(String name, String spec) {
    return "apiVersion: baton.dev/v1alpha1\nkind: Application\nmetadata:\n  name: " + name + "\n  namespace: default\nspec:\n"
        + spec.indent(2);
  }
}
