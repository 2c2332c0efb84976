package dev.baton.plan;

import static dev.baton.plan.ApplicationPlannerTest.condition;
import static dev.baton.plan.Fixtures.NOW;
import static dev.baton.plan.Fixtures.pool;
import static dev.baton.plan.ReleasePlannerTest.annotated;
import static dev.baton.plan.ReleasePlannerTest.at;
import static dev.baton.plan.ReleasePlannerTest.canaryStatus;
import static dev.baton.plan.ReleasePlannerTest.drainStarts;
import static dev.baton.plan.ReleasePlannerTest.phase;
import static dev.baton.plan.ReleasePlannerTest.statusPointingAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Measurement;
import dev.baton.analysis.Measurement.Outcome;
import dev.baton.api.AnalysisTemplate;
import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.BlueGreenStrategy;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.api.Strategy;
import dev.baton.resources.CanaryFactory;
import dev.baton.resources.Labels;
import dev.baton.resources.ServiceFactory;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Blue-green releases from 1.0 to 1.1 with four replicas: the new pool comes up whole behind the preview Service,
 * the Service {@code chat} switches at once, and 1.0 stays ready for the two-minute rollback window.
 */
class BlueGreenPlannerTest {

  static final AnalysisTemplate SMOKE = new AnalysisTemplate("smoke", null,
      new AnalysisTemplate.WebQuery("http://checks/smoke", null), "result == 1", null, "10s", 1, 0, 0);

  @Nested
  class Starting {

