package dev.baton.plan;

import static dev.baton.plan.Fixtures.NOW;
import static dev.baton.plan.Fixtures.draining;
import static dev.baton.plan.Fixtures.pod;
import static dev.baton.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Drain;
import dev.baton.drain.WatchResult;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drain decisions: which pods leave the Services, when they are signalled, when their drain is over, and
 * what the pools' replicas are meanwhile. Old pool 1.0 (4 pods) is retired; new pool 1.1 (4 pods) stays.
 */
class DrainPlannerTest {

  static final Drain HTTP_DRAIN = new Drain(
      new Drain.Signal(null, new Drain.HttpSignal(new io.fabric8.kubernetes.api.model.IntOrString("admin"), "/drain", null), null),
      new Drain.Watch(new Drain.HttpWatch(new io.fabric8.kubernetes.api.model.IntOrString("admin"), "/connections", null, "2s"), null, null),
      "5m", 2, "5s");

  @Test
  void noMoreThanMaxConcurrentPodsStartDrainingAndThePoolKeepsItsSize() {
    DrainPlanner.Result result = plan(oldPods(4), Map.of(), NOW);

    assertThat(starts(result)).hasSize(2);
    assertThat(result.replicas()).containsEntry("1.0", 4).containsEntry("1.1", 4);
  }

  @Test
  void podsAlreadyDrainingCountAgainstMaxConcurrent() {
    List<Pod> old = oldPods(4);
    old.set(0, drainingSince(old.get(0), NOW.minusSeconds(1), null));

    DrainPlanner.Result result = plan(old, Map.of(), NOW);

    assertThat(starts(result)).hasSize(1);
  }

  @Test
  void nothingDrainsWhileNoPodThatStaysIsReady() {
    Map<String, List<Pod>> pods = Map.of("1.0", oldPods(4), "1.1", newPods(4, 0));

    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools(), states(pods), Map.of("1.1", 4), Map.of(), NOW);

