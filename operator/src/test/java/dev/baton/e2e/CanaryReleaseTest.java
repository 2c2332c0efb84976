package dev.baton.e2e;

import static dev.baton.api.CanaryStep.pause;
import static dev.baton.api.CanaryStep.setWeight;
import static dev.baton.e2e.Releases.canary;
import static dev.baton.e2e.Releases.desired;
import static dev.baton.e2e.Releases.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStrategy.StableScaling;
import dev.baton.api.Strategy;
import dev.baton.devcluster.sim.PodBehaviour;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole releases with the replica-ratio router on the embedded cluster, as a user drives and watches them:
 * a version change, the Canary's steps, the pools per step, actions as annotations on the Canary.
 * The tests run concurrently, each in a namespace of its own, as teams share a cluster.
 */
@Execution(ExecutionMode.CONCURRENT)
class CanaryReleaseTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  static final Strategy TWO_STEPS_AND_A_GATE =
      canary(null, null, setWeight(33), pause("1s"), setWeight(66), pause(null));
  static final Strategy ONE_STEP_AND_A_GATE = canary(null, null, setWeight(33), pause(null));

  @Test
  void aReleaseWalksItsStepsAndEndsWithOnlyTheNewPool() {
    Releases r = new Releases(cluster, cluster.newNamespace("walk"));
    r.createReady("1.0", 3, TWO_STEPS_AND_A_GATE);

    PoolRecorder pools = new PoolRecorder();
    SharedIndexInformer<Deployment> informer = r.client().apps().deployments().inNamespace(r.namespace()).inform(pools);
    Releases.CanaryRecorder seen = r.recordCanaries();

    r.release("2.0");

    Canary canary = await().atMost(Releases.PATIENCE).until(() -> r.canary("chat-2.0"), java.util.Objects::nonNull);
    assertThat(canary.getSpec().fromVersion()).isEqualTo("1.0");
    assertThat(canary.getSpec().toVersion()).isEqualTo("2.0");
    assertThat(canary.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getName()).isEqualTo("chat"));
    // Step 0 (33%) gives 2.0 one pod, the timed pause ends by itself, step 2 (66%) gives 2.0 two pods,
    // and the open pause holds; the stable pool keeps its three pods (KeepFull).
    CanaryStatus paused = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
    assertThat(paused.currentStep()).isEqualTo(3);
    assertThat(paused.currentWeight()).isEqualTo(66);
    assertThat(paused.message()).contains("baton.dev/action=promote");
    assertThat(r.pool("2.0")).get().satisfies(pool -> assertThat(ready(pool)).isEqualTo(2));
    assertThat(r.pool("1.0")).get().satisfies(pool -> assertThat(ready(pool)).isEqualTo(3));
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      Application app = r.application();
      assertThat(app.getStatus().phase()).isEqualTo("Paused");
      assertThat(app.getStatus().condition("Progressing")).get().extracting(Condition::getReason)
          .isEqualTo("ReleasePaused");
      assertThat(app.getStatus().weight()).as("2 of 5 serving pods run 2.0").isEqualTo(40);
    });

    r.act("chat-2.0", "promote");

    CanaryStatus done = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
    informer.close();
    seen.close();
    assertThat(seen.steps("chat-2.0")).extracting(Releases.StepRun::step).containsExactly(0, 1, 2, 3, 4);
    assertThat(seen.of("chat-2.0")).extracting(s -> s.status().currentWeight()).containsSubsequence(33, 66, 100);
    assertThat(pools.desiredOf("chat-2.0")).as("the new pool's size, step by step").containsExactly(1, 2, 3);
    assertThat(pools.desiredOf("chat-1.0")).as("the stable pool only shrinks, through drains, to 0")
        .startsWith(3).endsWith(0).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(done.currentWeight()).isEqualTo(100);
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.lastAction()).startsWith("promote at ");
    assertThat(r.canary("chat-2.0").getMetadata().getAnnotations()).doesNotContainKey(Canary.ACTION_ANNOTATION);
    Condition ready = cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    assertThat(ready.getReason()).isEqualTo("PoolReady");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.application().getStatus().stableVersion()).isEqualTo("2.0");
      assertThat(r.application().getStatus().ready()).isEqualTo("3/3");
      assertThat(r.poolNames()).containsExactly("chat-2.0");
      assertThat(r.servingEndpoints()).isEqualTo(3);
      assertThat(r.eventReasons()).contains("ReleaseStarted", "ReleasePaused", "ReleaseActionTaken", "ReleasePromoting",
          "ReleaseSucceeded", "DrainStarted", "DrainedWaitElapsed", "PoolDeleted");
    });
  }

  @Test
  void theNewPoolIsReadyBeforeAnyWeightMoves() {
    // Slow enough that the sampling below sees the pod not ready several times even on a loaded 2-core CI machine
    // (2 s gave only 5 samples there once: each sample is three API reads).
    cluster.kubelet().behaveFor(":2.0-slow", PodBehaviour.slowStart(Duration.ofSeconds(5)));
    Releases r = new Releases(cluster, cluster.newNamespace("ready-first"));
    r.createReady("1.0", 3, ONE_STEP_AND_A_GATE);

    r.release("2.0-slow");

    // Sample: the Canary first, then the pool. Readiness only grows, so a pool not ready after the Canary
    // was read was not ready when it was written either: the Canary must still be at step 0 then.
    List<String> samplesBeforeReady = new CopyOnWriteArrayList<>();
    await().atMost(Releases.PATIENCE).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      Canary canary = r.canary("chat-2.0-slow");
      Application app = r.application();
      int poolReady = r.pool("2.0-slow").map(Releases::ready).orElse(0);
      if (canary != null && canary.getStatus() != null && poolReady < 1) {
        samplesBeforeReady.add(canary.getStatus().phase() + "@" + canary.getStatus().currentStep());
        assertThat(canary.getStatus().currentStep()).as("step while the new pool has no ready pod").isZero();
        assertThat(canary.getStatus().phase()).isEqualTo(CanaryPhase.Progressing);
        assertThat(canary.getStatus().message()).contains("waiting for 1 ready pods of 2.0-slow");
        assertThat(app.getStatus().weight()).as("traffic share of 2.0-slow while it has no ready pod").isZero();
      }
      assertThat(canary).isNotNull();
      assertThat(canary.getStatus()).isNotNull();
      assertThat(canary.getStatus().phase()).isEqualTo(CanaryPhase.Paused);
    });
    assertThat(samplesBeforeReady).as("the slow pod was seen not ready for a while").hasSizeGreaterThan(5);
    assertThat(r.readyPods("2.0-slow")).isEqualTo(1);
    assertThat(r.application().getStatus().weight()).as("1 of 4 serving pods").isEqualTo(25);
  }

  @Test
  void aNewPoolThatNeverGetsReadyIsRolledBack() {
    cluster.kubelet().behaveFor(":2.0-broken", PodBehaviour.NEVER_READY);
    Releases r = new Releases(cluster, cluster.newNamespace("never-ready"));
    r.createReady("1.0", 3, canary(null, "3s", setWeight(33), pause(null)));

    r.release("2.0-broken");

    r.awaitCanary("chat-2.0-broken", s -> s.phase() == CanaryPhase.Progressing);
    CanaryStatus rolledBack = r.awaitCanary("chat-2.0-broken", s -> s.phase() == CanaryPhase.RolledBack);
    assertThat(rolledBack.message()).contains("progress deadline").contains("traffic went back to 1.0");
    assertThat(rolledBack.currentStep()).isZero();
    assertThat(rolledBack.currentWeight()).isZero();
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.poolNames()).containsExactly("chat-1.0");
      assertThat(r.readyPods("1.0")).isEqualTo(3);
      assertThat(r.servingEndpoints()).isEqualTo(3);
      Application app = r.application();
      assertThat(app.getStatus().stableVersion()).isEqualTo("1.0");
      assertThat(app.getStatus().condition("Degraded")).get().satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("ReleaseRolledBack");
        assertThat(c.getMessage()).contains("progress deadline");
      });
      assertThat(app.getStatus().condition("Ready")).get().extracting(Condition::getStatus).isEqualTo("False");
      assertThat(r.eventReasons()).contains("ReleaseRolledBack");
    });
  }

  @Test
  void abortDuringAPauseSendsTrafficBack() {
    Releases r = new Releases(cluster, cluster.newNamespace("abort"));
    r.createReady("1.0", 3, ONE_STEP_AND_A_GATE);
    r.release("2.0");
    r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
    assertThat(r.servingEndpoints()).isEqualTo(4);

    r.act("chat-2.0", "abort");

    CanaryStatus aborted = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Aborted);
    assertThat(aborted.message()).contains("aborted by a user").contains("traffic went back to 1.0");
    assertThat(aborted.lastAction()).startsWith("abort at ");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.poolNames()).containsExactly("chat-1.0");
      assertThat(r.servingEndpoints()).isEqualTo(3);
      assertThat(r.readyPods("2.0")).isZero();
      Application app = r.application();
      assertThat(app.getStatus().weight()).isZero();
      assertThat(app.getStatus().condition("Degraded")).get().satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("ReleaseAborted");
      });
      assertThat(app.getStatus().condition("Progressing")).get().satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage()).contains("baton.dev/action=retry");
      });
    });
  }

  @Test
  void aThirdVersionSupersedesTheRunningRelease() {
    Releases r = new Releases(cluster, cluster.newNamespace("supersede"));
    r.createReady("1.0", 3, ONE_STEP_AND_A_GATE);
    r.release("2.0");
    r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);

    r.release("3.0");

    CanaryStatus superseded = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Aborted);
    assertThat(superseded.message()).contains("superseded by version 3.0");
    Canary third = await().atMost(Releases.PATIENCE).until(() -> r.canary("chat-3.0"), java.util.Objects::nonNull);
    assertThat(third.getSpec().fromVersion()).isEqualTo("1.0");
    assertThat(third.getSpec().toVersion()).isEqualTo("3.0");
    r.awaitCanary("chat-3.0", s -> s.phase() == CanaryPhase.Paused);
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.poolNames()).containsExactly("chat-1.0", "chat-3.0");
      assertThat(r.readyPods("3.0")).isEqualTo(1);
      assertThat(r.readyPods("1.0")).isEqualTo(3);
    });

    r.act("chat-3.0", "promote");

    r.awaitCanary("chat-3.0", s -> s.phase() == CanaryPhase.Succeeded);
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.application().getStatus().stableVersion()).isEqualTo("3.0");
      assertThat(r.poolNames()).containsExactly("chat-3.0");
    });
    assertThat(r.canary("chat-2.0").getStatus().phase()).as("history keeps the superseded release")
        .isEqualTo(CanaryPhase.Aborted);
  }

  @Test
  void goingBackToTheStableVersionIsARollback() {
    Releases r = new Releases(cluster, cluster.newNamespace("back"));
    r.createReady("1.0", 3, ONE_STEP_AND_A_GATE);
    r.release("2.0");
    r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);

    r.release("1.0");

    CanaryStatus rolledBack = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.RolledBack);
    assertThat(rolledBack.message()).contains("stable version 1.0 again");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.poolNames()).containsExactly("chat-1.0");
      assertThat(r.servingEndpoints()).isEqualTo(3);
      assertThat(r.application().getStatus().stableVersion()).isEqualTo("1.0");
      assertThat(r.application().getStatus().condition("Ready")).get().extracting(Condition::getStatus)
          .as("the version asked for runs").isEqualTo("True");
    });
    assertThat(r.canaryNames()).containsExactly("chat-2.0");
  }

  @Test
  void retryStartsAnAbortedReleaseAgain() {
    Releases r = new Releases(cluster, cluster.newNamespace("retry"));
    r.createReady("1.0", 3, ONE_STEP_AND_A_GATE);
    r.release("2.0");
    r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
    r.act("chat-2.0", "abort");
    r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Aborted);
    await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-1.0")));

    r.act("chat-2.0", "retry");

    CanaryStatus again = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
    assertThat(again.currentStep()).isEqualTo(1);
    assertThat(again.finishedAt()).as("a running release has not finished").isNull();
    assertThat(r.readyPods("2.0")).isEqualTo(1);
    await().atMost(Releases.PATIENCE).untilAsserted(() ->
        assertThat(r.application().getStatus().condition("Degraded")).get().extracting(Condition::getStatus)
            .isEqualTo("False"));

    r.act("chat-2.0", "promote");

    r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> assertThat(r.poolNames()).containsExactly("chat-2.0"));
    assertThat(r.canaryNames()).as("the retried release is the same Canary").containsExactly("chat-2.0");
  }

  @Test
  void promoteFullSkipsTheRemainingSteps() {
    Releases r = new Releases(cluster, cluster.newNamespace("promote-full"));
    r.createReady("1.0", 3, canary(null, null, setWeight(33), pause(null), setWeight(66), pause(null)));
    try (Releases.CanaryRecorder seen = r.recordCanaries()) {
      r.release("2.0");
      r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused && s.currentStep() == 1);

      r.act("chat-2.0", "promote-full");

      CanaryStatus done = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
      assertThat(done.lastAction()).startsWith("promote-full at ");
      assertThat(seen.steps("chat-2.0")).extracting(Releases.StepRun::step).containsExactly(0, 1, 4);
      assertThat(seen.of("chat-2.0")).extracting(s -> s.status().currentWeight()).doesNotContain(66);
    }
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> assertThat(r.poolNames()).containsExactly("chat-2.0"));
  }

  @Test
  void releaseHistoryKeepsTheLastFewCanaries() {
    Releases r = new Releases(cluster, cluster.newNamespace("history"));
    r.createReady("1.0", 2, null, 2);

    for (String version : List.of("2.0", "3.0", "4.0", "5.0")) {
      r.release(version);
      r.awaitCanary("chat-" + version, s -> s.phase() == CanaryPhase.Succeeded);
      await().atMost(Releases.PATIENCE).until(() -> version.equals(r.application().getStatus().stableVersion())
          && r.poolNames().equals(List.of("chat-" + version)));
    }

    // docs/releases.md: "Finished Canaries are kept as release history, the newest spec.releaseHistoryLimit".
    await().atMost(Releases.PATIENCE).untilAsserted(() ->
        assertThat(r.canaryNames()).containsExactly("chat-4.0", "chat-5.0"));
  }

  @Test
  void withShrinkTheTotalStaysAtReplicas() {
    Releases r = new Releases(cluster, cluster.newNamespace("shrink"));
    r.createReady("1.0", 3, canary(StableScaling.Shrink, null, setWeight(33), pause("1s"), setWeight(66), pause(null)));
    PoolRecorder pools = new PoolRecorder();
    SharedIndexInformer<Deployment> informer = r.client().apps().deployments().inNamespace(r.namespace()).inform(pools);
    try {
      r.release("2.0");

      r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.pool("1.0")).get().satisfies(p -> assertThat(ready(p)).isEqualTo(1));
        assertThat(r.pool("2.0")).get().satisfies(p -> assertThat(ready(p)).isEqualTo(2));
      });
      assertThat(r.servingEndpoints()).isEqualTo(3);

      r.act("chat-2.0", "promote");
      r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
      await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-2.0")));
    } finally {
      informer.close();
    }

    assertThat(pools.maxTotalDesired()).as("pods asked for at once, over both pools").isLessThanOrEqualTo(4);
    assertThat(pools.stableShrinks()).as("stable pool sizes, each with the new pool's ready pods when it shrank")
        .isNotEmpty()
        .allSatisfy(shrink -> assertThat(shrink.newReady()).as("new pool ready when stable went to %s", shrink.stable())
            .isGreaterThanOrEqualTo(3 - shrink.stable()));
  }

  /** Both pools as one watch stream delivers them, in order: what kubectl get deployments -w shows. */
  static final class PoolRecorder implements ResourceEventHandler<Deployment> {
    record Shrink(int stable, int newReady) {}

    private final Map<String, Deployment> latest = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> desired = new ConcurrentHashMap<>();
    private final List<Shrink> shrinks = new ArrayList<>();
    private int maxTotal;

    synchronized int maxTotalDesired() {
      return maxTotal;
    }

    /** The distinct sizes (spec.replicas) the pool was asked for, in order. */
    synchronized List<Integer> desiredOf(String pool) {
      return List.copyOf(desired.getOrDefault(pool, List.of()));
    }

    synchronized List<Shrink> stableShrinks() {
      return List.copyOf(shrinks);
    }

    private synchronized void seen(Deployment before, Deployment after) {
      String name = after.getMetadata().getName();
      latest.put(name, after);
      List<Integer> sizes = desired.computeIfAbsent(name, n -> new ArrayList<>());
      if (sizes.isEmpty() || sizes.get(sizes.size() - 1) != desired(after)) {
        sizes.add(desired(after));
      }
      maxTotal = Math.max(maxTotal, latest.values().stream().mapToInt(Releases::desired).sum());
      if (name.equals("chat-1.0") && before != null && desired(after) < desired(before) && latest.containsKey("chat-2.0")) {
        shrinks.add(new Shrink(desired(after), ready(latest.get("chat-2.0"))));
      }
    }

    @Override
    public void onAdd(Deployment deployment) {
      seen(null, deployment);
    }

    @Override
    public void onUpdate(Deployment before, Deployment after) {
      seen(before, after);
    }

    @Override
    public synchronized void onDelete(Deployment deployment, boolean deletedFinalStateUnknown) {
      latest.remove(deployment.getMetadata().getName());
    }
  }
}
