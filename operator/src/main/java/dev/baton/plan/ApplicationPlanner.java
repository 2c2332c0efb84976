package dev.baton.plan;

import dev.baton.api.Application;
import dev.baton.api.ApplicationStatus;
import dev.baton.api.ApplicationStatus.PoolStatus;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.observe.ApplicationSnapshot;
import dev.baton.observe.ApplicationSnapshot.Conflict;
import dev.baton.resources.Labels;
import dev.baton.resources.Names;
import dev.baton.resources.PoolFactory;
import dev.baton.traffic.RouteEdit;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The pure heart of the Application reconciler: from a snapshot of the cluster and the clock to the next
 * actions and the status to record. No client, no I/O, so every decision is a table test.
 *
 * <p>Order of concerns: a spec Baton cannot act on (InvalidSpec) or a name someone else holds (Conflict)
 * stops everything and leaves the running pools alone. Otherwise the first release brings the desired
 * version's pool up; after that every version change is a release driven by {@link ReleasePlanner},
 * which says which pools to keep at which size. Pools not kept are retired; the stable Service and the
 * pools' disruption budgets follow.
 */
public final class ApplicationPlanner {

  public static final String REASON_INVALID_SPEC = "InvalidSpec";
  public static final String REASON_CONFLICT = "Conflict";

  /** How often a route that cannot carry the split is read again. */
  static final Duration ROUTE_RECHECK = Duration.ofSeconds(10);

  private ApplicationPlanner() {}

