package dev.baton.plan;

import static dev.baton.plan.Fixtures.app;
import static dev.baton.plan.Fixtures.pool;
import static dev.baton.plan.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import dev.baton.api.ApplicationStatus;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given a snapshot of the cluster, the next actions and the status: the first release and a settled pool. */
class ApplicationPlannerTest {

  static final String IMAGE = "registry.example.com/chat:1.4.2";

  @Nested
  class FirstRelease {

    @Test
    void createsThePoolTheStableServiceAndADisruptionBudget() {
      Plan plan = snapshot(app(IMAGE, 3)).plan();

      assertThat(plan.actions()).hasSize(3);
      assertThat(plan.actions().get(0)).isInstanceOfSatisfying(Action.CreatePool.class, create -> {
        Deployment d = create.deployment();
        assertThat(d.getMetadata().getName()).isEqualTo("chat-1.4.2");
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels())
            .containsOnly(entry(Labels.APPLICATION, "chat"), entry(Labels.POOL_VERSION, "1.4.2"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
            .containsEntry(Labels.SERVING, "true")
            .containsEntry(Labels.VERSION, "1.4.2")
            .containsEntry(Labels.NAME, "chat");
        assertThat(d.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(ref -> assertThat(ref.getUid()).isEqualTo("uid-chat"))
            .satisfies(ref -> assertThat(ref.getController()).isTrue());
      });
      assertThat(plan.actions().get(1)).isInstanceOfSatisfying(Action.CreateService.class, create ->
          assertThat(create.service().getSpec().getSelector())
              .containsOnly(entry(Labels.APPLICATION, "chat"), entry(Labels.SERVING, "true")));
      assertThat(plan.actions().get(2)).isInstanceOf(Action.CreateDisruptionBudget.class);
    }

    @Test
    void singleReplicaPoolGetsNoDisruptionBudget() {
      Plan plan = snapshot(app(IMAGE, 1)).plan();

      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.CreateDisruptionBudget);
    }

    @Test
    void isProgressingUntilEveryPodIsReady() {
      Application app = app(IMAGE, 3);
      Plan plan = snapshot(app).withPool("1.4.2", pool(app, "1.4.2", 3, 1)).withStableService().withBudget("1.4.2").plan();

      assertThat(plan.actions()).isEmpty();
      assertThat(condition(plan.status(), "Ready")).extracting(Condition::getStatus, Condition::getReason)
          .containsExactly("False", "PoolNotReady");
      assertThat(condition(plan.status(), "Progressing").getStatus()).isEqualTo("True");
      assertThat(plan.status().ready()).isEqualTo("1/3");
      assertThat(plan.status().phase()).isEqualTo("Progressing");
      assertThat(plan.status().stableVersion()).isNull();
    }

    @Test
    void becomesReadyAndStableOnceThePoolIsRolledOut() {
      Application app = app(IMAGE, 3);
      Plan plan = snapshot(app).withPool("1.4.2", pool(app, "1.4.2", 3, 3)).withStableService().withBudget("1.4.2").plan();

      assertThat(plan.actions()).isEmpty();
      ApplicationStatus status = plan.status();
      assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason)
          .containsExactly("True", "PoolReady");
      assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
      assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
      assertThat(status.observedGeneration()).isEqualTo(1L);
      assertThat(status.version()).isEqualTo("1.4.2");
      assertThat(status.stableVersion()).isEqualTo("1.4.2");
      assertThat(status.ready()).isEqualTo("3/3");
      assertThat(status.weight()).isEqualTo(100);
      assertThat(status.pools()).singleElement()
          .isEqualTo(new ApplicationStatus.PoolStatus("1.4.2", "chat-1.4.2", 3, 3, 100));
    }

    @Test
    void aPoolThatMissedItsProgressDeadlineIsDegraded() {
      Application app = app(IMAGE, 2);
      Plan plan = snapshot(app).withPool("1.4.2", Fixtures.stalled(pool(app, "1.4.2", 2, 0)))
          .withStableService().withBudget("1.4.2").plan();

      assertThat(condition(plan.status(), "Degraded")).extracting(Condition::getStatus, Condition::getReason)
          .containsExactly("True", "ProgressDeadlineExceeded");
      assertThat(condition(plan.status(), "Degraded").getMessage()).contains("kubectl describe pods");
      assertThat(plan.status().phase()).isEqualTo("Degraded");
    }
  }

