package dev.baton.plan;

import dev.baton.api.ApplicationStatus.DrainingPod;
import dev.baton.api.Drain;
import dev.baton.drain.DrainDecision;
import dev.baton.drain.SignalBackoff;
import dev.baton.drain.WatchResult;
import dev.baton.plan.PodDrainState.Stage;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The one path by which Baton removes pods from a pool: drain first, then scale down. Pure: given the
 * pools, their pods (with the drain state their annotations hold), the last connection counts and the
 * clock, it says which pods start draining, which are signalled or finished, and each pool's replicas.
 *
 * <p>A pool's replicas are {@code max(serving, target) + draining}: lowering them removes only pods
 * whose drain finished, which carry the lowest {@code controller.kubernetes.io/pod-deletion-cost} so
 * the ReplicaSet picks them. The ReplicaSet ranks readiness before cost
 * (https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-deletion-cost), so while a
 * sibling is not ready the finished pod is kept (it would be spared and the sibling taken); once the pool
 * is ready, or has grown back to its target, the finished pod goes on the next pass.
 *
 * <p>At most {@code maxConcurrent} pods of the application drain at once, and a drain starts only
 * while ready serving pods that stay can take the connections (at least as many as start).
 */
final class DrainPlanner {

  /** The replicas each pool should have, the drain actions, when to look again, and what to report. */
  record Result(Map<String, Integer> replicas, List<Action> actions, Optional<Instant> wakeAt,
      List<DrainingPod> draining) {}

  private final Drain drain;
  private final Instant now;
  private final Map<String, WatchResult> connections;
  private final List<Action> actions = new ArrayList<>();
  private final List<DrainingPod> draining = new ArrayList<>();
  private Instant wakeAt;

  private DrainPlanner(Drain drain, Instant now, Map<String, WatchResult> connections) {
    this.drain = drain;
    this.now = now;
    this.connections = connections;
  }

  /**
   * @param pools the pools that exist, by version
   * @param pods the live (not terminating) pods of each pool, by version
   * @param targets the serving pods each pool should keep; a pool without a target is retired (0)
   * @param connections the connection counts just taken from signalled draining pods, by pod name
   */
  static Result plan(Drain drain, Map<String, Deployment> pools, Map<String, List<PodDrainState>> pods,
      Map<String, Integer> targets, Map<String, WatchResult> connections, Instant now) {
    return new DrainPlanner(drain, now, connections).decide(pools, pods, targets);
  }