  public static Plan plan(ApplicationSnapshot snapshot, Instant now) {
    Application app = snapshot.application();
    List<SpecProblem> problems = SpecValidator.problems(app);
    if (!problems.isEmpty()) {
      String message = problems.stream().map(SpecProblem::message).collect(Collectors.joining("; "));
      return blocked(snapshot, now, REASON_INVALID_SPEC, "The spec cannot be released: " + message);
    }
    if (!snapshot.conflicts().isEmpty()) {
      String message = snapshot.conflicts().stream().map(Conflict::message).collect(Collectors.joining("; "));
      return blocked(snapshot, now, REASON_CONFLICT, message);
    }
    String version = VersionResolver.resolve(app, snapshot.pools()).orElseThrow();
    Optional<String> revisionProblem = Names.versionProblem(app.getMetadata().getName(), version);
    if (revisionProblem.isPresent()) {
      return blocked(snapshot, now, REASON_INVALID_SPEC, "The pod template changed under the same version, a change"
          + " released as revision " + version + ", but " + revisionProblem.get() + ": give it a new, shorter spec.version");
    }
    String stable = app.getStatus() == null ? null : app.getStatus().stableVersion();

    List<Action> actions = new ArrayList<>();
    Optional<ReleasePlanner.Decision> release = stable == null
        ? Optional.empty()
        : Optional.of(ReleasePlanner.plan(snapshot, version, stable, now));
    // The first release has nothing serving yet, so its pool simply comes up whole.
    Map<String, Integer> kept = release.map(ReleasePlanner.Decision::pools)
        .orElse(Map.of(version, app.getSpec().replicasOrDefault()));
    release.ifPresent(d -> actions.addAll(d.actions()));
    // After an abort or a rollback the desired version is not kept: its pool is drained away, not recreated.
    if (kept.containsKey(version)) {
      planDesiredPool(app, version, kept.get(version), snapshot.pools().get(version), actions);
    }
    DrainPlanner.Result drains = DrainPlanner.plan(app.getSpec().drainOrDefault(), snapshot.pools(),
        podStates(snapshot), kept, routedBeyondServingLabel(snapshot), snapshot.connections(), now);
    actions.addAll(drains.actions());
    sizePools(snapshot, kept, drains.replicas(), actions);
    TrafficTarget target = release.map(ReleasePlanner.Decision::traffic)
        .orElse(TrafficTarget.settled(version, app.getSpec().strategyOrDefault().usesBlueGreen()));
    TrafficPlanner.Result traffic = TrafficPlanner.plan(snapshot, target);
    actions.addAll(traffic.actions());
    planDisruptionBudgets(snapshot, kept, actions);

    boolean settled = actions.isEmpty();
    boolean releasing = release.flatMap(d -> d.canary().filter(c -> version.equals(c.getSpec().toVersion()))
        .flatMap(c -> d.canaryStatus()).map(s -> s.phase() != CanaryPhase.Succeeded)).orElse(false);
    ApplicationStatus status = (releasing
        ? releaseStatus(snapshot, now, version, release.get(), settled)
        : steadyStatus(snapshot, now, version, release, settled))
        .withDraining(drains.draining());
    if (traffic.problem().isPresent()) {
      status = trafficProblem(status, traffic.problem().get(), now, generation(app));
    }
    // The user's HTTPRoute has no informer: look again right after writing it, and every few seconds while it
    // cannot carry the split, so a fix is seen without waiting for the resync.
    Optional<Instant> routeCheck = traffic.routeWritten() ? Optional.of(now)
        : traffic.problem().map(p -> now.plus(ROUTE_RECHECK));
    Optional<Duration> requeue = Stream.of(release.flatMap(ReleasePlanner.Decision::wakeAt), drains.wakeAt(), routeCheck)
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder())
        .map(at -> Duration.between(now, at).plusMillis(10))
        .map(d -> d.isNegative() ? Duration.ZERO : d);
    return new Plan(actions, status, requeue);
  }

  /** The desired version's pool follows the spec in full: created when missing, its template kept current. */
  private static void planDesiredPool(Application app, String version, int replicas, Deployment actual,
      List<Action> actions) {
    Deployment wanted = PoolFactory.deployment(app, version, replicas);
    if (actual == null) {
      actions.add(new Action.CreatePool(wanted));
    } else if (!PoolFactory.runsTemplate(actual, app, version)) {
      // Only for a pool Baton built differently before (an upgrade of Baton): a change of the user's template is
      // a revision with a pool of its own (VersionResolver), never an in-place rollout.
      actions.add(new Action.UpdatePoolTemplate(wanted));
    }
  }

  /**
   * Every pool gets the replicas the drain planner computed, so pods only go once drained. A pool no
   * longer kept is deleted once it is at zero with no pod left. Other pools keep their own template:
   * their pods run the previous version.
   */
  private static void sizePools(ApplicationSnapshot snapshot, Map<String, Integer> kept, Map<String, Integer> replicas,
      List<Action> actions) {
    snapshot.pools().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Deployment pool = e.getValue();
      int current = PoolState.desired(pool);
      int wanted = replicas.getOrDefault(e.getKey(), current);
      if (wanted != current) {
        actions.add(new Action.ScalePool(pool.getMetadata().getName(), current, wanted));
      } else if (wanted == 0 && !kept.containsKey(e.getKey()) && PoolState.current(pool) == 0
          && snapshot.pods().getOrDefault(e.getKey(), List.of()).isEmpty()) {
        actions.add(new Action.DeletePool(pool.getMetadata().getName()));
      }
    });
  }

  /** The pools that a Service or route may still send traffic to whatever their pods' serving label says. */
  private static Set<String> routedBeyondServingLabel(ApplicationSnapshot snapshot) {
    return snapshot.pools().keySet().stream().filter(v -> ObservedWeights.routedBeyondServingLabel(snapshot, v))
        .collect(Collectors.toSet());
  }

  /** The pods of each pool with their drain state; pods the Deployment has but the cache has not seen yet count as serving. */
  private static Map<String, List<PodDrainState>> podStates(ApplicationSnapshot snapshot) {
    return snapshot.pods().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> e.getValue().stream().map(PodDrainState::of).toList()));
  }

  /**
   * A route that cannot carry the split makes the Application not Ready, whatever else holds: the message says
   * what to change in the route or the spec. The pools and the release go on; a release step that needs the
   * route waits for it (and rolls back at the progress deadline).
   */
  private static ApplicationStatus trafficProblem(ApplicationStatus status, String problem, Instant now, long generation) {
    List<io.fabric8.kubernetes.api.model.Condition> conditions = new Conditions(status.conditions(), now, generation)
        .set(Conditions.READY, false, RouteEdit.Problem.REASON, problem)
        .build();
    return status.withConditions(conditions);
  }

  /** A budget for every kept pool of two or more pods; none for smaller or retired pools. */
  private static void planDisruptionBudgets(ApplicationSnapshot snapshot, Map<String, Integer> kept, List<Action> actions) {
    kept.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      boolean exists = snapshot.disruptionBudgets().containsKey(e.getKey());
      boolean poolExists = snapshot.pools().containsKey(e.getKey()) || e.getValue() > 0;
      if (PoolFactory.needsDisruptionBudget(e.getValue()) && poolExists && !exists) {
        actions.add(new Action.CreateDisruptionBudget(PoolFactory.disruptionBudget(snapshot.application(), e.getKey())));
      }
    });
    snapshot.disruptionBudgets().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Integer replicas = kept.get(e.getKey());
      if (replicas == null || !PoolFactory.needsDisruptionBudget(replicas)) {
        actions.add(new Action.DeleteDisruptionBudget(e.getValue().getMetadata().getName()));
      }
    });
  }

  /** Status when no release runs: the first release, or the stable version alone. */
  private static ApplicationStatus steadyStatus(ApplicationSnapshot snapshot, Instant now, String version,
      Optional<ReleasePlanner.Decision> release, boolean settled) {
    String releasedStable = release.map(ReleasePlanner.Decision::stableVersion).orElse(null);
    Application app = snapshot.application();
    ApplicationStatus previous = app.getStatus();
    Optional<Deployment> pool = Optional.ofNullable(snapshot.pools().get(version));
    int replicas = app.getSpec().replicasOrDefault();
    int ready = pool.map(PoolState::ready).orElse(0);
    boolean rolledOut = settled && pool.map(PoolState::isRolledOut).orElse(false);
    Optional<String> stalled = pool.flatMap(PoolState::stalled);
    String deployment = pool.map(d -> d.getMetadata().getName()).orElse("the new pool");

    Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), now, generation(app));
    String phase;
    if (rolledOut) {
      phase = "Ready";
      conditions.set(Conditions.READY, true, "PoolReady", readyMessage(deployment, ready, replicas))
          .set(Conditions.PROGRESSING, false, "Settled", "Version " + version + " runs as requested")
          .set(Conditions.DEGRADED, false, "Healthy", "All pods of version " + version + " are ready");
    } else if (stalled.isPresent()) {
      phase = "Degraded";
      conditions.set(Conditions.READY, false, "PoolNotReady", readyMessage(deployment, ready, replicas))
          .set(Conditions.PROGRESSING, false, "ProgressDeadlineExceeded", stalled.get())
          .set(Conditions.DEGRADED, true, "ProgressDeadlineExceeded", "Pods of " + deployment + " did not become ready"
              + " in time: " + stalled.get() + ". See kubectl describe pods -l " + Labels.APPLICATION + "="
              + app.getMetadata().getName() + "," + Labels.POOL_VERSION + "=" + version);
    } else {
      phase = "Progressing";
      conditions.set(Conditions.READY, false, "PoolNotReady", readyMessage(deployment, ready, replicas))
          .set(Conditions.PROGRESSING, true, pool.isEmpty() ? "PoolCreating" : "PoolRollingOut",
              "Waiting for " + deployment + " to have " + replicas + " ready pods (" + ready + " now)"
                  + (snapshot.pools().size() > 1 ? " and for the other pools to be removed" : ""))
          .set(Conditions.DEGRADED, false, "Healthy", "No failure seen");
    }
    String stableVersion = rolledOut ? version : releasedStable != null ? releasedStable
        : previous == null ? null : previous.stableVersion();
    return new ApplicationStatus(
        generation(app),
        conditions.build(),
        version,
        stableVersion,
        null,
        ready + "/" + replicas,
        ObservedWeights.of(snapshot, version),
        phase,
        pools(snapshot),
        release.flatMap(ReleasePlanner.Decision::canary).map(c -> c.getMetadata().getName())
            .orElse(previous == null ? null : previous.canary()),
        null);
  }

  /** Status while a release runs, or after it was aborted or rolled back. */
  private static ApplicationStatus releaseStatus(ApplicationSnapshot snapshot, Instant now, String version,
      ReleasePlanner.Decision release, boolean settled) {
    Application app = snapshot.application();
    ApplicationStatus previous = app.getStatus();
    Canary canary = release.canary().orElseThrow();
    CanaryStatus progress = release.canaryStatus().orElseThrow();
    int replicas = app.getSpec().replicasOrDefault();
    int ready = Optional.ofNullable(snapshot.pools().get(version)).map(PoolState::ready).orElse(0);
    String name = canary.getMetadata().getName();
    Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), now, generation(app));
    CanaryPhase phase = progress.phase();
    if (phase == CanaryPhase.Aborted || phase == CanaryPhase.RolledBack || phase == CanaryPhase.Failed) {
      String reason = "Release" + phase.name();
      conditions.set(Conditions.READY, false, reason, "Version " + version + " is not released: " + progress.message())
          .set(Conditions.PROGRESSING, !settled, reason, settled
              ? "Traffic is back on " + release.stableVersion() + "; change the version or annotate canary " + name
                  + " baton.dev/action=retry"
              : "Moving traffic back to " + release.stableVersion())
          .set(Conditions.DEGRADED, true, reason, "Release " + name + " " + phase.name().toLowerCase() + ": "
              + progress.message());
    } else {
      conditions.set(Conditions.READY, false, "Releasing", "Releasing " + version + ": " + progress.message())
          .set(Conditions.PROGRESSING, true, phase == CanaryPhase.Paused ? "ReleasePaused" : "Releasing",
              "Canary " + name + ", step " + progress.currentStep() + ": " + progress.message())
          .set(Conditions.DEGRADED, false, "Healthy", "No failure seen");
    }
    return new ApplicationStatus(
        generation(app),
        conditions.build(),
        version,
        release.stableVersion(),
        version,
        ready + "/" + replicas,
        ObservedWeights.of(snapshot, version),
        phase.name(),
        pools(snapshot),
        name,
        null);
  }

  /** The status of a spec Baton will not act on: the pools keep running, nothing is created or deleted. */
  private static Plan blocked(ApplicationSnapshot snapshot, Instant now, String reason, String message) {
    Application app = snapshot.application();
    ApplicationStatus previous = app.getStatus();
    boolean degraded = previous != null && previous.condition(Conditions.DEGRADED)
        .map(c -> "True".equals(c.getStatus())).orElse(false);
    String degradedReason = previous == null ? "Healthy"
        : previous.condition(Conditions.DEGRADED).map(c -> c.getReason()).orElse("Healthy");
    List<io.fabric8.kubernetes.api.model.Condition> conditions =
        new Conditions(previous == null ? null : previous.conditions(), now, generation(app))
            .set(Conditions.READY, false, reason, message)
            .set(Conditions.PROGRESSING, false, reason, "Nothing is changed until the problem is fixed")
            .set(Conditions.DEGRADED, degraded, degradedReason, "Running pools are left as they are")
            .build();
    ApplicationStatus status = new ApplicationStatus(
        generation(app),
        conditions,
        VersionResolver.resolve(app.getSpec()).orElse(null),
        previous == null ? null : previous.stableVersion(),
        null,
        previous == null ? null : previous.ready(),
        previous == null ? null : previous.weight(),
        reason,
        pools(snapshot),
        previous == null ? null : previous.canary(),
        previous == null ? null : previous.draining());
    return new Plan(List.of(), status, Optional.empty());
  }

  private static List<PoolStatus> pools(ApplicationSnapshot snapshot) {
    return snapshot.pools().entrySet().stream()
        .sorted(Map.Entry.comparingByValue(Comparator.comparing(d -> d.getMetadata().getName())))
        .map(e -> new PoolStatus(
            e.getKey(),
            e.getValue().getMetadata().getName(),
            PoolState.desired(e.getValue()),
            PoolState.ready(e.getValue()),
            ObservedWeights.of(snapshot, e.getKey())))
        .toList();
  }

  private static String readyMessage(String deployment, int ready, int replicas) {
    return ready + " of " + replicas + " pods of " + deployment + " are ready";
  }

  private static long generation(Application app) {
    Long generation = app.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
