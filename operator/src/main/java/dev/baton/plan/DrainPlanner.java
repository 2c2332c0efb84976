package dev.baton.plan;

import dev.baton.api.ApplicationStatus.DrainingPod;
import dev.baton.api.Drain;
import dev.baton.drain.DrainDecision;
import dev.baton.drain.SignalBackoff;
import dev.baton.drain.WatchResult;
import dev.baton.plan.PodDrainState.Stage;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one path by which Baton removes pods from a pool: drain first, then scale down. Pure: given the
 * pools, their pods (with the drain state their annotations hold), the last connection counts and the
 * clock, it says which pods start draining, which are signalled or finished, and each pool's replicas.
 *
 * <p>A pool's replicas are {@code max(serving, target) + isolated + draining}: lowering them removes only pods
 * whose drain finished, which carry the lowest {@code controller.kubernetes.io/pod-deletion-cost} so
 * the ReplicaSet picks them. The ReplicaSet ranks readiness before cost
 * (https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-deletion-cost), so while a
 * sibling is not ready the finished pod is kept (it would be spared and the sibling taken); once the pool
 * is ready, or has grown back to its target, the finished pod goes on the next pass.
 *
 * <p>At most {@code maxConcurrent} pods of the application drain at once, and a drain starts only
 * while ready serving pods that stay can take the connections (at least as many as start).
 *
 * <p><b>Isolation.</b> A pool retired whole (no target: the old pool after a promotion, the new pool after an
 * abort) loses all its pods anyway. Were only its draining pods out of the Services, the clients of the first
 * drained pods would reconnect partly to its other pods, still serving, and be drained a second time. So once
 * every pool that stays has its target of ready serving pods (it can take every new connection), all serving pods
 * of a retired pool leave the Services at once: they are <em>isolated</em> ({@link PodDrainState.Stage#ISOLATED}),
 * keeping the connections they hold and getting no new ones. They are still <em>drained</em> (signalled,
 * watched) at most {@code maxConcurrent} at a time, isolated pods first. Isolation never happens while a
 * staying pool is short of ready pods, nor while a Service or route other than the serving label may still send
 * the retired pool traffic (blue-green's Service, the Gateway API route, until they are seen to have moved on: all
 * its pods out at once would leave those without endpoints): the retired pool's serving pods then go on taking
 * clients and drain one slot at a time as before, and are isolated once that no longer holds.
 *
 * <p>An isolated pod's drain clock (propagation delay, signal backoff, timeout) starts with its drain, but a
 * pod isolated at least {@code endpointPropagationDelay} before its drain starts has left the endpoints already
 * and is signalled at once.
 *
 * <p>Isolated pods go back into the Services (their drain not started, so nothing was said to their clients)
 * when their pool is kept again, as many as it lacks serving pods (an abort or a version set back during the
 * drain: the pool must not be left without endpoints; the others stay isolated and drain first), and, for a
 * retired pool, when no pod that stays is ready any more: with the isolated pods out, the application would have
 * no endpoint at all. A pool that only shrinks (target above 0, a {@code Shrink} canary step, a lower
 * {@code spec.replicas}) is never isolated: its pods leave the Services one drain at a time.
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

  /** As below, with no pool routed to by more than its pods' serving label (the Services select serving pods). */
  static Result plan(Drain drain, Map<String, Deployment> pools, Map<String, List<PodDrainState>> pods,
      Map<String, Integer> targets, Map<String, WatchResult> connections, Instant now) {
    return plan(drain, pools, pods, targets, Set.of(), connections, now);
  }

  /**
   * @param pools the pools that exist, by version
   * @param pods the live (not terminating) pods of each pool, by version
   * @param targets the serving pods each pool should keep; a pool without a target is retired (0)
   * @param routed the pools a Service or route may still send traffic to whatever their serving label says
   *     (blue-green's Service, the Gateway API route, as observed): a retired pool among them is not isolated yet
   * @param connections the connection counts just taken from signalled draining pods, by pod name
   */
  static Result plan(Drain drain, Map<String, Deployment> pools, Map<String, List<PodDrainState>> pods,
      Map<String, Integer> targets, Set<String> routed, Map<String, WatchResult> connections, Instant now) {
    return new DrainPlanner(drain, now, connections).decide(pools, pods, targets, routed);
  }

  private Result decide(Map<String, Deployment> pools, Map<String, List<PodDrainState>> pods, Map<String, Integer> targets,
      Set<String> routed) {
    TreeSet<String> versions = new TreeSet<>(pools.keySet());
    versions.addAll(targets.keySet());
    int drainingNow = 0;
    int readyStaying = 0;
    boolean stayingWhole = true;
    for (String version : versions) {
      List<PodDrainState> poolPods = pods.getOrDefault(version, List.of());
      drainingNow += (int) poolPods.stream().filter(p -> p.stage() == Stage.DRAINING).count();
      long readyServing = poolPods.stream().filter(p -> p.stage() == Stage.SERVING && p.ready()).count();
      int target = targets.getOrDefault(version, 0);
      readyStaying += (int) Math.min(readyServing, target);
      stayingWhole &= readyServing >= target;
    }
    int allowance = Math.max(0, Math.min(drain.maxConcurrentOrDefault() - drainingNow, readyStaying));
    // The pods that stay can take every new connection: a retired pool's pods may all leave the Services.
    boolean isolate = stayingWhole && readyStaying > 0;

    Map<String, Integer> replicas = new LinkedHashMap<>();
    // Retired pools first: their pods have to go anyway, and the receiving pools are whole.
    List<String> order = versions.stream()
        .sorted(Comparator.comparing((String v) -> targets.getOrDefault(v, 0) > 0).thenComparing(v -> v))
        .toList();
    for (String version : order) {
      List<PodDrainState> poolPods = pods.getOrDefault(version, List.of());
      int target = targets.getOrDefault(version, 0);
      List<PodDrainState> serving = poolPods.stream().filter(p -> p.stage() == Stage.SERVING).toList();
      List<PodDrainState> isolated = poolPods.stream().filter(p -> p.stage() == Stage.ISOLATED).toList();

      List<PodDrainState> restored = restore(version, target, serving.size(), isolated, readyStaying == 0,
          pools.get(version));
      List<PodDrainState> stillIsolated = isolated.stream().filter(p -> !restored.contains(p)).toList();
      int servingNow = serving.size() + restored.size();

      // Isolated pods drain first (out of the Services already, the endpoints have forgotten them), then serving
      // pods beyond the target. Restored pods only fill the target, so none of them is beyond it.
      List<PodDrainState> isolatedVictims = byRemovalOrder(stillIsolated).stream().limit(allowance).toList();
      allowance -= isolatedVictims.size();
      List<PodDrainState> servingVictims = byRemovalOrder(serving).stream()
          .limit(Math.min(Math.max(0, servingNow - target), allowance))
          .toList();
      allowance -= servingVictims.size();
      List<PodDrainState> victims = new ArrayList<>(isolatedVictims);
      victims.addAll(servingVictims);
      victims.forEach(v -> actions.add(new Action.StartDrain(v.pod(), version, now)));

      List<PodDrainState> newlyIsolated = target == 0 && isolate && !routed.contains(version)
          ? serving.stream().filter(p -> !servingVictims.contains(p)).toList()
          : List.of();
      newlyIsolated.forEach(p -> actions.add(new Action.IsolatePod(p.pod(), version, now)));

      for (PodDrainState pod : poolPods) {
        if (pod.stage() == Stage.DRAINING) {
          follow(pod, version);
        }
      }
      int servingLeft = servingNow - servingVictims.size() - newlyIsolated.size();
      int isolatedLeft = stillIsolated.size() - isolatedVictims.size() + newlyIsolated.size();
      int drainingCount = (int) poolPods.stream().filter(p -> p.stage() == Stage.DRAINING).count() + victims.size();
      long finished = poolPods.stream().filter(p -> p.stage() == Stage.FINISHED).count();
      boolean siblingNotReady = poolPods.stream().anyMatch(p -> p.stage() != Stage.FINISHED && !p.ready());
      boolean keepFinished = finished > 0 && (siblingNotReady || servingLeft < target);
      if (pools.containsKey(version)) {
        // Isolated pods count like draining ones: they are never scaled away before their drain finished.
        int wanted = Math.max(servingLeft, target) + isolatedLeft + drainingCount + (keepFinished ? (int) finished : 0);
        // Pods the Deployment reports but the cache has not shown yet may be serving: they can hold a scale-down
        // back, never cause a scale-up (the reported count lags behind pods already terminating).
        int current = PoolState.desired(pools.get(version));
        int unseen = Math.max(0, PoolState.current(pools.get(version)) - poolPods.size());
        replicas.put(version, Math.max(wanted, Math.min(current, wanted + unseen)));
      }
      for (PodDrainState v : victims) {
        Instant settled = settledAt(v.isolatedAt(), now);
        wake(settled);
        draining.add(new DrainingPod(v.name(), version, now.toString(), null, null,
            now.isBefore(settled) ? "WaitingForEndpoints" : "Signalling"));
      }
      stillIsolated.stream().filter(p -> !isolatedVictims.contains(p))
          .forEach(p -> draining.add(new DrainingPod(p.name(), version, p.isolatedAt().toString(), null, null, DrainingPod.ISOLATED)));
      newlyIsolated.forEach(p -> draining.add(new DrainingPod(p.name(), version, now.toString(), null, null, DrainingPod.ISOLATED)));
    }
    return new Result(replicas, actions, Optional.ofNullable(wakeAt), draining);
  }

  /**
   * The isolated pods that go back into the Services: in a kept pool, as many as it lacks serving pods (ready
   * first, then the oldest: the ones the ReplicaSet would keep); in a retired pool, all of them when no pod that
   * stays is ready. Their drain never started, so their clients were told nothing and simply stay.
   */
  private List<PodDrainState> restore(String version, int target, int serving, List<PodDrainState> isolated,
      boolean nothingElseReady, Deployment pool) {
    List<PodDrainState> restored;
    String why;
    if (target > 0) {
      restored = isolated.stream()
          .sorted(Comparator.comparing(PodDrainState::ready).reversed().thenComparing(PodDrainState::creationTimestamp))
          .limit(Math.max(0, target - serving))
          .toList();
      why = "its pool is kept again with " + target + " pods";
    } else if (nothingElseReady) {
      restored = isolated;
      why = "no pod of the pools that stay is ready, and it would leave the Services without endpoints";
    } else {
      return List.of();
    }
    String cost = templateDeletionCost(pool);
    restored.forEach(p -> actions.add(new Action.RestorePod(p.pod(), version, cost, why)));
    return restored;
  }

  /** Not-ready pods first (they hold the fewest clients), then the newest, as the ReplicaSet would. */
  private static List<PodDrainState> byRemovalOrder(List<PodDrainState> pods) {
    return pods.stream()
        .sorted(Comparator.comparing(PodDrainState::ready).thenComparing(PodDrainState::creationTimestamp,
            Comparator.reverseOrder()))
        .toList();
  }

  /** The deletion cost the pool's pod template gives its pods, if any: what a restored pod gets back. */
  private static String templateDeletionCost(Deployment pool) {
    if (pool == null || pool.getSpec() == null || pool.getSpec().getTemplate() == null
        || pool.getSpec().getTemplate().getMetadata() == null
        || pool.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
      return null;
    }
    return pool.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.POD_DELETION_COST_ANNOTATION);
  }

  /**
   * When the endpoints have forgotten a pod whose drain started at {@code startedAt}: {@code endpointPropagationDelay}
   * after it left the Services. A pod isolated before its drain left them at its isolation, so it waits only what
   * is left of the delay (nothing, once the delay has passed since), never longer than a pod taken out at the start.
   */
  private Instant settledAt(Instant isolatedAt, Instant startedAt) {
    Instant full = startedAt.plus(drain.endpointPropagationDelayOrDefault());
    if (isolatedAt == null) {
      return full;
    }
    Instant fromIsolation = isolatedAt.plus(drain.endpointPropagationDelayOrDefault());
    return fromIsolation.isBefore(startedAt) ? startedAt : fromIsolation.isAfter(full) ? full : fromIsolation;
  }

  /** One draining pod: wait for the endpoints to settle, signal it (retrying with backoff), watch it empty. */
  private void follow(PodDrainState pod, String version) {
    Instant settled = settledAt(pod.isolatedAt(), pod.startedAt());
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
