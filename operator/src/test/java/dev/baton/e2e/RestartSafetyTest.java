package dev.baton.e2e;

import static dev.baton.api.CanaryStep.pause;
import static dev.baton.api.CanaryStep.setWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.devcluster.sim.PodBehaviour;
import dev.baton.testing.BatonTestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator is stopped and a new one started (a crash, a node drain, an upgrade) at every stage of a
 * release: the Canary's status is the release's memory, so the new operator continues where the old one
 * stopped, never going back a step nor running one twice.
 */
class RestartSafetyTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  @Test
  void aReleaseContinuesAcrossRestartsAtEveryStepWithoutRepeatingOne() {
    Releases r = new Releases(cluster, cluster.newNamespace("restart"));
    r.createReady("1.0", 3, Releases.canary(null, null, setWeight(33), pause("2s"), setWeight(66), pause(null)));
    try (Releases.CanaryRecorder seen = r.recordCanaries()) {
      r.release("2.0");

      // After step 0 completes: the new pool has its pod, the timed pause has begun.
      r.awaitCanary("chat-2.0", s -> s.currentStep() >= 1);
      cluster.restartOperator();

      // During the timed pause, and down until it would have ended: the new operator sees it is over.
      cluster.stopOperator();
      CanaryStatus pausing = r.canary("chat-2.0").getStatus();
      if (pausing.currentStep() == 1) {
        Instant pauseEnds = Instant.parse(pausing.stepStartedAt()).plusSeconds(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(pauseEnds));
        assertThat(r.canary("chat-2.0").getStatus().currentStep()).as("nothing moves without an operator").isEqualTo(1);
      }
      cluster.startOperator();

      // At the open pause: the promote arrives while no operator runs.
      r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused && s.currentStep() == 3);
      cluster.kubelet().behaveFor("chat:2.0", PodBehaviour.slowStart(Duration.ofSeconds(2)));
      cluster.stopOperator();
      r.act("chat-2.0", "promote");
      cluster.startOperator();

      // During promoting: the third pod of 2.0 starts slowly, so the restart falls while it is not ready.
      CanaryStatus promoting = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Promoting);
      assertThat(promoting.lastAction()).startsWith("promote at ");
      cluster.restartOperator();

      CanaryStatus done = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
      assertThat(done.currentStep()).isEqualTo(4);

      List<Releases.StepRun> runs = seen.steps("chat-2.0");
      assertThat(runs).extracting(Releases.StepRun::step).as("every step once, in order").containsExactly(0, 1, 2, 3, 4);
      assertThat(runs).extracting(run -> Instant.parse(run.startedAt())).as("stepStartedAt only moves forward")
          .isSorted().doesNotHaveDuplicates();
      assertThat(seen.of("chat-2.0")).extracting(Releases.Seen::step).as("the step never goes back").isSorted();
    }
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.application().getStatus().stableVersion()).isEqualTo("2.0");
      assertThat(r.poolNames()).containsExactly("chat-2.0");
      assertThat(r.readyPods("2.0")).isEqualTo(3);
    });
    assertThat(r.canaryNames()).as("one release, one Canary").containsExactly("chat-2.0");
    assertThat(r.eventReasons()).filteredOn("ReleaseStarted"::equals).hasSize(1);
    assertThat(r.eventReasons()).filteredOn("ReleaseSucceeded"::equals).hasSize(1);
  }
}