    assertThat(starts(result)).as("clients would have nowhere to reconnect").isEmpty();
  }

  @Test
  void notReadyPodsAreDrainedFirst() {
    List<Pod> old = oldPods(4);
    old.set(2, pod("chat-1.0-2", "1.0", false, 2));

    DrainPlanner.Result result = plan(old, Map.of(), NOW);

    assertThat(starts(result)).contains("chat-1.0-2");
  }

  @Test
  void aPodIsSignalledOnlyAfterTheEndpointsHadTimeToForgetIt() {
    List<Pod> old = oldPods(4);
    old.set(0, drainingSince(old.get(0), NOW.minusSeconds(2), null));

    DrainPlanner.Result waiting = plan(old, Map.of(), NOW);
    assertThat(waiting.actions()).noneMatch(a -> a instanceof Action.SignalPod);
    assertThat(waiting.wakeAt()).contains(NOW.plusSeconds(3));

    DrainPlanner.Result due = plan(old, Map.of(), NOW.plusSeconds(3));
    assertThat(due.actions()).anyMatch(a -> a instanceof Action.SignalPod signal
        && signal.pod().getMetadata().getName().equals("chat-1.0-0"));
  }

  @Test
  void aSignalledPodIsWatchedUntilEmptyThenFinished() {
    List<Pod> old = oldPods(4);
    old.set(0, drainingSince(old.get(0), NOW.minusSeconds(30), NOW.minusSeconds(20)));

    DrainPlanner.Result busy = plan(old, Map.of("chat-1.0-0", new WatchResult.Count(12)), NOW);
    assertThat(busy.actions()).noneMatch(a -> a instanceof Action.FinishDrain);
    assertThat(busy.wakeAt()).contains(NOW.plusSeconds(2));
    assertThat(busy.draining()).anySatisfy(d -> assertThat(d.connections()).isEqualTo(12L));

    DrainPlanner.Result empty = plan(old, Map.of("chat-1.0-0", new WatchResult.Count(0)), NOW);
    assertThat(empty.actions()).anyMatch(a -> a instanceof Action.FinishDrain finish && finish.outcome().equals("Empty"));
  }

  @Test
  void aPodThatNeverEmptiesIsFinishedAtTheTimeout() {
    List<Pod> old = oldPods(4);
    old.set(0, drainingSince(old.get(0), NOW.minus(Duration.ofMinutes(5)), NOW.minus(Duration.ofMinutes(4))));

    DrainPlanner.Result result = plan(old, Map.of("chat-1.0-0", new WatchResult.Count(3)), NOW);

    assertThat(result.actions()).anyMatch(a -> a instanceof Action.FinishDrain finish && finish.outcome().equals("TimedOut"));
  }

  @Test
  void aFinishedPodIsRemovedByLoweringTheReplicas() {
    List<Pod> old = oldPods(4);
    old.set(0, finished(old.get(0)));

    DrainPlanner.Result result = plan(old, Map.of(), NOW);

    assertThat(result.replicas()).containsEntry("1.0", 3);
  }

  @Test
  void aFinishedPodWaitsWhileANotReadySiblingWouldBeTakenInstead() {
    List<Pod> old = oldPods(4);
    old.set(0, finished(old.get(0)));
    old.set(1, pod("chat-1.0-1", "1.0", false, 1));

    DrainPlanner.Result result = plan(old, Map.of(), NOW);

    assertThat(result.replicas()).as("the ReplicaSet ranks not-ready before deletion cost").containsEntry("1.0", 4);
  }

  @Test
  void aRestartMidDrainNeitherSignalsAgainNorForgetsThePod() {
    List<Pod> old = oldPods(4);
    old.set(0, drainingSince(old.get(0), NOW.minusSeconds(30), NOW.minusSeconds(20)));
    old.set(1, drainingSince(old.get(1), NOW.minusSeconds(30), NOW.minusSeconds(20)));

    DrainPlanner.Result result = plan(old, Map.of("chat-1.0-0", new WatchResult.Count(1),
        "chat-1.0-1", new WatchResult.Count(1)), NOW);

    assertThat(result.actions()).noneMatch(a -> a instanceof Action.SignalPod || a instanceof Action.StartDrain);
    assertThat(result.draining()).extracting(d -> d.pod()).containsExactlyInAnyOrder("chat-1.0-0", "chat-1.0-1");
  }

  @Test
  void aFailedSignalIsRetriedWithBackoff() {
    List<Pod> old = oldPods(4);
    Pod failing = draining(old.get(0), Map.of(
        Labels.DRAIN_STARTED_ANNOTATION, NOW.minusSeconds(20).toString(),
        Labels.DRAIN_SIGNAL_FAILURES_ANNOTATION, "2",
        Labels.DRAIN_SIGNAL_FAILED_ANNOTATION, NOW.minusSeconds(1).toString()));
    old.set(0, failing);

    DrainPlanner.Result soon = plan(old, Map.of(), NOW);
    assertThat(soon.actions()).noneMatch(a -> a instanceof Action.SignalPod);
    assertThat(soon.wakeAt()).as("2 s after the second failure").contains(NOW.plusSeconds(1));

    DrainPlanner.Result later = plan(old, Map.of(), NOW.plusSeconds(1));
    assertThat(later.actions()).anyMatch(a -> a instanceof Action.SignalPod signal && signal.previousFailures() == 2);
  }

  @Test
  void podsTheCacheHasNotShownYetAreNeverScaledAway() {
    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools(), states(Map.of("1.1", newPods(4, 4))),
        Map.of("1.1", 4), Map.of(), NOW);

    assertThat(result.replicas()).containsEntry("1.0", 4);
  }

  // --- fixtures ---

  static DrainPlanner.Result plan(List<Pod> oldPods, Map<String, WatchResult> connections, Instant now) {
    return DrainPlanner.plan(HTTP_DRAIN, pools(), states(Map.of("1.0", oldPods, "1.1", newPods(4, 4))),
        Map.of("1.1", 4), connections, now);
  }

  static Map<String, Deployment> pools() {
    return Map.of(
        "1.0", pool(Fixtures.app("registry.example.com/chat:1.0", 4), "1.0", 4, 4),
        "1.1", pool(Fixtures.app("registry.example.com/chat:1.1", 4), "1.1", 4, 4));
  }

  static List<Pod> oldPods(int count) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(pod("chat-1.0-" + i, "1.0", true, i));
    }
    return pods;
  }

  static List<Pod> newPods(int count, int ready) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(pod("chat-1.1-" + i, "1.1", i < ready, 10 + i));
    }
    return pods;
  }

  static Pod drainingSince(Pod pod, Instant started, Instant signalled) {
    return signalled == null
        ? draining(pod, Map.of(Labels.DRAIN_STARTED_ANNOTATION, started.toString()))
        : draining(pod, Map.of(Labels.DRAIN_STARTED_ANNOTATION, started.toString(),
            Labels.DRAIN_SIGNALLED_ANNOTATION, signalled.toString()));
  }

  static Pod finished(Pod pod) {
    return draining(pod, Map.of(Labels.DRAIN_STARTED_ANNOTATION, NOW.minusSeconds(60).toString(),
        Labels.DRAIN_SIGNALLED_ANNOTATION, NOW.minusSeconds(50).toString(),
        Labels.DRAIN_FINISHED_ANNOTATION, "Empty " + NOW.minusSeconds(5)));
  }

  static Map<String, List<PodDrainState>> states(Map<String, List<Pod>> pods) {
    Map<String, List<PodDrainState>> states = new java.util.HashMap<>();
    pods.forEach((version, list) -> states.put(version, list.stream().map(PodDrainState::of).toList()));
    return states;
  }

  static List<String> starts(DrainPlanner.Result result) {
    return result.actions().stream().filter(a -> a instanceof Action.StartDrain)
        .map(a -> ((Action.StartDrain) a).pod().getMetadata().getName()).toList();
  }
}
