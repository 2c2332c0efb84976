package dev.baton.plan;

import static dev.baton.plan.ApplicationPlannerTest.condition;
import static dev.baton.plan.Fixtures.NOW;
import static dev.baton.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Measurement;
import dev.baton.analysis.Measurement.Outcome;
import dev.baton.api.AnalysisTemplate;
import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.ApplicationStatus;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.api.CanaryStrategy;
import dev.baton.api.CanaryStrategy.StableScaling;
import dev.baton.api.Strategy;
import dev.baton.resources.CanaryFactory;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A release from 1.0 to 1.1 with four replicas, step by step: given the pools, the Canary's status and
 * the clock, the next actions. Steps: 25%, pause 1m, 50%, pause until promoted.
 */
class ReleasePlannerTest {

  static final List<CanaryStep> STEPS = List.of(
      CanaryStep.setWeight(25), CanaryStep.pause("1m"), CanaryStep.setWeight(50), new CanaryStep(null, new CanaryStep.Pause(null), null));

  @Nested
  class Starting {

    @Test
    void aNewVersionStartsACanaryAndTheNewPoolAtTheFirstWeight() {
      Plan plan = release("1.1", KEEP_FULL).plan();

      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreateCanary.class, c -> {
        assertThat(c.canary().getMetadata().getName()).isEqualTo("chat-1.1");
        assertThat(c.canary().getSpec().fromVersion()).isEqualTo("1.0");
        assertThat(c.canary().getSpec().toVersion()).isEqualTo("1.1");
        assertThat(c.canary().getSpec().steps()).isEqualTo(STEPS);
        assertThat(c.canary().getMetadata().getOwnerReferences()).singleElement()
            .satisfies(ref -> assertThat(ref.getUid()).isEqualTo("uid-chat"));
      }));
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreatePool.class, c ->
          assertThat(c.deployment().getSpec().getReplicas()).isEqualTo(1)));
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.ScalePool || a instanceof Action.StartDrain);
      assertThat(plan.status().phase()).isEqualTo("Progressing");
      assertThat(plan.status().stableVersion()).isEqualTo("1.0");
      assertThat(plan.status().releaseVersion()).isEqualTo("1.1");
      assertThat(plan.status().canary()).isEqualTo("chat-1.1");
    }

    @Test
    void theCanarysFirstStatusIsWrittenOnceItExists() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(canary("1.1", null)).withCanaryPool(1, 0).plan();

      CanaryStatus status = canaryStatus(plan);
      assertThat(status.phase()).isEqualTo(CanaryPhase.Progressing);
      assertThat(status.currentStep()).isZero();
      assertThat(status.currentWeight()).isEqualTo(25);
      assertThat(status.startedAt()).isEqualTo(NOW.toString());
    }
  }

  @Nested
  class Steps {

    @Test
    void aWeightStepWaitsUntilTheNewPoolIsReady() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(canary("1.1", at(0, 25, NOW.minusSeconds(30))))
          .withCanaryPool(1, 0).plan();

      assertThat(plan.actions()).allMatch(a -> a instanceof Action.UpdateCanaryStatus);
      assertThat(canaryStatus(plan).currentStep()).isZero();
      assertThat(canaryStatus(plan).message()).isEqualTo("step 0: waiting for 1 ready pods of 1.1");
      assertThat(plan.status().phase()).isEqualTo("Progressing");
      assertThat(plan.requeueAfter()).as("woken at the progress deadline").isPresent();
    }

    @Test
    void aReadyPoolCompletesTheWeightStepAndStartsTheTimedPause() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(canary("1.1", at(0, 25, NOW.minusSeconds(30))))
          .withCanaryPool(1, 1).plan();

      CanaryStatus status = canaryStatus(plan);
      assertThat(status.currentStep()).isEqualTo(1);
      assertThat(status.stepStartedAt()).isEqualTo(NOW.toString());
      assertThat(plan.requeueAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(60),
          Duration.ofSeconds(61)));
    }

    @Test
    void aTimedPauseEndsAtItsTimeAndTheNextWeightGrowsTheNewPool() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(canary("1.1", at(1, 25, NOW.minusSeconds(60))))
          .withCanaryPool(1, 1).plan();

      assertThat(canaryStatus(plan).currentStep()).isEqualTo(2);
      assertThat(plan.actions()).contains(new Action.ScalePool("chat-1.1", 1, 2));
    }

    @Test
    void aTimedPauseThatIsNotOverRequeuesForItsEnd() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(canary("1.1", at(1, 25, NOW.minusSeconds(20))))
          .withCanaryPool(1, 1).plan();

      assertThat(plan.actions()).allMatch(a -> a instanceof Action.UpdateCanaryStatus);
      assertThat(canaryStatus(plan).currentStep()).isEqualTo(1);
      assertThat(plan.requeueAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(40),
          Duration.ofSeconds(41)));
    }

    @Test
    void aPauseWithoutDurationWaitsForPromotion() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(canary("1.1", at(3, 50, NOW.minusSeconds(5))))
          .withCanaryPool(2, 2).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Paused);
      assertThat(canaryStatus(plan).message()).contains("kubectl annotate canary chat-1.1 baton.dev/action=promote");
      assertThat(condition(plan.status(), "Progressing").getReason()).isEqualTo("ReleasePaused");
    }

    @Test
    void promotingAnOpenPauseGrowsTheNewPoolToAllReplicas() {
      Canary paused = annotated(canary("1.1", phase(at(3, 50, NOW.minusSeconds(5)), CanaryPhase.Paused)), "promote");

      Plan plan = release("1.1", KEEP_FULL).withCanary(paused).withCanaryPool(2, 2).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Promoting);
      assertThat(canaryStatus(plan).lastAction()).startsWith("promote at");
      assertThat(plan.actions()).contains(new Action.ScalePool("chat-1.1", 2, 4));
      assertThat(plan.actions()).anyMatch(a -> a instanceof Action.ClearCanaryAction);
    }

    @Test
    void aFullyReadyNewPoolRetiresTheOldOne() {
      Plan plan = release("1.1", KEEP_FULL)
          .withCanary(canary("1.1", phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Promoting)))
          .withCanaryPool(4, 4).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Draining);
      assertThat(drainStarts(plan, "1.0")).as("one old pod at a time (maxConcurrent 1)").hasSize(1);
    }

    @Test
    void theWeightCountsOnlyPodsStillInTheServices() {
      ReleaseCluster cluster = release("1.1", KEEP_FULL);
      cluster.application().setStatus(statusPointingAt("chat-1.1"));
      cluster.withCanary(canary("1.1", phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Draining)))
          .withCanaryPool(4, 4);
      List<io.fabric8.kubernetes.api.model.Pod> old = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        io.fabric8.kubernetes.api.model.Pod pod = Fixtures.pod("chat-1.0-" + i, "1.0", true, i);
        old.add(i < 2 ? Fixtures.draining(pod, Map.of(dev.baton.resources.Labels.DRAIN_STARTED_ANNOTATION,
            NOW.minusSeconds(1).toString())) : pod);
      }
      cluster.withPods("1.0", old);

      Plan plan = cluster.plan();

      assertThat(plan.status().weight()).as("4 new pods of the 6 still serving").isEqualTo(67);
    }

    @Test
    void theReleaseSucceedsOnceTheOldPoolIsGoneAndTheNewVersionIsStable() {
      Application app = app("1.1", KEEP_FULL);
      app.setStatus(statusPointingAt("chat-1.1"));
      Canary draining = canary("1.1", phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Draining));
      Plan plan = new Fixtures.Snapshot(app).withStableService()
          .withPool("1.1", pool(app, "1.1", 4, 4)).withBudget("1.1").withCanary(draining).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Succeeded);
      assertThat(canaryStatus(plan).finishedAt()).isEqualTo(NOW.toString());
      assertThat(plan.status().stableVersion()).isEqualTo("1.1");

      // Once both statuses are written, the application is settled on 1.1.
      app.setStatus(plan.status());
      draining.setStatus(canaryStatus(plan));
      Plan settled = new Fixtures.Snapshot(app).withStableService()
          .withPool("1.1", pool(app, "1.1", 4, 4)).withBudget("1.1").withCanary(draining).plan();
      assertThat(settled.actions()).isEmpty();
      assertThat(condition(settled.status(), "Ready").getStatus()).isEqualTo("True");
      assertThat(settled.status().canary()).isEqualTo("chat-1.1");
    }
  }

  @Nested
  class Failures {

    @Test
    void aNewPoolThatNeverGetsReadyIsRolledBackAtTheProgressDeadline() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(canary("1.1", at(0, 25, NOW.minus(Duration.ofMinutes(11)))))
          .withCanaryPool(1, 0).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(canaryStatus(plan).message()).contains("progress deadline");
      assertThat(drainStarts(plan, "1.1")).hasSize(1);
      assertThat(condition(plan.status(), "Degraded")).extracting(Condition::getStatus, Condition::getReason)
          .containsExactly("True", "ReleaseRolledBack");
    }

    @Test
    void abortDuringAPauseSendsTrafficBackAndRemovesTheNewPool() {
      Canary pausing = annotated(canary("1.1", at(1, 25, NOW.minusSeconds(10))), "abort");

      Plan plan = release("1.1", KEEP_FULL).withCanary(pausing).withCanaryPool(1, 1).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Aborted);
      assertThat(drainStarts(plan, "1.1")).hasSize(1);
      assertThat(plan.status().phase()).isEqualTo("Aborted");
      assertThat(condition(plan.status(), "Degraded").getReason()).isEqualTo("ReleaseAborted");
      assertThat(condition(plan.status(), "Ready").getStatus()).isEqualTo("False");
    }

    @Test
    void anAbortedReleaseDoesNotRecreateTheNewPoolOnceItIsGone() {
      Canary aborted = canary("1.1", finished(at(1, 25, NOW.minusSeconds(60)), CanaryPhase.Aborted));
      ReleaseCluster cluster = release("1.1", KEEP_FULL).withCanary(aborted);
      cluster.application().setStatus(statusPointingAt("chat-1.1"));

      Plan plan = cluster.plan();

      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.CreatePool);
      assertThat(plan.status().phase()).isEqualTo("Aborted");
    }

    @Test
    void withShrinkAnAbortScalesTheStablePoolBackUpBeforeTheNewPoolGoes() {
      Application app = app("1.1", SHRINK);
      Canary aborting = annotated(canary(app, "1.1", at(2, 50, NOW.minusSeconds(10))), "abort");

      Plan plan = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", SHRINK), "1.0", 2, 2)).withPool("1.1", pool(app, "1.1", 2, 2))
          .withCanary(aborting).plan();

      assertThat(plan.actions()).contains(new Action.ScalePool("chat-1.0", 2, 4));
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.StartDrain);
    }

    @Test
    void aThirdVersionSupersedesTheRunningReleaseWhichEndsAborted() {
      Application app = app("1.2", KEEP_FULL);
      app.setStatus(statusPointingAt("chat-1.1"));

      Plan plan = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", KEEP_FULL), "1.0", 4, 4)).withPool("1.1", pool(app("1.1", KEEP_FULL), "1.1", 1, 1))
          .withCanary(canary("1.1", at(1, 25, NOW.minusSeconds(10)))).plan();

      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.UpdateCanaryStatus.class, u -> {
        assertThat(u.canary().getMetadata().getName()).isEqualTo("chat-1.1");
        assertThat(u.status().phase()).isEqualTo(CanaryPhase.Aborted);
        assertThat(u.status().message()).contains("superseded by version 1.2");
      }));
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreateCanary.class, c ->
          assertThat(c.canary().getSpec().fromVersion()).isEqualTo("1.0")));
      assertThat(drainStarts(plan, "1.1")).hasSize(1);
    }

    @Test
    void aThirdVersionArrivingWhileTheOldPoolDrainsConcludesTheReleaseAndStartsFromItsVersion() {
      Application app = app("1.2", KEEP_FULL);
      app.setStatus(statusPointingAt("chat-1.1"));

      Plan plan = new Fixtures.Snapshot(app).withStableService().withBudget("1.1")
          .withPool("1.0", pool(app("1.0", KEEP_FULL), "1.0", 2, 2)).withPool("1.1", pool(app("1.1", KEEP_FULL), "1.1", 4, 4))
          .withCanary(canary("1.1", phase(at(4, 100, NOW.minusSeconds(10)), CanaryPhase.Draining))).plan();

      assertThat(canaryStatus(plan).phase()).as("1.1 serves everything already").isEqualTo(CanaryPhase.Succeeded);
      assertThat(canaryStatus(plan).message()).contains("version 1.2 arrived while 1.0 was drained");
      assertThat(plan.status().stableVersion()).isEqualTo("1.1");
      assertThat(plan.actions()).as("1.0 is not scaled back up to take traffic again")
          .noneMatch(a -> a instanceof Action.ScalePool s && s.deployment().equals("chat-1.0") && s.to() > 2);
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.CreateCanary);
      assertThat(drainStarts(plan, "1.0")).hasSize(1);

      // Next: the release of 1.2 starts from 1.1.
      app.setStatus(plan.status());
      Canary concluded = canary("1.1", canaryStatus(plan));
      Plan next = new Fixtures.Snapshot(app).withStableService().withBudget("1.1")
          .withPool("1.1", pool(app("1.1", KEEP_FULL), "1.1", 4, 4)).withCanary(concluded).plan();
      assertThat(next.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreateCanary.class, c ->
          assertThat(c.canary().getSpec().fromVersion()).isEqualTo("1.1")));
    }

    @Test
    void goingBackToTheStableVersionMidReleaseIsARollback() {
      Application app = app("1.0", KEEP_FULL);
      app.setStatus(statusPointingAt("chat-1.1"));

      Plan plan = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app, "1.0", 4, 4)).withPool("1.1", pool(app("1.1", KEEP_FULL), "1.1", 1, 1))
          .withCanary(canary("1.1", at(1, 25, NOW.minusSeconds(10)))).plan();

      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.UpdateCanaryStatus.class, u ->
          assertThat(u.status().phase()).isEqualTo(CanaryPhase.RolledBack)));
      assertThat(drainStarts(plan, "1.1")).hasSize(1);
      assertThat(plan.status().phase()).isEqualTo("Progressing");
      assertThat(plan.status().stableVersion()).isEqualTo("1.0");
    }

    @Test
    void retryStartsAnAbortedReleaseAgainFromItsFirstStep() {
      Canary aborted = annotated(canary("1.1", finished(at(1, 25, NOW.minusSeconds(300)), CanaryPhase.Aborted)), "retry");

      ReleaseCluster cluster = release("1.1", KEEP_FULL).withCanary(aborted);
      cluster.application().setStatus(statusPointingAt("chat-1.1"));
      Plan plan = cluster.plan();

      CanaryStatus status = canaryStatus(plan);
      assertThat(status.phase()).isEqualTo(CanaryPhase.Progressing);
      assertThat(status.currentStep()).isZero();
      assertThat(status.finishedAt()).isNull();
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.CreatePool.class, c ->
          assertThat(c.deployment().getSpec().getReplicas()).isEqualTo(1)));
    }
  }

  @Nested
  class Analysis {

    static final AnalysisTemplate ERROR_RATE = new AnalysisTemplate("error-rate", null,
        new AnalysisTemplate.WebQuery("http://checks/error-rate", null), "result < 0.01", null, "10s", 2, 0, 0);

    Application analysed() {
      Application app = app("1.1", KEEP_FULL);
      ApplicationSpec s = app.getSpec();
      app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(),
          new Strategy(new CanaryStrategy(List.of(CanaryStep.setWeight(25), CanaryStep.analysis("error-rate"),
              CanaryStep.setWeight(50)), KEEP_FULL), null, null, "10m"),
          s.drain(), new dev.baton.api.Analysis(List.of(ERROR_RATE)), s.releaseHistoryLimit()));
      return app;
    }

    Fixtures.Snapshot atAnalysis(Application app, CanaryStatus status) {
      return new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", KEEP_FULL), "1.0", 4, 4)).withPool("1.1", pool(app, "1.1", 1, 1))
          .withCanary(canary(app, "1.1", status));
    }

    @Test
    void aMeasurementIsRecordedAndTheNextOneRequeuedAtTheInterval() {
      Application app = analysed();

      Plan plan = atAnalysis(app, at(1, 25, NOW)).withMeasurement("chat-1.1", measurement(Outcome.SUCCESSFUL, "0.001"))
          .plan();

      CanaryStatus status = canaryStatus(plan);
      assertThat(status.currentStep()).isEqualTo(1);
      assertThat(status.analysis()).singleElement().satisfies(r -> {
        assertThat(r.template()).isEqualTo("error-rate");
        assertThat(r.measurements()).isEqualTo(1);
        assertThat(r.phase()).isEqualTo("Running");
      });
      assertThat(plan.requeueAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(10),
          Duration.ofSeconds(11)));
    }

    @Test
    void aPassedAnalysisMovesToTheNextWeight() {
      Application app = analysed();
      CanaryStatus afterOne = canaryStatus(atAnalysis(app, at(1, 25, NOW.minusSeconds(10)))
          .withMeasurement("chat-1.1", measurement(Outcome.SUCCESSFUL, "0.001")).plan());

      Plan plan = atAnalysis(app, afterOne).withMeasurement("chat-1.1", measurement(Outcome.SUCCESSFUL, "0.002")).plan();

      assertThat(canaryStatus(plan).currentStep()).isEqualTo(2);
      assertThat(plan.actions()).contains(new Action.ScalePool("chat-1.1", 1, 2));
    }

    @Test
    void aFailedMeasurementRollsTheReleaseBack() {
      Application app = analysed();

      Plan plan = atAnalysis(app, at(1, 25, NOW)).withMeasurement("chat-1.1", measurement(Outcome.FAILED, "0.2")).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(canaryStatus(plan).message()).contains("analysis error-rate failed");
      assertThat(drainStarts(plan, "1.1")).hasSize(1);
    }

    @Test
    void promoteDuringAnAnalysisSkipsIt() {
      Application app = analysed();

      Plan plan = atAnalysis(app, at(1, 25, NOW)).withMeasurement("chat-1.1", measurement(Outcome.FAILED, "0.2"))
          .withCanary(annotated(canary(app, "1.1", at(1, 25, NOW)), "promote")).plan();

      assertThat(canaryStatus(plan).currentStep()).isEqualTo(2);
      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Progressing);
    }

    @Test
    void anAnalysisFailingAsTheFirstStepRollsBackBeforeAnyWeightMoved() {
      Application app = withSteps(analysed(), CanaryStep.analysis("error-rate"), CanaryStep.setWeight(50));
      Plan plan = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", KEEP_FULL), "1.0", 4, 4)).withCanary(canary(app, "1.1", at(0, 0, NOW)))
          .withMeasurement("chat-1.1", measurement(Outcome.FAILED, "0.2")).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(canaryStatus(plan).message()).contains("step 0: analysis error-rate failed");
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.CreatePool);
      assertThat(plan.status().weight()).isZero();
    }

    @Test
    void anAnalysisFailingAsTheLastStepRollsBackInsteadOfPromoting() {
      Application app = withSteps(analysed(), CanaryStep.setWeight(50), CanaryStep.analysis("error-rate"));
      Plan plan = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", KEEP_FULL), "1.0", 4, 4)).withPool("1.1", pool(app, "1.1", 2, 2))
          .withCanary(canary(app, "1.1", at(1, 50, NOW)))
          .withMeasurement("chat-1.1", measurement(Outcome.FAILED, "0.2")).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.ScalePool s && s.deployment().equals("chat-1.1")
          && s.to() > 2);
      assertThat(drainStarts(plan, "1.1")).hasSize(1);
      assertThat(drainStarts(plan, "1.0")).isEmpty();
    }

    private Application withSteps(Application app, CanaryStep... steps) {
      ApplicationSpec s = app.getSpec();
      app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(),
          new Strategy(new CanaryStrategy(List.of(steps), KEEP_FULL), null, null, "10m"), s.drain(), s.analysis(),
          s.releaseHistoryLimit()));
      return app;
    }

    private Measurement measurement(Outcome outcome, String value) {
      return new Measurement(outcome, value, "measured", NOW);
    }
  }

  @Nested
  class Safety {

    @Test
    void withShrinkTheStablePoolShrinksOnlyOnceTheNewPodsAreReady() {
      Application app = app("1.1", SHRINK);
      Fixtures.Snapshot waiting = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", SHRINK), "1.0", 4, 4)).withPool("1.1", pool(app, "1.1", 1, 0))
          .withCanary(canary(app, "1.1", at(0, 25, NOW.minusSeconds(5))));

      assertThat(waiting.plan().actions()).noneMatch(a -> a instanceof Action.ScalePool);

      Fixtures.Snapshot ready = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", SHRINK), "1.0", 4, 4)).withPool("1.1", pool(app, "1.1", 1, 1))
          .withCanary(canary(app, "1.1", at(0, 25, NOW.minusSeconds(5))));
      Plan plan = ready.plan();
      assertThat(drainStarts(plan, "1.0")).as("the stable pool shrinks through a drain").hasSize(1);
      assertThat(canaryStatus(plan).currentStep()).as("the step ends only when the stable pool has shrunk").isZero();
    }

    @Test
    void replanningTheSameClusterGivesTheSamePlanSoARestartRepeatsNothing() {
      Fixtures.Snapshot cluster = release("1.1", KEEP_FULL).withCanary(canary("1.1", at(2, 50, NOW.minusSeconds(5))))
          .withCanaryPool(2, 2);

      Plan first = cluster.plan();
      Plan again = cluster.plan();

      assertThat(again.actions()).isEqualTo(first.actions());
      assertThat(canaryStatus(first).currentStep()).isEqualTo(3);
    }

    @Test
    void aUserPauseHoldsATimedPauseAndResumeEndsItWhenItsTimeIsUp() {
      Canary pausedByUser = canary("1.1", phase(at(1, 25, NOW.minusSeconds(90)), CanaryPhase.Paused));

      Plan held = release("1.1", KEEP_FULL).withCanary(pausedByUser).withCanaryPool(1, 1).plan();
      assertThat(held.actions()).isEmpty();

      Plan resumed = release("1.1", KEEP_FULL).withCanary(annotated(pausedByUser, "resume")).withCanaryPool(1, 1).plan();
      assertThat(canaryStatus(resumed).phase()).isEqualTo(CanaryPhase.Progressing);
      assertThat(canaryStatus(resumed).currentStep()).isEqualTo(2);
    }

    @Test
    void finishedReleasesBeyondTheHistoryLimitArePrunedOldestFirst() {
      Fixtures.Snapshot cluster = new Fixtures.Snapshot(app("1.0", KEEP_FULL)).withStableService().withBudget("1.0")
          .withPool("1.0", pool(app("1.0", KEEP_FULL), "1.0", 4, 4));
      for (int i = 1; i <= 12; i++) {
        Canary old = CanaryFactory.canary(app("0." + i, KEEP_FULL), "chat-0." + i, "0." + (i - 1), "0." + i, NOW);
        old.getMetadata().setResourceVersion("1");
        old.setStatus(finished(at(0, 100, NOW.minus(Duration.ofDays(30 - i))), CanaryPhase.Succeeded));
        cluster.withCanary(old);
      }

      Plan plan = cluster.plan();

      assertThat(plan.actions()).filteredOn(a -> a instanceof Action.DeleteCanary)
          .containsExactly(new Action.DeleteCanary("chat-0.1"), new Action.DeleteCanary("chat-0.2"));
    }
  }

  // --- fixtures: a release from 1.0 (4 ready pods) to a new version ---

  static final StableScaling KEEP_FULL = StableScaling.KeepFull;
  static final StableScaling SHRINK = StableScaling.Shrink;

  static Application app(String version, StableScaling scaling) {
    Application base = Fixtures.app("registry.example.com/chat:" + version, 4);
    ApplicationSpec s = base.getSpec();
    Application app = Fixtures.app(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(),
        new Strategy(new CanaryStrategy(STEPS, scaling), null, null, "10m"), s.drain(), s.analysis(), s.releaseHistoryLimit()));
    app.setStatus(statusPointingAt(null));
    return app;
  }

  static ApplicationStatus statusPointingAt(String canary) {
    return new ApplicationStatus(1L, List.of(), "1.0", "1.0", null, "4/4", 100, "Ready", List.of(), canary, null);
  }

  /** The cluster during a release of {@code version}: the stable pool 1.0 with 4 ready pods. */
  static ReleaseCluster release(String version, StableScaling scaling) {
    return new ReleaseCluster(app(version, scaling), version);
  }

  static class ReleaseCluster extends Fixtures.Snapshot {
    private final Application app;
    private final String version;

    ReleaseCluster(Application app, String version) {
      super(app);
      this.app = app;
      this.version = version;
      withStableService().withBudget("1.0").withPool("1.0", pool(app("1.0", KEEP_FULL), "1.0", 4, 4));
    }

    Application application() {
      return app;
    }

    ReleaseCluster withCanaryPool(int replicas, int ready) {
      withPool(version, pool(app, version, replicas, ready));
      return this;
    }

    @Override
    ReleaseCluster withCanary(Canary canary) {
      super.withCanary(canary);
      return this;
    }

    @Override
    ReleaseCluster withService(io.fabric8.kubernetes.api.model.Service service) {
      super.withService(service);
      return this;
    }
  }

  static Canary canary(String version, CanaryStatus status) {
    return canary(app(version, KEEP_FULL), version, status);
  }

  static Canary canary(Application app, String version, CanaryStatus status) {
    Canary canary = CanaryFactory.canary(app, "chat-" + version, "1.0", version, NOW.minusSeconds(600));
    canary.getMetadata().setResourceVersion("7");
    canary.setStatus(status);
    return canary;
  }

  static CanaryStatus at(int step, int weight, Instant stepStartedAt) {
    return new CanaryStatus(null, CanaryPhase.Progressing, step, weight, stepStartedAt.toString(),
        NOW.minusSeconds(600).toString(), null, null, null, null, "running");
  }

  static CanaryStatus phase(CanaryStatus s, CanaryPhase phase) {
    return new CanaryStatus(s.observedGeneration(), phase, s.currentStep(), s.currentWeight(), s.stepStartedAt(),
        s.startedAt(), s.finishedAt(), s.analysis(), s.lastAction(), s.conditions(), s.message());
  }

  static CanaryStatus finished(CanaryStatus s, CanaryPhase phase) {
    return new CanaryStatus(s.observedGeneration(), phase, s.currentStep(), s.currentWeight(), s.stepStartedAt(),
        s.startedAt(), s.stepStartedAt(), s.analysis(), s.lastAction(), s.conditions(), s.message());
  }

  static Canary annotated(Canary canary, String action) {
    canary.getMetadata().setAnnotations(Map.of(Canary.ACTION_ANNOTATION, action));
    return canary;
  }

  /** The pods of a version the plan starts draining. */
  static List<String> drainStarts(Plan plan, String version) {
    return plan.actions().stream()
        .filter(a -> a instanceof Action.StartDrain start && start.version().equals(version))
        .map(a -> ((Action.StartDrain) a).pod().getMetadata().getName())
        .toList();
  }

  /** The Canary status the plan writes, or null when it writes none. */
  static CanaryStatus canaryStatus(Plan plan) {
    Optional<CanaryStatus> written = plan.actions().stream()
        .filter(a -> a instanceof Action.UpdateCanaryStatus)
        .map(a -> ((Action.UpdateCanaryStatus) a).status())
        .findFirst();
    return written.orElse(null);
  }
}