  private Result decide(Map<String, Deployment> pools, Map<String, List<PodDrainState>> pods, Map<String, Integer> targets) {
    TreeSet<String> versions = new TreeSet<>(pools.keySet());
    versions.addAll(targets.keySet());
    int drainingNow = 0;
    int readyStaying = 0;
    for (String version : versions) {
      List<PodDrainState> poolPods = pods.getOrDefault(version, List.of());
      drainingNow += (int) poolPods.stream().filter(p -> p.stage() == Stage.DRAINING).count();
      long readyServing = poolPods.stream().filter(p -> p.stage() == Stage.SERVING && p.ready()).count();
      readyStaying += (int) Math.min(readyServing, targets.getOrDefault(version, 0));
    }
    int allowance = Math.max(0, Math.min(drain.maxConcurrentOrDefault() - drainingNow, readyStaying));

    Map<String, Integer> replicas = new LinkedHashMap<>();
    // Retired pools first: their pods have to go anyway, and the receiving pools are whole.
    List<String> order = versions.stream()
        .sorted(Comparator.comparing((String v) -> targets.getOrDefault(v, 0) > 0).thenComparing(v -> v))
        .toList();
    for (String version : order) {
      List<PodDrainState> poolPods = pods.getOrDefault(version, List.of());
      int target = targets.getOrDefault(version, 0);
      List<PodDrainState> serving = poolPods.stream().filter(p -> p.stage() == Stage.SERVING).toList();
      int excess = Math.max(0, serving.size() - target);
      List<PodDrainState> victims = serving.stream()
          // Not-ready pods first (they hold the fewest clients), then the newest, as the ReplicaSet would.
          .sorted(Comparator.comparing(PodDrainState::ready).thenComparing(PodDrainState::creationTimestamp,
              Comparator.reverseOrder()))
          .limit(Math.min(excess, allowance))
          .toList();
      allowance -= victims.size();
      victims.forEach(v -> actions.add(new Action.StartDrain(v.pod(), version, now)));

      for (PodDrainState pod : poolPods) {
        if (pod.stage() == Stage.DRAINING) {
          follow(pod, version);
        }
      }
      int servingLeft = serving.size() - victims.size();
      int drainingCount = (int) poolPods.stream().filter(p -> p.stage() == Stage.DRAINING).count() + victims.size();
      long finished = poolPods.stream().filter(p -> p.stage() == Stage.FINISHED).count();
      boolean siblingNotReady = poolPods.stream().anyMatch(p -> p.stage() != Stage.FINISHED && !p.ready());
      boolean keepFinished = finished > 0 && (siblingNotReady || servingLeft < target);
      if (pools.containsKey(version)) {
        int wanted = Math.max(servingLeft, target) + drainingCount + (keepFinished ? (int) finished : 0);
        // Pods the Deployment reports but the cache has not shown yet may be serving: they can hold a scale-down
        // back, never cause a scale-up (the reported count lags behind pods already terminating).
        int current = PoolState.desired(pools.get(version));
        int unseen = Math.max(0, PoolState.current(pools.get(version)) - poolPods.size());
        replicas.put(version, Math.max(wanted, Math.min(current, wanted + unseen)));
      }
      victims.forEach(v -> draining.add(new DrainingPod(v.name(), version, now.toString(), null, null, "WaitingForEndpoints")));
    }
    return new Result(replicas, actions, Optional.ofNullable(wakeAt), draining);
  }

  /** One draining pod: wait for the endpoints to settle, signal it (retrying with backoff), watch it empty. */
  private void follow(PodDrainState pod, String version) {
    Instant settled = pod.startedAt().plus(drain.endpointPropagationDelayOrDefault());
    WatchResult count = connections.get(pod.name());
    Long left = count instanceof WatchResult.Count c ? c.connections() : null;
    if (pod.signalledAt() == null) {
      DrainDecision.Outcome outcome = DrainDecision.decide(pod.startedAt(), null, now, null, drain);
      if (outcome instanceof DrainDecision.Done done) {
        actions.add(new Action.FinishDrain(pod.pod(), done.reason().reason(), now));
        return;
      }
      if (now.isBefore(settled)) {
        wake(settled);
        report(pod, version, left, "WaitingForEndpoints");
        return;
      }
      Optional<Instant> retryAt = pod.signalFailures() == 0
          ? Optional.of(settled)
          : SignalBackoff.nextAttemptAt(pod.lastSignalFailure(), pod.signalFailures(), pod.startedAt(), drain);
      if (retryAt.isPresent() && !now.isBefore(retryAt.get())) {
        actions.add(new Action.SignalPod(pod.pod(), version, pod.signalFailures()));
      } else {
        retryAt.ifPresent(this::wake);
        wake(DrainDecision.deadline(pod.startedAt(), drain));
      }
      report(pod, version, left, pod.signalFailures() == 0 ? "Signalling" : "SignalFailing");
      return;
    }
    DrainDecision.Outcome outcome = DrainDecision.decide(pod.startedAt(), pod.signalledAt(), now, count, drain);
    if (outcome instanceof DrainDecision.Done done) {
      actions.add(new Action.FinishDrain(pod.pod(), done.reason().reason(), now));
      report(pod, version, left, "Finished");
    } else {
      wake(((DrainDecision.KeepWatching) outcome).nextCheckAt());
      report(pod, version, left, "Watching");
    }
  }

  private void report(PodDrainState pod, String version, Long connectionsLeft, String stage) {
    draining.add(new DrainingPod(pod.name(), version, pod.startedAt().toString(),
        pod.signalledAt() == null ? null : pod.signalledAt().toString(), connectionsLeft, stage));
  }

  private void wake(Instant at) {
    if (wakeAt == null || at.isBefore(wakeAt)) {
      wakeAt = at;
    }
  }
}
