package dev.baton.plan;

import static dev.baton.plan.ApplicationPlannerTest.condition;
import static dev.baton.plan.Fixtures.app;
import static dev.baton.plan.Fixtures.pool;
import static dev.baton.plan.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the schema cannot catch: Ready=False with advice, and nothing changed in the cluster. */
class InvalidSpecAndConflictTest {

  static final String IMAGE = "registry.example.com/chat:1.4.2";

  @Test
  void aTargetPortThatNamesNoContainerPortIsInvalidSpec() {
    Application app = app(Fixtures.withService(app(IMAGE, 2).getSpec(), new ApplicationService(null, List.of(
        new ServicePortBuilder().withName("ws").withPort(80).withTargetPort(new IntOrString("websocket")).build()))));

    Plan plan = snapshot(app).plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(condition(plan.status(), "Ready")).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "InvalidSpec");
    assertThat(condition(plan.status(), "Ready").getMessage())
        .contains("spec.service.ports[0].targetPort")
        .contains("no container declares a port named 'websocket'")
        .contains("named ports are: ws");
  }

  @Test
  void aSidecarWithTheLatestTagIsInvalidSpec() {
    Application app = app(IMAGE, 1);
    app.getSpec().template().getSpec().getContainers().add(
        new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("proxy").withImage("envoyproxy/envoy:latest").build());

    Plan plan = snapshot(app).plan();

    assertThat(condition(plan.status(), "Ready").getMessage())
        .contains("spec.template.spec.containers[1].image")
        .contains("'latest'");
  }

  @Test
  void aVersionTooLongForAnObjectNameIsInvalidSpec() {
    Plan plan = snapshot(app("registry.example.com/chat:" + "1".repeat(60), 1)).plan();

    assertThat(condition(plan.status(), "Ready").getMessage())
        .contains("spec.template.spec.containers[0].image")
        .contains("set spec.version");
  }

  @Test
  void baToNsOwnLabelsInTheTemplateAreInvalidSpec() {
    Application app = app(IMAGE, 1);
    app.getSpec().template().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withLabels(Map.of("baton.dev/serving", "false")).build());

    Plan plan = snapshot(app).plan();

    assertThat(condition(plan.status(), "Ready").getMessage()).contains("spec.template.metadata.labels")
        .contains("baton.dev/serving");
  }

  @Test
  void noPortAnywhereIsInvalidSpec() {
    Application app = app(IMAGE, 1);
    app.getSpec().template().getSpec().getContainers().get(0).setPorts(List.of());

    Plan plan = snapshot(app).plan();

    assertThat(condition(plan.status(), "Ready").getMessage()).contains("spec.service.ports")
        .contains("the Service would have no port");
  }

  @Test
  void anInvalidSpecLeavesTheRunningPoolAloneAndKeepsItsStatus() {
    Application healthy = app(IMAGE, 2);
    Fixtures.Snapshot cluster = snapshot(healthy).withPool("1.4.2", pool(healthy, "1.4.2", 2, 2)).withStableService()
        .withBudget("1.4.2");
    Application broken = app(Fixtures.withService(healthy.getSpec(), new ApplicationService(null, List.of(
        new ServicePortBuilder().withPort(80).withTargetPort(new IntOrString("nope")).build()))));
    broken.setStatus(cluster.plan().status());

    Plan plan = snapshot(broken).withPool("1.4.2", pool(healthy, "1.4.2", 2, 2)).withStableService().withBudget("1.4.2").plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().stableVersion()).isEqualTo("1.4.2");
    assertThat(plan.status().pools()).hasSize(1);
    assertThat(plan.status().phase()).isEqualTo("InvalidSpec");
  }

  @Test
  void aForeignDeploymentWithThePoolsNameIsAConflictAndNothingIsCreated() {
    Plan plan = snapshot(app(IMAGE, 2)).withConflict("Deployment", "chat-1.4.2", "no owner").plan();

    assertThat(plan.actions()).isEmpty();
    assertThat(condition(plan.status(), "Ready")).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "Conflict");
    assertThat(condition(plan.status(), "Ready").getMessage())
        .contains("Deployment chat-1.4.2 already exists and is not Baton's (owner: no owner)");
  }
}