  @Nested
  class SettledPool {

    @Test
    void aSettledApplicationNeedsNoActionAndTheSameStatusAgain() {
      Application app = app(IMAGE, 3);
      Fixtures.Snapshot cluster = snapshot(app).withPool("1.4.2", pool(app, "1.4.2", 3, 3)).withStableService()
          .withBudget("1.4.2");
      app.setStatus(cluster.plan().status());

      Plan again = ApplicationPlanner.plan(cluster.build(), Fixtures.NOW.plusSeconds(3600));

      assertThat(again.actions()).isEmpty();
      assertThat(again.status()).isEqualTo(app.getStatus());
    }

    @Test
    void scalingReplicasScalesTheLivePool() {
      Application app = app(IMAGE, 5);
      Plan plan = snapshot(app).withPool("1.4.2", pool(app(IMAGE, 3), "1.4.2", 3, 3)).withStableService()
          .withBudget("1.4.2").plan();

      assertThat(plan.actions()).containsExactly(new Action.ScalePool("chat-1.4.2", 3, 5));
      assertThat(condition(plan.status(), "Ready").getStatus()).isEqualTo("False");
    }

    @Test
    void scalingDownDrainsAPodFirstAndDropsTheBudgetOfAOnePodPool() {
      Application app = app(IMAGE, 1);
      Plan plan = snapshot(app).withPool("1.4.2", pool(app(IMAGE, 2), "1.4.2", 2, 2)).withStableService()
          .withBudget("1.4.2").plan();

      assertThat(plan.actions()).hasSize(2);
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.StartDrain.class, start ->
          assertThat(start.pod().getMetadata().getName()).isEqualTo("chat-1.4.2-1")));
      assertThat(plan.actions()).contains(new Action.DeleteDisruptionBudget("chat-1.4.2"));
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.ScalePool);
    }

    @Test
    void aTemplateChangeWithinTheVersionIsReleasedAsARevisionNotRolledInPlace() {
      Application before = app(IMAGE, 2);
      Application after = app(IMAGE, 2);
      after.getSpec().template().getSpec().getContainers().get(0).setArgs(List.of("--verbose"));
      after.setStatus(new ApplicationStatus(1L, List.of(), "1.4.2", "1.4.2", null, "2/2", 100, "Ready", List.of(), null,
          null));

      Plan plan = snapshot(after).withPool("1.4.2", pool(before, "1.4.2", 2, 2)).withStableService()
          .withBudget("1.4.2").plan();

      String revision = "1.4.2-" + dev.baton.resources.PoolFactory.templateHash(after.getSpec().template()).substring(0, 6);
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.UpdatePoolTemplate);
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreateCanary.class, c -> {
        assertThat(c.canary().getSpec().fromVersion()).isEqualTo("1.4.2");
        assertThat(c.canary().getSpec().toVersion()).isEqualTo(revision);
      }));
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreatePool.class, c ->
          assertThat(c.deployment().getMetadata().getName()).isEqualTo("chat-" + revision)));
      assertThat(plan.status().version()).isEqualTo(revision);
    }

    @Test
    void aRevisionWhosePoolRunsTheTemplateStaysItsVersion() {
      Application after = app(IMAGE, 2);
      after.getSpec().template().getSpec().getContainers().get(0).setArgs(List.of("--verbose"));
      String revision = "1.4.2-" + dev.baton.resources.PoolFactory.templateHash(after.getSpec().template()).substring(0, 6);
      after.setStatus(new ApplicationStatus(1L, List.of(), revision, revision, null, "2/2", 100, "Ready", List.of(), null,
          null));

      Plan plan = snapshot(after).withPool(revision, pool(after, revision, 2, 2)).withStableService()
          .withBudget(revision).plan();

      assertThat(plan.actions()).isEmpty();
      assertThat(plan.status().version()).isEqualTo(revision);
    }

    @Test
    void aTemplateSetBackDuringItsRevisionsReleaseIsARollbackToThePoolThatRunsIt() {
      Application original = app(IMAGE, 2);
      Application changed = app(IMAGE, 2);
      changed.getSpec().template().getSpec().getContainers().get(0).setArgs(List.of("--verbose"));
      String revision = "1.4.2-" + dev.baton.resources.PoolFactory.templateHash(changed.getSpec().template()).substring(0, 6);

      String resolved = VersionResolver.resolve(original,
          java.util.Map.of("1.4.2", pool(original, "1.4.2", 2, 2), revision, pool(changed, revision, 1, 1))).orElseThrow();

      assertThat(resolved).isEqualTo("1.4.2");
    }

    @Test
    void aServiceEditedByHandIsPutBack() {
      Application app = app(IMAGE, 2);
      var edited = new ServiceBuilder(dev.baton.resources.ServiceFactory.stable(app))
          .editSpec().withSelector(java.util.Map.of("app", "something-else")).endSpec().build();

      Plan plan = snapshot(app).withPool("1.4.2", pool(app, "1.4.2", 2, 2)).withService(edited).withBudget("1.4.2").plan();

      assertThat(plan.actions()).singleElement().isInstanceOf(Action.UpdateService.class);
    }

    @Test
    void serverDefaultsOnTheServiceAreNotADifference() {
      Application app = app(IMAGE, 2);
      var defaulted = new ServiceBuilder(dev.baton.resources.ServiceFactory.stable(app))
          .editSpec().withClusterIP("10.96.0.12").withSessionAffinity("None").endSpec().build();

      Plan plan = snapshot(app).withPool("1.4.2", pool(app, "1.4.2", 2, 2)).withService(defaulted).withBudget("1.4.2").plan();

      assertThat(plan.actions()).isEmpty();
    }

    @Test
    void anAllocatedNodePortIsKeptWhenTheServiceIsUpdated() {
      Application app = app(Fixtures.withService(app(IMAGE, 2).getSpec(), new ApplicationService(
          ApplicationService.ServiceType.NodePort,
          List.of(new ServicePortBuilder().withName("ws").withPort(80).withTargetPort(new IntOrString("ws")).build()))));
      var stored = new ServiceBuilder(dev.baton.resources.ServiceFactory.stable(app))
          .editSpec().withType("ClusterIP").editFirstPort().withNodePort(31234).endPort().endSpec().build();

      Plan plan = snapshot(app).withPool("1.4.2", pool(app, "1.4.2", 2, 2)).withService(stored).withBudget("1.4.2").plan();

      assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.UpdateService.class, update ->
          assertThat(update.desired().getSpec().getPorts().get(0).getNodePort()).isEqualTo(31234));
    }

    @Test
    void aStaleDeploymentStatusIsNotReadyEvenWithEnoughReadyPods() {
      Application app = app(IMAGE, 2);
      Deployment stale = new DeploymentBuilder(pool(app, "1.4.2", 2, 2)).editMetadata().withGeneration(2L).endMetadata().build();

      Plan plan = snapshot(app).withPool("1.4.2", stale).withStableService().withBudget("1.4.2").plan();

      assertThat(condition(plan.status(), "Ready").getStatus()).isEqualTo("False");
    }
  }

  @Nested
  class VersionNaming {

    @Test
    void anExplicitVersionNamesThePool() {
      Plan plan = snapshot(app(IMAGE, 1, "2026-11-blue")).plan();

      assertThat(((Action.CreatePool) plan.actions().get(0)).deployment().getMetadata().getName())
          .isEqualTo("chat-2026-11-blue");
    }

    @Test
    void aDigestOnlyImageIsNamedByTheDigestsFirstTwelveHexDigits() {
      Plan plan = snapshot(app("registry.example.com/chat@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1)).plan();

      assertThat(plan.status().version()).isEqualTo("0123456789ab");
    }

    @Test
    void versionsWithUppercaseAndUnderscoresGiveValidObjectNames() {
      Plan plan = snapshot(app("registry.example.com/chat:1.4.2_RC1", 1)).plan();

      assertThat(((Action.CreatePool) plan.actions().get(0)).deployment().getMetadata().getName())
          .isEqualTo("chat-1.4.2-rc1");
      assertThat(plan.status().version()).isEqualTo("1.4.2_RC1");
    }
  }

  static Condition condition(ApplicationStatus status, String type) {
    return status.condition(type).orElseThrow(() -> new AssertionError("no condition " + type));
  }

  static java.util.Map.Entry<String, String> entry(String key, String value) {
    return java.util.Map.entry(key, value);
  }
}
