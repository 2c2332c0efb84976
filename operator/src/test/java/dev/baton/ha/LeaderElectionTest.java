package dev.baton.ha;

import static dev.baton.testing.Applications.chat;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toCollection;
import static org.assertj.core.api.Assertions.assertThat;
import static dev.baton.ha.OperatorReplica.LeaseTimings.FAST;
import static dev.baton.ha.OperatorReplica.LeaseTimings.STEADY;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two Baton replicas with leader election against one embedded Kubernetes, as the Helm chart runs them: only the
 * holder of the Lease reconciles, and when it dies the other takes the Lease and carries a release on from where the
 * cluster says it is.
 */
class LeaderElectionTest extends HaFixture {

  /** Promotion, then draining the old pool: generous, so a loaded 2-core machine does not fail the test. */
  static final Duration RELEASE_END_PATIENCE = Duration.ofMinutes(2);

  @Test
  void onlyTheLeaderReconciles() {
    // given two replicas competing for one Lease
    String ns = newNamespace("leader");
    OperatorReplica a = replica("baton-a", ns, STEADY);
    OperatorReplica b = replica("baton-b", ns, STEADY);

    // when an Application is created
    client().resource(chat(ns, V1, 2)).create();

    // then it becomes Ready, reconciled by exactly one replica: the one the Lease names
    awaitReady(ns);
    OperatorReplica leader = await().atMost(PATIENCE).until(() -> leader(a, b), r -> r != null);
    OperatorReplica standby = leader == a ? b : a;
    assertThat(leader.reconciles()).isPositive();
    assertThat(standby.reconciles()).isZero();
    assertThat(holderOf(ns)).isEqualTo(leader.identity());
    assertThat(leader.leaderships()).as("times the leader acquired the Lease").isEqualTo(1);
  }

  @Test
  void theOtherInstanceTakesOverAReleaseWhenTheLeaderDiesAndRepeatsNoStep() {
    // given two replicas, chat at v1 with a stepped canary, and a record of every step its Canary shows
    String ns = newNamespace("failover");
    OperatorReplica a = replica("baton-a", ns, FAST);
    OperatorReplica b = replica("baton-b", ns, FAST);
    client().resource(steppedChat(ns)).create();
    awaitReady(ns);
    OperatorReplica leader = await().atMost(PATIENCE).until(() -> leader(a, b), r -> r != null);
    OperatorReplica standby = leader == a ? b : a;
    assertThat(holderOf(ns)).isEqualTo(leader.identity());
    List<StepSeen> seen = recordCanarySteps(ns);

    // when v2 is released and the leader dies during the timed pause (step 1)
    client().resources(Application.class).inNamespace(ns).withName("chat").edit(app -> withImage(app, V2));
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> atStep(ns, 1));
    leader.kill();
    long reconcilesOfTheDead = leader.reconciles();

    // then the standby takes the Lease and carries the release on to the open pause
    await().atMost(PATIENCE).until(() -> standby.identity().equals(holderOf(ns)));
    await().atMost(PATIENCE).until(() -> atStep(ns, 3) && status(ns).phase() == CanaryPhase.Paused);

    // and, promoted, finishes it
    client().resources(Canary.class).inNamespace(ns).withName(canary(ns).getMetadata().getName()).edit(c -> {
      c.getMetadata().getAnnotations().put(Canary.ACTION_ANNOTATION, "promote");
      return c;
    });
    await().atMost(RELEASE_END_PATIENCE).until(() -> status(ns) != null && status(ns).phase() == CanaryPhase.Succeeded);

    assertThat(holderOf(ns)).isEqualTo(standby.identity()).isNotEqualTo(leader.identity());
    assertThat(leader.leaderships()).as("times the first leader acquired the Lease").isEqualTo(1);
    assertThat(standby.leaderships()).as("times the standby acquired the Lease").isEqualTo(1);
    assertThat(standby.reconciles()).isPositive();
    assertThat(leader.reconciles()).as("reconciles the dead leader started").isEqualTo(reconcilesOfTheDead);
    assertThat(seen).extracting(StepSeen::step).as("steps seen: %s", seen)
        .isSortedAccordingTo(Integer::compare).contains(0, 1, 2, 3, 4);
    Map<Integer, Set<String>> startsPerStep = seen.stream().collect(groupingBy(StepSeen::step, TreeMap::new,
        mapping(StepSeen::stepStartedAt, toCollection(LinkedHashSet::new))));
    assertThat(startsPerStep).as("stepStartedAt per step, from %s", seen)
        .allSatisfy((step, starts) -> assertThat(starts).hasSize(1));
  }

  /** One observation of the Canary: the step it was at, when that step started, and its phase. */
  record StepSeen(int step, String stepStartedAt, CanaryPhase phase) {}

  static boolean atStep(String ns, int step) {
    CanaryStatus status = status(ns);
    return status != null && Integer.valueOf(step).equals(status.currentStep());
  }

  /** Every change of (currentStep, stepStartedAt, phase) the Canaries of {@code ns} show, in watch order. */
  List<StepSeen> recordCanarySteps(String ns) {
    List<StepSeen> seen = new CopyOnWriteArrayList<>();
    informers.add(client().resources(Canary.class).inNamespace(ns).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Canary canary) {
        record(canary);
      }

      @Override
      public void onUpdate(Canary before, Canary canary) {
        record(canary);
      }

      @Override
      public void onDelete(Canary canary, boolean unknownFinalState) {}

      private void record(Canary canary) {
        CanaryStatus s = canary.getStatus();
        if (s != null && s.currentStep() != null) {
          StepSeen step = new StepSeen(s.currentStep(), s.stepStartedAt(), s.phase());
          if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(step)) {
            seen.add(step);
          }
        }
      }
    }));
    return seen;
  }
}