    @Test
    void aNewVersionComesUpWholeBehindThePreviewWhileTheServiceStaysOnTheStableVersion() {
      Application app = app(blueGreen(true, null));
      Plan plan = new ReleasePlannerTest.ReleaseCluster(app, "1.1")
          .withService(ServiceFactory.stable(app, Optional.of("1.0"))).plan();

      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreatePool.class, c ->
          assertThat(c.deployment().getSpec().getReplicas()).isEqualTo(4)));
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreateService.class, c -> {
        assertThat(c.service().getMetadata().getName()).isEqualTo("chat-preview");
        assertThat(c.service().getSpec().getSelector()).containsEntry(Labels.POOL_VERSION, "1.1");
      }));
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.UpdateService || a instanceof Action.StartDrain);
      assertThat(plan.status().weight()).isZero();
    }

    @Test
    void theCanaryRecordsTheAnalysisAndThePauseAsItsSteps() {
      Application app = app(blueGreen(false, "smoke"));

      Canary canary = CanaryFactory.canary(app, "chat-1.1", "1.0", "1.1", NOW);

      assertThat(canary.getSpec().strategy()).isEqualTo(dev.baton.api.CanarySpec.ReleaseStrategy.BlueGreen);
      assertThat(canary.getSpec().steps()).containsExactly(CanaryStep.analysis("smoke"), CanaryStep.pause(null));
    }

    @Test
    void nothingRunsBeforeTheNewPoolIsReadyWhole() {
      Application app = app(blueGreen(true, null));
      Plan plan = release(app).withCanary(canary(app, at(0, 0, NOW.minusSeconds(30)))).withCanaryPool(4, 3).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Progressing);
      assertThat(canaryStatus(plan).message()).contains("waiting for 4 ready pods of 1.1");
      assertThat(serviceUpdate(plan, "chat")).isEmpty();
    }

    @Test
    void aNewPoolThatNeverGetsReadyIsRolledBackAndTheServiceNeverMoved() {
      Application app = app(blueGreen(true, null));
      Plan plan = release(app).withCanary(canary(app, at(0, 0, NOW.minus(Duration.ofMinutes(11)))))
          .withCanaryPool(4, 3).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(serviceUpdate(plan, "chat")).isEmpty();
      assertThat(drainStarts(plan, "1.1")).isNotEmpty();
    }
  }

  @Nested
  class Switching {

    @Test
    void aReadyPoolWithAutoPromoteSwitchesTheServiceAtOnce() {
      Application app = app(blueGreen(true, null));
      Plan plan = release(app).withCanary(canary(app, at(0, 0, NOW.minusSeconds(30)))).withCanaryPool(4, 4).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Promoting);
      assertThat(serviceUpdate(plan, "chat")).hasValueSatisfying(s ->
          assertThat(s.getSpec().getSelector()).containsEntry(Labels.POOL_VERSION, "1.1"));
      assertThat(drainStarts(plan, "1.0")).as("the old pool stays whole").isEmpty();
    }

    @Test
    void withoutAutoPromoteTheReleaseWaitsForAPromoteAction() {
      Application app = app(blueGreen(false, null));
      Plan held = release(app).withCanary(canary(app, at(0, 0, NOW.minusSeconds(30)))).withCanaryPool(4, 4).plan();

      assertThat(canaryStatus(held).phase()).isEqualTo(CanaryPhase.Paused);
      assertThat(serviceUpdate(held, "chat")).isEmpty();

      Canary paused = annotated(canary(app, phase(at(0, 0, NOW.minusSeconds(30)), CanaryPhase.Paused)), "promote");
      Plan promoted = release(app).withCanary(paused).withCanaryPool(4, 4).plan();
      assertThat(canaryStatus(promoted).phase()).isEqualTo(CanaryPhase.Promoting);
      assertThat(serviceUpdate(promoted, "chat")).isPresent();
    }

    @Test
    void aPassingPrePromotionAnalysisSwitches() {
      Application app = app(blueGreen(true, "smoke"));
      Plan plan = release(app).withCanary(canary(app, at(0, 0, NOW.minusSeconds(30)))).withCanaryPool(4, 4)
          .withMeasurement("chat-1.1", new Measurement(Outcome.SUCCESSFUL, "1", "1 == 1", NOW)).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Promoting);
    }

    @Test
    void aFailingPrePromotionAnalysisRollsBackWithoutEverSwitching() {
      Application app = app(blueGreen(true, "smoke"));
      Plan plan = release(app).withCanary(canary(app, at(0, 0, NOW.minusSeconds(30)))).withCanaryPool(4, 4)
          .withMeasurement("chat-1.1", new Measurement(Outcome.FAILED, "0", "0 is not 1", NOW)).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(serviceUpdate(plan, "chat")).isEmpty();
      assertThat(condition(plan.status(), "Degraded").getReason()).isEqualTo("ReleaseRolledBack");
    }

    @Test
    void theSwitchSeenInTheServiceStartsTheRollbackWindow() {
      Application app = app(blueGreen(true, null));
      Plan plan = release(app).withService(ServiceFactory.stable(app, Optional.of("1.1")))
          .withCanary(canary(app, phase(at(0, 100, NOW.minusSeconds(5)), CanaryPhase.Promoting))).withCanaryPool(4, 4)
          .plan();

      CanaryStatus status = canaryStatus(plan);
      assertThat(status.phase()).isEqualTo(CanaryPhase.Draining);
      assertThat(status.stepStartedAt()).isEqualTo(NOW.toString());
      assertThat(status.message()).contains("rollback window");
      assertThat(drainStarts(plan, "1.0")).as("kept whole for scaleDownDelay").isEmpty();
      assertThat(plan.requeueAfter()).hasValueSatisfying(d ->
          assertThat(d).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(2).plusSeconds(1)));
      assertThat(plan.status().weight()).isEqualTo(100);
    }
  }

  @Nested
  class RollbackWindow {

    @Test
    void anAbortInsideTheWindowSwitchesBackAndRemovesTheNewPool() {
      Application app = app(blueGreen(true, null));
      Canary switched = annotated(canary(app, phase(at(0, 100, NOW.minusSeconds(60)), CanaryPhase.Draining)), "abort");

      Plan plan = switchedCluster(app, switched).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Aborted);
      assertThat(serviceUpdate(plan, "chat")).hasValueSatisfying(s ->
          assertThat(s.getSpec().getSelector()).containsEntry(Labels.POOL_VERSION, "1.0"));
      assertThat(drainStarts(plan, "1.0")).isEmpty();
      assertThat(drainStarts(plan, "1.1")).as("the Service still selects 1.1 as observed: its pods stay until it does not")
          .isEmpty();

      Plan switchedBack = release(app).withCanaryPool(4, 4).withCanary(canary(app, canaryStatus(plan))).plan();

      assertThat(serviceUpdate(switchedBack, "chat")).isEmpty();
      assertThat(drainStarts(switchedBack, "1.1")).as("the old pool is whole and serves, so the new one goes at once")
          .isNotEmpty();
    }

    @Test
    void theOldPoolIsDrainedOnceTheWindowIsOver() {
      Application app = app(blueGreen(true, null));
      Canary switched = canary(app, phase(at(0, 100, NOW.minus(Duration.ofMinutes(2))), CanaryPhase.Draining));

      Plan plan = switchedCluster(app, switched).plan();

      assertThat(drainStarts(plan, "1.0")).hasSize(1);
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.UpdateService);
    }

    @Test
    void anAbortAfterTheWindowIsIgnored() {
      Application app = app(blueGreen(true, null));
      Canary switched = annotated(canary(app, phase(at(0, 100, NOW.minus(Duration.ofMinutes(3))), CanaryPhase.Draining)),
          "abort");

      Plan plan = switchedCluster(app, switched).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Draining);
      assertThat(canaryStatus(plan).lastAction()).startsWith("abort at");
    }

    @Test
    void aThirdVersionInsideTheWindowSwitchesBackToTheWholeStablePool() {
      Application app = app(blueGreen(true, null));
      Canary switched = canary(app, phase(at(0, 100, NOW.minusSeconds(60)), CanaryPhase.Draining));
      Application third = app(blueGreen(true, null), "1.2");
      third.setStatus(statusPointingAt("chat-1.1"));

      Plan plan = new Fixtures.Snapshot(third).withService(ServiceFactory.stable(third, Optional.of("1.1")))
          .withPool("1.0", pool(third, "1.0", 4, 4)).withPool("1.1", pool(app, "1.1", 4, 4)).withCanary(switched).plan();

      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.UpdateCanaryStatus.class, u ->
          assertThat(u.status().phase()).isEqualTo(CanaryPhase.Aborted)));
      assertThat(serviceUpdate(plan, "chat")).hasValueSatisfying(s ->
          assertThat(s.getSpec().getSelector()).containsEntry(Labels.POOL_VERSION, "1.0"));
    }

    @Test
    void settingTheVersionBackInsideTheWindowIsARollback() {
      Application app = app(blueGreen(true, null));
      Canary switched = canary(app, phase(at(0, 100, NOW.minusSeconds(60)), CanaryPhase.Draining));
      Application back = app(blueGreen(true, null), "1.0");
      back.setStatus(statusPointingAt("chat-1.1"));

      Plan plan = new Fixtures.Snapshot(back).withService(ServiceFactory.stable(back, Optional.of("1.1")))
          .withPool("1.0", pool(back, "1.0", 4, 4)).withPool("1.1", pool(app, "1.1", 4, 4)).withCanary(switched).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(serviceUpdate(plan, "chat")).hasValueSatisfying(s ->
          assertThat(s.getSpec().getSelector()).containsEntry(Labels.POOL_VERSION, "1.0"));
      assertThat(drainStarts(plan, "1.1")).as("not while the Service selects 1.1").isEmpty();
    }
  }

  @Test
  void aPrePromotionAnalysisWithoutItsTemplateIsAnInvalidSpec() {
    Application app = Fixtures.app(withStrategy(Fixtures.app("registry.example.com/chat:1.1", 4).getSpec(),
        blueGreen(true, "missing"), List.of()));

    Plan plan = Fixtures.snapshot(app).plan();

    assertThat(condition(plan.status(), "Ready").getReason()).isEqualTo("InvalidSpec");
    assertThat(condition(plan.status(), "Ready").getMessage()).contains("spec.strategy.blueGreen.prePromotionAnalysis");
  }

  // --- fixtures ---

  static Strategy blueGreen(boolean autoPromote, String analysis) {
    return new Strategy(null, new BlueGreenStrategy(true, analysis, autoPromote, "2m"), null, "10m");
  }

  static Application app(Strategy strategy) {
    return app(strategy, "1.1");
  }

  static Application app(Strategy strategy, String version) {
    ApplicationSpec base = Fixtures.app("registry.example.com/chat:" + version, 4).getSpec();
    Application app = Fixtures.app(withStrategy(base, strategy, List.of(SMOKE)));
    app.setStatus(statusPointingAt(null));
    return app;
  }

  static ApplicationSpec withStrategy(ApplicationSpec s, Strategy strategy, List<AnalysisTemplate> templates) {
    return new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), strategy, s.drain(),
        new dev.baton.api.Analysis(templates), s.releaseHistoryLimit());
  }

  /** A release of 1.1 from 1.0 (4 ready pods, the Service on 1.0, the preview on 1.1). */
  static ReleasePlannerTest.ReleaseCluster release(Strategy strategy) {
    return release(app(strategy));
  }

  static ReleasePlannerTest.ReleaseCluster release(Application app) {
    ReleasePlannerTest.ReleaseCluster cluster = new ReleasePlannerTest.ReleaseCluster(app, "1.1");
    cluster.withService(ServiceFactory.stable(app, Optional.of("1.0"))).withService(ServiceFactory.preview(app, "1.1"));
    return cluster;
  }

  /** After the switch: both pools whole, the Service on 1.1. */
  static Fixtures.Snapshot switchedCluster(Application app, Canary canary) {
    app.setStatus(statusPointingAt("chat-1.1"));
    return release(app).withService(ServiceFactory.stable(app, Optional.of("1.1"))).withCanaryPool(4, 4)
        .withCanary(canary);
  }

  static Canary canary(Application app, CanaryStatus status) {
    return ReleasePlannerTest.canary(app, "1.1", status);
  }

  static Optional<Service> serviceUpdate(Plan plan, String name) {
    return plan.actions().stream()
        .filter(a -> a instanceof Action.UpdateService u && u.desired().getMetadata().getName().equals(name))
        .map(a -> ((Action.UpdateService) a).desired())
        .findFirst();
  }
}
