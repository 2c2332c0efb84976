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
 * maxConcurrent 2, endpointPropagationDelay 5 s, timeout 5 min.
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
    assertThat(result.draining()).filteredOn(d -> !d.stage().equals("Isolated")).extracting(d -> d.pod())
        .containsExactlyInAnyOrder("chat-1.0-0", "chat-1.0-1");
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

  // --- isolation: a pool retired whole leaves the Services at once, and drains maxConcurrent at a time ---

  @Test
  void aRetiredPoolLeavesTheServicesWholeOnceThePoolsThatStayAreReady() {
    DrainPlanner.Result result = plan(oldPods(4), Map.of(), NOW);

    assertThat(starts(result)).as("the newest two, as before").containsExactly("chat-1.0-3", "chat-1.0-2");
    assertThat(isolations(result)).as("the others wait out of the Services").containsExactly("chat-1.0-0", "chat-1.0-1");
    assertThat(result.replicas()).as("isolated pods are not scaled away").containsEntry("1.0", 4).containsEntry("1.1", 4);
    assertThat(result.draining()).extracting(d -> d.pod() + " " + d.stage()).containsExactlyInAnyOrder(
        "chat-1.0-3 WaitingForEndpoints", "chat-1.0-2 WaitingForEndpoints", "chat-1.0-0 Isolated", "chat-1.0-1 Isolated");
    assertThat(result.draining()).filteredOn(d -> d.stage().equals("Isolated"))
        .allSatisfy(d -> assertThat(d.startedAt()).isEqualTo(NOW.toString()));
  }

  @Test
  void noIsolationWhileAPoolThatStaysIsShortOfReadyPods() {
    Map<String, List<Pod>> pods = Map.of("1.0", oldPods(4), "1.1", newPods(4, 3));

    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools(), states(pods), Map.of("1.1", 4), Map.of(), NOW);

    assertThat(isolations(result)).as("a pod that stays may not take new clients yet: the old ones keep serving")
        .isEmpty();
    assertThat(starts(result)).as("drains go on one slot at a time, as without isolation").hasSize(2);
    assertThat(result.replicas()).containsEntry("1.0", 4);
  }

  @Test
  void noIsolationAndNoDrainWhileNoPodThatStaysIsReady() {
    Map<String, List<Pod>> pods = Map.of("1.0", oldPods(4), "1.1", newPods(4, 0));

    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools(), states(pods), Map.of("1.1", 4), Map.of(), NOW);

    assertThat(result.actions()).isEmpty();
  }

  @Test
  void isolatedPodsWaitForADrainSlotAndTakeItBeforeServingPods() {
    List<Pod> old = oldPods(4);
    old.set(0, drainingSince(old.get(0), NOW.minusSeconds(10), NOW.minusSeconds(4)));
    old.set(1, drainingSince(old.get(1), NOW.minusSeconds(10), NOW.minusSeconds(4)));
    old.set(2, isolatedSince(old.get(2), NOW.minusSeconds(10)));
    old.set(3, isolatedSince(old.get(3), NOW.minusSeconds(10)));

    DrainPlanner.Result full = plan(old, Map.of("chat-1.0-0", new WatchResult.Count(5),
        "chat-1.0-1", new WatchResult.Count(5)), NOW);
    assertThat(full.actions()).as("both slots are taken").noneMatch(a -> a instanceof Action.StartDrain
        || a instanceof Action.IsolatePod || a instanceof Action.RestorePod);
    assertThat(full.replicas()).containsEntry("1.0", 4);

    old.set(0, finished(old.get(0)));
    DrainPlanner.Result oneFree = plan(old, Map.of("chat-1.0-1", new WatchResult.Count(5)), NOW);
    assertThat(starts(oneFree)).as("one slot: the newest isolated pod").containsExactly("chat-1.0-3");
    assertThat(oneFree.replicas()).as("the drained pod goes, the isolated ones stay").containsEntry("1.0", 3);
  }

  @Test
  void anIsolatedPodDrainsBeforeAServingOneWhenThePoolsThatStayAreNotWhole() {
    List<Pod> old = oldPods(4);
    old.set(0, isolatedSince(old.get(0), NOW.minusSeconds(30)));
    Map<String, List<Pod>> pods = Map.of("1.0", old, "1.1", newPods(4, 3));

    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools(), states(pods), Map.of("1.1", 4), Map.of(), NOW);

    assertThat(starts(result)).containsExactly("chat-1.0-0", "chat-1.0-3");
    assertThat(result.actions()).as("isolated pods stay out; serving ones stay in").noneMatch(a ->
        a instanceof Action.IsolatePod || a instanceof Action.RestorePod);
  }

  @Test
  void aPodIsolatedLongerThanThePropagationDelayIsSignalledAsSoonAsItsDrainStarts() {
    List<Pod> old = oldPods(4);
    old.set(0, isolatedSince(old.get(0), NOW.minusSeconds(30)));
    old.set(1, isolatedSince(old.get(1), NOW.minusSeconds(30)));
    old.set(2, isolatedSince(old.get(2), NOW.minusSeconds(30)));
    old.set(3, isolatedSince(old.get(3), NOW.minusSeconds(30)));

    DrainPlanner.Result starting = plan(old, Map.of(), NOW);
    assertThat(starts(starting)).hasSize(2);
    assertThat(starting.draining()).filteredOn(d -> !d.stage().equals("Isolated"))
        .allSatisfy(d -> assertThat(d.stage()).isEqualTo("Signalling"));
    assertThat(starting.wakeAt()).as("the endpoints forgot them long ago").contains(NOW);

    old.set(3, draining(old.get(3), Map.of(Labels.DRAIN_STARTED_ANNOTATION, NOW.toString())));
    DrainPlanner.Result started = plan(old, Map.of(), NOW);
    assertThat(started.actions()).anyMatch(a -> a instanceof Action.SignalPod signal
        && signal.pod().getMetadata().getName().equals("chat-1.0-3"));
  }

  @Test
  void aPodIsolatedJustBeforeItsDrainWaitsOnlyWhatIsLeftOfThePropagationDelay() {
    List<Pod> old = oldPods(4);
    old.set(0, draining(isolatedSince(old.get(0), NOW.minusSeconds(2)), Map.of(
        Labels.DRAIN_STARTED_ANNOTATION, NOW.toString())));

    DrainPlanner.Result result = plan(old, Map.of(), NOW);

    assertThat(result.actions()).noneMatch(a -> a instanceof Action.SignalPod);
    assertThat(result.wakeAt()).as("5 s after it left the Services, not after its drain started").contains(NOW.plusSeconds(3));
  }

  @Test
  void theTimeoutCountsFromTheDrainsStartNotFromTheIsolation() {
    List<Pod> old = oldPods(4);
    old.set(0, draining(isolatedSince(old.get(0), NOW.minus(Duration.ofMinutes(20))), Map.of(
        Labels.DRAIN_STARTED_ANNOTATION, NOW.minus(Duration.ofMinutes(1)).toString(),
        Labels.DRAIN_SIGNALLED_ANNOTATION, NOW.minus(Duration.ofMinutes(1)).toString())));

    DrainPlanner.Result result = plan(old, Map.of("chat-1.0-0", new WatchResult.Count(3)), NOW);

    assertThat(result.actions()).noneMatch(a -> a instanceof Action.FinishDrain);
  }

  @Test
  void aPoolThatOnlyShrinksIsNotIsolated() {
    Map<String, List<Pod>> pods = Map.of("1.0", oldPods(4), "1.1", newPods(3, 3));

    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools(), states(pods), Map.of("1.0", 1, "1.1", 3),
        Map.of(), NOW);

    assertThat(starts(result)).as("3 to go, 2 slots").hasSize(2);
    assertThat(isolations(result)).as("the third one keeps serving until a slot is free").isEmpty();
    assertThat(result.replicas()).as("2 serving, 2 draining").containsEntry("1.0", 4);
  }

  @Test
  void isolatedPodsGoBackIntoTheServicesWhenTheirPoolIsKeptAgain() {
    // The version was set back to 1.0 while 1.0 was drained: 1.0 is kept (4), 1.1 retired.
    List<Pod> old = oldPods(4);
    old.set(0, finished(old.get(0)));
    old.set(1, drainingSince(old.get(1), NOW.minusSeconds(10), NOW.minusSeconds(4)));
    old.set(2, isolatedSince(old.get(2), NOW.minusSeconds(10)));
    old.set(3, isolatedSince(old.get(3), NOW.minusSeconds(10)));
    Map<String, List<Pod>> pods = Map.of("1.0", old, "1.1", newPods(4, 4));

    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools(), states(pods), Map.of("1.0", 4),
        Map.of("chat-1.0-1", new WatchResult.Count(5)), NOW);

    assertThat(restorations(result)).containsExactlyInAnyOrder("chat-1.0-2", "chat-1.0-3");
    assertThat(result.actions()).filteredOn(a -> a instanceof Action.RestorePod)
        .allSatisfy(a -> assertThat(((Action.RestorePod) a).deletionCost()).as("the template sets none").isNull());
    assertThat(isolations(result)).as("1.1 stays in the Services until 1.0 is whole again").isEmpty();
    assertThat(starts(result)).as("no pod that stays is serving and ready yet").isEmpty();
    assertThat(result.replicas()).as("4 serving, 1 draining, the finished pod kept until 1.0 is whole")
        .containsEntry("1.0", 6).containsEntry("1.1", 4);
    assertThat(result.draining()).extracting(d -> d.pod()).containsExactly("chat-1.0-1");
  }

  @Test
  void aPoolKeptAgainSmallerTakesBackOnlyTheIsolatedPodsItNeedsTheOthersDrainFirst() {
    // A retry after an abort: the new pool 1.1, isolated, is kept again for one canary pod; 1.0 stays whole.
    List<Pod> canary = newPods(3, 3);
    canary.set(0, isolatedSince(canary.get(0), NOW.minusSeconds(10)));
    canary.set(1, isolatedSince(canary.get(1), NOW.minusSeconds(10)));
    canary.set(2, isolatedSince(pod("chat-1.1-2", "1.1", false, 12), NOW.minusSeconds(10)));
    Map<String, List<Pod>> pods = Map.of("1.0", oldPods(4), "1.1", canary);

    Map<String, Deployment> pools = Map.of(
        "1.0", pool(Fixtures.app("registry.example.com/chat:1.0", 4), "1.0", 4, 4),
        "1.1", pool(Fixtures.app("registry.example.com/chat:1.1", 4), "1.1", 3, 2));

    DrainPlanner.Result result = DrainPlanner.plan(HTTP_DRAIN, pools, states(pods), Map.of("1.0", 4, "1.1", 1),
        Map.of(), NOW);

    assertThat(restorations(result)).as("ready first, then the oldest").containsExactly("chat-1.1-0");
    assertThat(starts(result)).as("the other two, not ready first").containsExactly("chat-1.1-2", "chat-1.1-1");
    assertThat(result.replicas()).containsEntry("1.1", 3);
  }

  @Test
  void isolatedPodsGoBackIntoTheServicesWhenNoPodThatStaysIsReadyAnyMore() {
    List<Pod> old = oldPods(4);
    old.set(0, drainingSince(old.get(0), NOW.minusSeconds(10), NOW.minusSeconds(4)));
    old.set(1, isolatedSince(old.get(1), NOW.minusSeconds(10)));
    old.set(2, isolatedSince(old.get(2), NOW.minusSeconds(10)));
    old.set(3, isolatedSince(old.get(3), NOW.minusSeconds(10)));

    DrainPlanner.Result none = DrainPlanner.plan(HTTP_DRAIN, pools(), states(Map.of("1.0", old, "1.1", newPods(4, 0))),
        Map.of("1.1", 4), Map.of(), NOW);
    assertThat(restorations(none)).as("the application would have no endpoint")
        .containsExactlyInAnyOrder("chat-1.0-1", "chat-1.0-2", "chat-1.0-3");
    assertThat(starts(none)).isEmpty();
    assertThat(none.replicas()).containsEntry("1.0", 4);

    DrainPlanner.Result some = DrainPlanner.plan(HTTP_DRAIN, pools(), states(Map.of("1.0", old, "1.1", newPods(4, 2))),
        Map.of("1.1", 4), Map.of(), NOW);
    assertThat(restorations(some)).as("pods that stay still take new clients: no flapping").isEmpty();
    assertThat(starts(some)).as("one free slot").containsExactly("chat-1.0-3");
  }

  @Test
  void aRestartMidIsolationFinishesItFromTheAnnotations() {
    // The last operator isolated two pods and stopped before the others; one drain runs, one has finished.
    List<Pod> old = oldPods(6);
    old.set(0, finished(old.get(0)));
    old.set(1, drainingSince(old.get(1), NOW.minusSeconds(8), NOW.minusSeconds(3)));
    old.set(2, isolatedSince(old.get(2), NOW.minusSeconds(8)));
    old.set(3, isolatedSince(old.get(3), NOW.minusSeconds(8)));

    DrainPlanner.Result result = plan(old, Map.of("chat-1.0-1", new WatchResult.Count(7)), NOW);

    assertThat(result.actions()).noneMatch(a -> a instanceof Action.SignalPod || a instanceof Action.RestorePod);
    assertThat(starts(result)).as("the free slot goes to an isolated pod").containsExactly("chat-1.0-3");
    assertThat(isolations(result)).as("only the pods not yet isolated").containsExactly("chat-1.0-4", "chat-1.0-5");
    assertThat(result.replicas()).as("1 draining + 1 starting + 1 isolated + 2 isolating; the drained pod goes")
        .containsEntry("1.0", 5);
    assertThat(result.draining()).filteredOn(d -> d.pod().equals("chat-1.0-2")).singleElement().satisfies(d -> {
      assertThat(d.stage()).isEqualTo("Isolated");
      assertThat(d.startedAt()).as("when it left the Services, from its annotation")
          .isEqualTo(NOW.minusSeconds(8).toString());
    });
    assertThat(result.draining()).filteredOn(d -> d.pod().equals("chat-1.0-1")).singleElement()
        .satisfies(d -> assertThat(d.stage()).isEqualTo("Watching"));
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

  static Pod isolatedSince(Pod pod, Instant at) {
    return draining(pod, Map.of(Labels.DRAIN_ISOLATED_ANNOTATION, at.toString()));
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

  static List<String> isolations(DrainPlanner.Result result) {
    return result.actions().stream().filter(a -> a instanceof Action.IsolatePod)
        .map(a -> ((Action.IsolatePod) a).pod().getMetadata().getName()).toList();
  }

  static List<String> restorations(DrainPlanner.Result result) {
    return result.actions().stream().filter(a -> a instanceof Action.RestorePod)
        .map(a -> ((Action.RestorePod) a).pod().getMetadata().getName()).toList();
  }

  static List<String> starts(DrainPlanner.Result result) {
    return result.actions().stream().filter(a -> a instanceof Action.StartDrain)
        .map(a -> ((Action.StartDrain) a).pod().getMetadata().getName()).toList();
  }
}
