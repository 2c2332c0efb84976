package dev.baton.plan;

import dev.baton.api.Application;
import dev.baton.api.ApplicationStatus;
import dev.baton.api.ApplicationStatus.PoolStatus;
import dev.baton.observe.ApplicationSnapshot;
import dev.baton.observe.ApplicationSnapshot.Conflict;
import dev.baton.resources.Labels;
import dev.baton.resources.PoolFactory;
import dev.baton.resources.ServiceFactory;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The pure heart of the Application reconciler: from a snapshot of the cluster and the clock to the next
 * actions and the status to record. No client, no I/O, so every decision is a table test.
 *
 * <p>Order of concerns: a spec Baton cannot act on (InvalidSpec) or a name someone else holds (Conflict)
 * stops everything and leaves the running pools alone; otherwise the desired version's pool, its
 * Service and its disruption budget are brought to what the spec says.
 */
public final class ApplicationPlanner {

  public static final String REASON_INVALID_SPEC = "InvalidSpec";
  public static final String REASON_CONFLICT = "Conflict";

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
    String version = VersionResolver.resolve(app.getSpec()).orElseThrow();
    int replicas = app.getSpec().replicasOrDefault();

    List<Action> actions = new ArrayList<>();
    Optional<Deployment> pool = Optional.ofNullable(snapshot.pools().get(version));
    planPool(app, version, replicas, pool, actions);
    planService(app, snapshot.stableService(), actions);
    planDisruptionBudget(snapshot, version, replicas, actions);
    return new Plan(actions, status(snapshot, now, version, pool, actions.isEmpty()), Optional.empty());
  }

  private static void planPool(Application app, String version, int replicas, Optional<Deployment> pool,
      List<Action> actions) {
    Deployment desired = PoolFactory.deployment(app, version, replicas);
    if (pool.isEmpty()) {
      actions.add(new Action.CreatePool(desired));
      return;
    }
    Deployment actual = pool.get();
    int current = PoolState.desired(actual);
    if (current != replicas) {
      actions.add(new Action.ScalePool(actual.getMetadata().getName(), current, replicas));
    }
    if (!PoolFactory.templateHashOf(desired).equals(PoolFactory.templateHashOf(actual))) {
      actions.add(new Action.UpdatePoolTemplate(desired));
    }
  }

  private static void planService(Application app, Optional<Service> actual, List<Action> actions) {
    Service desired = ServiceFactory.stable(app);
    if (actual.isEmpty()) {
      actions.add(new Action.CreateService(desired));
    } else if (ServiceFactory.differs(actual.get(), desired)) {
      actions.add(new Action.UpdateService(ServiceFactory.keepAllocatedNodePorts(desired, actual.get())));
    }
  }

  private static void planDisruptionBudget(ApplicationSnapshot snapshot, String version, int replicas,
      List<Action> actions) {
    boolean exists = snapshot.disruptionBudgets().containsKey(version);
    boolean wanted = PoolFactory.needsDisruptionBudget(replicas);
    if (wanted && !exists) {
      actions.add(new Action.CreateDisruptionBudget(PoolFactory.disruptionBudget(snapshot.application(), version)));
    } else if (!wanted && exists) {
      actions.add(new Action.DeleteDisruptionBudget(snapshot.disruptionBudgets().get(version).getMetadata().getName()));
    }
  }

  private static ApplicationStatus status(ApplicationSnapshot snapshot, Instant now, String version,
      Optional<Deployment> pool, boolean settled) {
    Application app = snapshot.application();
    ApplicationStatus previous = app.getStatus();
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
              "Waiting for " + deployment + " to have " + replicas + " ready pods (" + ready + " now)")
          .set(Conditions.DEGRADED, false, "Healthy", "No failure seen");
    }
    String stableVersion = rolledOut ? version : previous == null ? null : previous.stableVersion();
    return new ApplicationStatus(
        generation(app),
        conditions.build(),
        version,
        stableVersion,
        null,
        ready + "/" + replicas,
        pool.isPresent() ? 100 : 0,
        phase,
        pools(snapshot),
        previous == null ? null : previous.canary());
  }

  /** The status of a spec Baton will not act on: the pools keep running, nothing is created or deleted. */
  private static Plan blocked(ApplicationSnapshot snapshot, Instant now, String reason, String message) {
    Application app = snapshot.application();
    ApplicationStatus previous = app.getStatus();
    List<io.fabric8.kubernetes.api.model.Condition> conditions =
        new Conditions(previous == null ? null : previous.conditions(), now, generation(app))
            .set(Conditions.READY, false, reason, message)
            .set(Conditions.PROGRESSING, false, reason, "Nothing is changed until the problem is fixed")
            .set(Conditions.DEGRADED, previous != null && previous.condition(Conditions.DEGRADED)
                    .map(c -> "True".equals(c.getStatus())).orElse(false),
                previous == null ? "Healthy" : previous.condition(Conditions.DEGRADED).map(c -> c.getReason()).orElse("Healthy"),
                "Running pools are left as they are")
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
        previous == null ? null : previous.canary());
    return new Plan(List.of(), status, Optional.empty());
  }

  private static List<PoolStatus> pools(ApplicationSnapshot snapshot) {
    int totalReady = snapshot.pools().values().stream().mapToInt(PoolState::ready).sum();
    return snapshot.pools().entrySet().stream()
        .sorted(Map.Entry.comparingByValue(Comparator.comparing(d -> d.getMetadata().getName())))
        .map(e -> new PoolStatus(
            e.getKey(),
            e.getValue().getMetadata().getName(),
            PoolState.desired(e.getValue()),
            PoolState.ready(e.getValue()),
            totalReady == 0 ? 0 : Math.round(100f * PoolState.ready(e.getValue()) / totalReady)))
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
