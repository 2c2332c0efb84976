package dev.baton.plan;

import dev.baton.analysis.AnalysisResults;
import dev.baton.analysis.Assessment;
import dev.baton.analysis.Measurement;
import dev.baton.api.AnalysisTemplate;
import dev.baton.api.Application;
import dev.baton.api.BlueGreenStrategy;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStatus.AnalysisResult;
import dev.baton.api.CanaryStep;
import dev.baton.api.CanaryStrategy;
import dev.baton.api.CanaryStrategy.StableScaling;
import dev.baton.api.Durations;
import dev.baton.observe.ApplicationSnapshot;
import dev.baton.resources.CanaryFactory;
import dev.baton.resources.Names;
import dev.baton.traffic.GatewayApiRoutes;
import dev.baton.traffic.ObservedTraffic;
import dev.baton.traffic.RouteBackends;
import dev.baton.traffic.RouteEdit;
import dev.baton.traffic.TrafficRouter;
import dev.baton.traffic.TrafficRouters;
import dev.baton.traffic.TrafficSplit;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Drives one release from the stable version to the desired one, as a pure function of the cluster:
 * which Canary records it, which step it is at, which pools must exist with how many pods, and when to
 * look again. The Canary's status is the memory of the release; every decision re-derives from it and
 * from the pools, so a restarted operator continues where the last one stopped.
 *
 * <p>Step rules: a {@code setWeight} step is done when the new pool has its pods ready (and, with
 * {@code Shrink}, the stable pool has shrunk); a timed pause when its time is up; a pause without
 * duration waits for {@code promote} or {@code resume}. After the last step the new pool grows to all
 * replicas (Promoting), then the old pool goes (Draining), then the release has Succeeded.
 */
final class ReleasePlanner {

  private final Application app;
  private final String desired;
  private final String stable;
  private final Map<String, Deployment> pools;
  private final Map<String, Canary> canaries;
  private final Instant now;
  private final int replicas;
  private final Map<String, Measurement> measurements;
  private final ApplicationSnapshot snapshot;
  private final ObservedTraffic traffic;
  private final TrafficRouter router;

  private final List<Action> actions = new ArrayList<>();
  private final Map<String, Integer> keep = new LinkedHashMap<>();
  private Instant wakeAt;
  private String canaryName;
  private boolean blueGreen;
  private TrafficTarget target;

  private ReleasePlanner(Application app, String desired, String stable, ApplicationSnapshot snapshot, Instant now) {
    this.snapshot = snapshot;
    this.measurements = snapshot.measurements();
    this.traffic = snapshot.traffic();
    this.router = TrafficRouters.of(app);
    this.app = app;
    this.desired = desired;
    this.stable = stable;
    this.pools = snapshot.pools();
    this.canaries = snapshot.canaries();
    this.now = now;
    this.replicas = app.getSpec().replicasOrDefault();
  }

  /**
   * The outcome: pools to keep (others are retired), Canary actions, the stable version, the release record, and
   * where traffic goes.
   */
  record Decision(Map<String, Integer> pools, List<Action> actions, String stableVersion, Optional<Canary> canary,
      Optional<CanaryStatus> canaryStatus, Optional<Instant> wakeAt, TrafficTarget traffic) {}

  static Decision plan(ApplicationSnapshot snapshot, String desired, String stable, Instant now) {
    return new ReleasePlanner(snapshot.application(), desired, stable, snapshot, now).decide();
  }

  private Decision decide() {
    Optional<Canary> current = currentCanary();
    if (desired.equals(stable)) {
      current.filter(c -> isActive(status(c))).ifPresent(c -> writeStatus(c, finish(status(c), CanaryPhase.RolledBack,
          "spec asks for the stable version " + stable + " again: traffic stays on it and " + c.getSpec().toVersion()
              + " is removed")));
      keep.put(stable, replicas);
      target = TrafficTarget.settled(stable, app.getSpec().strategyOrDefault().usesBlueGreen());
      keepPoolsTrafficStillReaches();
      pruneHistory(current.map(c -> c.getMetadata().getName()).orElse(null), current.isPresent());
      return decision(stable, current);
    }
    if (current.isPresent() && !isReleaseOf(current.get(), stable, desired) && isPastTheSwitch(current.get())) {
      return concludeBeforeNextRelease(current.get());
    }
    if (current.isEmpty() || !isReleaseOf(current.get(), stable, desired)) {
      current.filter(c -> isActive(status(c))).ifPresent(c -> writeStatus(c, finish(status(c), CanaryPhase.Aborted,
          "superseded by version " + desired + ": traffic went back to " + stable)));
      Canary created = CanaryFactory.canary(app, nextCanaryName(), stable, desired, now);
      actions.add(new Action.CreateCanary(created));
      current = Optional.of(created);
    }
    Canary canary = current.get();
    CanaryStatus before = canary.getStatus();
    CanaryStatus after = drive(canary, before == null ? initial() : before);
    String stableVersion = after.phase() == CanaryPhase.Succeeded ? desired : stable;
    if (after.phase() == CanaryPhase.Succeeded) {
      keep.clear();
      keep.put(desired, replicas);
      target = TrafficTarget.settled(desired, blueGreen);
    }
    keepPoolsTrafficStillReaches();
    if (canary.getMetadata().getResourceVersion() != null && !Objects.equals(before, after)) {
      actions.add(0, new Action.UpdateCanaryStatus(canary, after));
    }
    pruneHistory(canary.getMetadata().getName(), after.phase().isFinished());
    return new Decision(keep, actions, stableVersion, Optional.of(canary), Optional.of(after), Optional.ofNullable(wakeAt),
        target);
  }

  /**
   * Whether a release already serves all traffic and can no longer go back: Draining, past blue-green's rollback
   * window. Its old pool may be half drained, so it is no place to send traffic back to.
   */
  private boolean isPastTheSwitch(Canary canary) {
    CanaryStatus status = status(canary);
    return status.phase() == CanaryPhase.Draining && !(isBlueGreen(canary) && inRollbackWindow(status));
  }

  /**
   * A new version arrived while the last release drained its old pool: that release is concluded as Succeeded (its
   * version serves all traffic and becomes the stable version), and the new one starts from it at the next
   * reconcile. The old pool goes on draining, being no longer kept.
   */
  private Decision concludeBeforeNextRelease(Canary draining) {
    String released = draining.getSpec().toVersion();
    writeStatus(draining, finish(status(draining), CanaryPhase.Succeeded, "released: " + released + " serves all"
        + " traffic; version " + desired + " arrived while " + stable + " was drained and is released from " + released));
    keep.put(released, replicas);
    target = TrafficTarget.settled(released, isBlueGreen(draining));
    pruneHistory(draining.getMetadata().getName(), true);
    return decision(released, Optional.of(draining));
  }

  private Decision decision(String stableVersion, Optional<Canary> current) {
    return new Decision(keep, actions, stableVersion, current, current.map(Canary::getStatus), Optional.ofNullable(wakeAt),
        target);
  }

  /** The user's action first, then as many steps as are done now; then the pools the phase needs. */
  private CanaryStatus drive(Canary canary, CanaryStatus status) {
    canaryName = canary.getMetadata().getName();
    blueGreen = isBlueGreen(canary);
    List<CanaryStep> steps = steps(canary);
    String annotation = canary.getMetadata().getAnnotations() == null ? null
        : canary.getMetadata().getAnnotations().get(Canary.ACTION_ANNOTATION);
    if (annotation != null && canary.getMetadata().getResourceVersion() != null) {
      status = applyUserAction(status, annotation, steps);
      actions.add(new Action.ClearCanaryAction(canary));
    }
    if (status.phase() == CanaryPhase.Progressing) {
      status = advance(status, steps);
    }
    if (status.phase() == CanaryPhase.Promoting) {
      status = promote(status);
    }
    if (status.phase() == CanaryPhase.Draining) {
      status = drain(status);
    }
    sizePools(status, steps);
    target = traffic(status, steps);
    return status;
  }

  private CanaryStatus applyUserAction(CanaryStatus status, String annotation, List<CanaryStep> steps) {
    Optional<CanaryAction> parsed = CanaryAction.parse(annotation);
    if (parsed.isEmpty()) {
      return with(status).lastAction("ignored unknown action '" + annotation + "' at " + now
          + " (use promote, promote-full, pause, resume, abort or retry)").build();
    }
    CanaryAction action = parsed.get();
    Progress next = with(status).lastAction(action.value() + " at " + now);
    CanaryPhase phase = status.phase();
    int step = status.currentStep();
    switch (action) {
      case PROMOTE -> {
        if ((phase == CanaryPhase.Progressing || phase == CanaryPhase.Paused) && step < steps.size()
            && steps.get(step).setWeight() == null) {
          next.phase(CanaryPhase.Progressing).step(step + 1, now).message("step " + step + " promoted by a user");
        }
      }
      case PROMOTE_FULL -> {
        if (isActive(status) && phase != CanaryPhase.Draining && phase != CanaryPhase.Promoting) {
          next.phase(CanaryPhase.Promoting).step(steps.size(), now).message("promoted fully by a user: going to 100%");
        }
      }
      case PAUSE -> {
        if (phase == CanaryPhase.Progressing) {
          next.phase(CanaryPhase.Paused).message("paused by a user at step " + step);
        }
      }
      case RESUME -> {
        if (phase == CanaryPhase.Paused) {
          boolean openPause = step < steps.size() && isOpenPause(steps.get(step));
          next.phase(CanaryPhase.Progressing).message("resumed by a user");
          if (openPause) {
            next.step(step + 1, now);
          }
        }
      }
      case ABORT -> {
        if (isActive(status) && (phase != CanaryPhase.Draining || rollbackWindowOpen(status))) {
          return finishWith(next, CanaryPhase.Aborted, "aborted by a user: traffic went back to " + stable);
        }
      }
      case RETRY -> {
        if (phase == CanaryPhase.Aborted || phase == CanaryPhase.RolledBack) {
          return with(initial()).lastAction(action.value() + " at " + now).message("retried by a user").build();
        }
      }
    }
    return next.build();
  }

  /** Runs every step whose condition holds now; stops at the first that must wait. */
  private CanaryStatus advance(CanaryStatus status, List<CanaryStep> steps) {
    Progress progress = with(status);
    while (progress.phase == CanaryPhase.Progressing) {
      int index = progress.step;
      Instant startedAt = Instant.parse(progress.stepStartedAt);
      if (blueGreen && !poolAt(desired, replicas)) {
        // Blue-green checks, holds and switches to a new pool that is up whole, so nothing runs before it is.
        if (now.isAfter(startedAt.plus(progressDeadline()))) {
          return finish(progress.build(), CanaryPhase.RolledBack, notReadyInTime(replicas));
        }
        progress.message("step " + index + ": waiting for " + replicas + " ready pods of " + desired
            + " (blue-green brings the new pool up whole; the Service still selects " + stable + ")");
        wake(startedAt.plus(progressDeadline()));
        break;
      }
      if (index >= steps.size()) {
        progress.phase(CanaryPhase.Promoting).weight(100).message("all steps done: the new version goes to 100%");
        break;
      }
      CanaryStep step = steps.get(index);
      if (step.setWeight() != null) {
        int weight = step.setWeight();
        progress.weight(weight);
        boolean podsReady = weightReached(weight);
        Optional<String> routing = podsReady ? trafficPending(TrafficSplit.canary(weight)) : Optional.empty();
        if (podsReady && routing.isEmpty()) {
          progress.step(index + 1, now).message("step " + index + ": " + weight + "% of traffic on " + desired);
          continue;
        }
        if (now.isAfter(startedAt.plus(progressDeadline()))) {
          return finish(progress.build(), CanaryPhase.RolledBack, routing
              .map(why -> "the route did not carry " + weight + "% within the progress deadline ("
                  + app.getSpec().strategyOrDefault().progressDeadline() + "): " + why + "; traffic went back to " + stable)
              .orElse(notReadyInTime(canaryPods(weight))));
        }
        progress.message("step " + index + ": " + routing.map(why -> "setting " + weight + "% on the route: " + why)
            .orElse("waiting for " + canaryPods(weight) + " ready pods of " + desired));
        wake(startedAt.plus(progressDeadline()));
        break;
      }
      if (step.pause() != null && step.pause().duration() != null) {
        Instant end = startedAt.plus(Durations.parse(step.pause().duration(), Duration.ZERO));
        if (!now.isBefore(end)) {
          progress.step(index + 1, now);
          continue;
        }
        progress.message("step " + index + ": pausing until " + end);
        wake(end);
        break;
      }
      if (step.pause() != null) {
        progress.phase(CanaryPhase.Paused).message("step " + index + ": paused until promoted"
            + " (kubectl annotate canary " + canaryName + " " + Canary.ACTION_ANNOTATION + "=promote)");
        break;
      }
      if (!analyse(progress, index, step.analysis().templateName())) {
        break;
      }
    }
    return progress.build();
  }

  /**
   * Records the measurement taken for this analysis step, if one was due, and judges the step: successful
   * goes on, failed or errored rolls back, inconclusive pauses for a human (as Argo Rollouts does).
   *
   * @return whether the step is done and the next one may run
   */
  private boolean analyse(Progress progress, int index, String templateName) {
    Optional<AnalysisTemplate> template = app.getSpec().analysisTemplate(templateName);
    if (template.isEmpty()) {
      progress.phase(CanaryPhase.Failed).finishedAt(now.toString()).weight(0).message("step " + index + ": analysis template '"
          + templateName + "' is not in spec.analysis.templates; traffic went back to " + stable);
      return false;
    }
    AnalysisResult stored = progress.analysisOf(index).orElse(AnalysisResults.started(index, template.get()));
    Measurement measurement = measurements.get(canaryName);
    if (measurement != null) {
      stored = AnalysisResults.record(stored, index, template.get(), measurement);
      progress.analysis(index, stored);
    } else if (progress.analysisOf(index).isEmpty()) {
      progress.analysis(index, stored);
    }
    Assessment assessment = AnalysisResults.assess(template.get(), stored);
    switch (assessment.phase()) {
      case SUCCESSFUL -> {
        progress.step(index + 1, now).message("step " + index + ": analysis " + templateName + " passed");
        return true;
      }
      case FAILED, ERROR -> {
        progress.phase(CanaryPhase.RolledBack).finishedAt(now.toString()).weight(0).message("step " + index
            + ": analysis " + templateName + " " + assessment.phase().text().toLowerCase() + ": " + assessment.message()
            + "; traffic went back to " + stable);
        return false;
      }
      case INCONCLUSIVE -> {
        progress.phase(CanaryPhase.Paused).message("step " + index + ": analysis " + templateName + " was inconclusive ("
            + assessment.message() + "); promote to go on or abort (kubectl annotate canary " + canaryName + " "
            + Canary.ACTION_ANNOTATION + "=promote)");
        return false;
      }
      default -> {
        AnalysisResults.nextMeasurementAt(template.get(), stored, Instant.parse(progress.stepStartedAt))
            .ifPresent(this::wake);
        progress.message("step " + index + ": analysis " + templateName + " running (" + assessment.message() + ")");
        return false;
      }
    }
  }

  /**
   * Promoting: the new pool grows to all replicas, then all traffic goes to it: by pod share, by 100% on the route
   * (Gateway API), or by switching the Service (blue-green). Draining starts once that is observed in force.
   */
  private CanaryStatus promote(CanaryStatus status) {
    Instant startedAt = Instant.parse(status.stepStartedAt());
    if (!poolAt(desired, replicas)) {
      if (now.isAfter(startedAt.plus(progressDeadline()))) {
        return finish(status, CanaryPhase.RolledBack, notReadyInTime(replicas));
      }
      wake(startedAt.plus(progressDeadline()));
      return with(status).message("promoting: waiting for " + replicas + " ready pods of " + desired).build();
    }
    if (blueGreen) {
      if (!serviceSelects(app.getMetadata().getName(), desired)) {
        return with(status).weight(100).message("promoting: switching Service " + app.getMetadata().getName() + " to "
            + desired).build();
      }
      Instant windowEnd = now.plus(scaleDownDelay());
      return with(status).phase(CanaryPhase.Draining).weight(100).step(status.currentStep(), now)
          .message("switched: " + desired + " serves all traffic; " + stable + " stays ready until " + windowEnd
              + " as the rollback window (abort, or set the version back), then it is drained").build();
    }
    Optional<String> routing = trafficPending(TrafficSplit.canary(100));
    if (routing.isPresent()) {
      return with(status).weight(100).message("promoting: setting 100% on the route: " + routing.get()).build();
    }
    return with(status).phase(CanaryPhase.Draining).weight(100)
        .message("the new pool serves all traffic; the old pool " + stable + " is being removed").build();
  }

  /** Draining: the old pool goes (after the rollback window, blue-green); the release is done once it is gone. */
  private CanaryStatus drain(CanaryStatus status) {
    if (rollbackWindowOpen(status)) {
      wake(Instant.parse(status.stepStartedAt()).plus(scaleDownDelay()));
      return status;
    }
    if (!pools.containsKey(stable) && trafficPending(TrafficSplit.stableOnly()).isEmpty()) {
      return finish(status, CanaryPhase.Succeeded, "released: " + desired + " serves all traffic");
    }
    return status;
  }

  /** Blue-green after the switch: the old pool is kept whole, and an abort switches back, until scaleDownDelay is over. */
  private boolean rollbackWindowOpen(CanaryStatus status) {
    return blueGreen && inRollbackWindow(status);
  }

  private boolean inRollbackWindow(CanaryStatus status) {
    return status.phase() == CanaryPhase.Draining
        && now.isBefore(Instant.parse(status.stepStartedAt()).plus(scaleDownDelay()));
  }

  private static boolean isBlueGreen(Canary canary) {
    return canary.getSpec().strategy() == CanarySpec.ReleaseStrategy.BlueGreen;
  }

  /**
   * Where traffic goes in each phase. Gateway API: the route follows the canary pool (a weight is written once
   * the pods for it are ready), goes to 100% on promotion, and is handed back to {@code <app>-stable} only once
   * that Service selects the new version. Blue-green: the Service {@code <app>} selects the stable version until
   * the switch. An ended release routes to the stable version at once.
   */
  private TrafficTarget traffic(CanaryStatus status, List<CanaryStep> steps) {
    Optional<String> active = blueGreen ? Optional.of(stable) : Optional.empty();
    switch (status.phase()) {
      case Progressing, Paused -> {
        // A weight goes on <app>-canary only once it selects this release's pods: after a supersede it still
        // selects the previous canary's, which are going away.
        int weight = canaryServiceReady() ? shiftedWeight(status, steps) : 0;
        return new TrafficTarget(active, stable, desired, TrafficSplit.canary(weight));
      }
      case Promoting -> {
        boolean full = poolAt(desired, replicas);
        int weight = full ? 100 : observedCanaryWeight().orElse(CanaryMath.weightAt(steps, status.currentStep()));
        return new TrafficTarget(full && blueGreen ? Optional.of(desired) : active, stable, desired,
            TrafficSplit.canary(weight));
      }
      case Draining, Succeeded -> {
        boolean handedOver = serviceSelects(Names.stableService(app.getMetadata().getName()), desired);
        return new TrafficTarget(blueGreen ? Optional.of(desired) : Optional.empty(), desired, desired,
            handedOver ? TrafficSplit.stableOnly() : TrafficSplit.canary(100));
      }
      default -> {
        return new TrafficTarget(active, stable, stable, TrafficSplit.stableOnly());
      }
    }
  }

  /**
   * The weight the current step may put on the canary now: its own once the canary pods for it are ready, the
   * previous step's until then. The stable pool shrinks (Shrink) only once this weight is in force.
   */
  private int shiftedWeight(CanaryStatus status, List<CanaryStep> steps) {
    int weight = CanaryMath.weightAt(steps, status.currentStep());
    return poolAt(desired, canaryPods(weight)) ? weight : CanaryMath.weightAt(steps, status.currentStep() - 1);
  }

  /** Why the router does not carry {@code split} yet (empty: it does). */
  private Optional<String> trafficPending(TrafficSplit split) {
    RouteEdit edit = router.edit(app, traffic, split);
    if (edit instanceof RouteEdit.Problem problem) {
      return Optional.of(problem.message());
    }
    if (edit instanceof RouteEdit.Patch) {
      return Optional.of("HTTPRoute " + RouteBackends.of(app).httpRoute() + " is being set to "
          + GatewayApiRoutes.describe(RouteBackends.of(app), split));
    }
    return Optional.empty();
  }

  private boolean canaryServiceReady() {
    return !TrafficRouters.usesGatewayApi(app) || serviceSelects(Names.canaryService(app.getMetadata().getName()), desired);
  }

  private OptionalInt observedCanaryWeight() {
    return TrafficRouters.usesGatewayApi(app) && RouteBackends.problem(app).isEmpty()
        ? GatewayApiRoutes.canaryShare(traffic.httpRoute(), RouteBackends.of(app))
        : OptionalInt.empty();
  }

  /** Whether the Service, as observed, selects {@code version}'s pods only. */
  private boolean serviceSelects(String service, String version) {
    return ObservedWeights.selectedVersion(snapshot, service).filter(version::equals).isPresent();
  }

  private String notReadyInTime(int pods) {
    return "the new pool did not get " + pods + " ready pods within the progress deadline ("
        + app.getSpec().strategyOrDefault().progressDeadline() + "): traffic went back to " + stable;
  }

  private Duration scaleDownDelay() {
    BlueGreenStrategy strategy = app.getSpec().strategyOrDefault().blueGreen();
    return strategy == null ? Duration.ZERO : strategy.scaleDownDelayOrDefault();
  }

  /** The pools each phase needs; pools not listed are retired by the caller. */
  private void sizePools(CanaryStatus status, List<CanaryStep> steps) {
    StableScaling scaling = canaryStrategy().stableScalingOrDefault();
    switch (status.phase()) {
      case Progressing, Paused -> {
        if (blueGreen) {
          keep.put(stable, replicas);
          keep.put(desired, replicas);
          return;
        }
        int weight = CanaryMath.weightAt(steps, status.currentStep());
        boolean shifted = poolAt(desired, canaryPods(weight)) && trafficPending(TrafficSplit.canary(weight)).isEmpty();
        int previousWeight = CanaryMath.weightAt(steps, status.currentStep() - 1);
        // The stable pool shrinks only once the new pool's pods are ready and the weight is on them: it absorbs first.
        keep.put(stable, CanaryMath.stableReplicas(shifted ? weight : previousWeight, replicas, scaling));
        keep.put(desired, canaryPods(weight));
      }
      case Promoting -> {
        keep.put(stable, specReplicas(stable).orElse(replicas));
        keep.put(desired, replicas);
      }
      case Draining, Succeeded -> {
        if (rollbackWindowOpen(status)) {
          keep.put(stable, specReplicas(stable).orElse(replicas));
        }
        keep.put(desired, replicas);
      }
      case Aborted, RolledBack, Failed -> {
        keep.put(stable, replicas);
        // The new pool goes only once the stable pool can take all traffic again.
        if (!poolAt(stable, replicas)) {
          keep.put(desired, specReplicas(desired).orElse(0));
        }
      }
    }
  }

  /**
   * A pool that the Service {@code <app>} (blue-green) or the route (Gateway API) still sends traffic to, as
   * observed, is kept as it is even when the release no longer needs it (an abort, a rollback, a superseded
   * release): this reconcile moves the traffic off it, and its pods are drained once that is observed. Draining
   * them in the same pass would take them out of the Service that still receives the traffic, leaving it without
   * endpoints until the selector or the route write lands. With the replica-ratio router a pool's share is its
   * serving pods, so draining them is what moves its traffic: nothing to wait for.
   */
  private void keepPoolsTrafficStillReaches() {
    for (String version : pools.keySet()) {
      if (!keep.containsKey(version) && ObservedWeights.routedShare(snapshot, version).orElse(0) > 0) {
        keep.put(version, specReplicas(version).orElse(0));
      }
    }
  }

  /** With Shrink, a weight's pods are in place when the stable pool has shrunk too. */
  private boolean weightReached(int weight) {
    if (!poolAt(desired, canaryPods(weight))) {
      return false;
    }
    int stableWanted = CanaryMath.stableReplicas(weight, replicas, canaryStrategy().stableScalingOrDefault());
    return specReplicas(stable).map(r -> r == stableWanted).orElse(true)
        && Optional.ofNullable(pools.get(stable)).map(d -> PoolState.current(d) <= stableWanted).orElse(true);
  }

  /** Whether the version's pool is asked for exactly {@code wanted} pods and has them ready. */
  private boolean poolAt(String version, int wanted) {
    Deployment pool = pools.get(version);
    if (pool == null) {
      return wanted == 0;
    }
    return PoolState.desired(pool) == wanted && PoolState.isRolledOut(pool);
  }

  private Optional<Integer> specReplicas(String version) {
    return Optional.ofNullable(pools.get(version)).map(PoolState::desired);
  }

  private int canaryPods(int weight) {
    return CanaryMath.canaryReplicas(weight, replicas);
  }

  private Duration progressDeadline() {
    return app.getSpec().strategyOrDefault().progressDeadlineOrDefault();
  }

  private CanaryStrategy canaryStrategy() {
    CanaryStrategy canary = app.getSpec().strategyOrDefault().canary();
    return canary == null ? new CanaryStrategy(List.of(), null) : canary;
  }

  private List<CanaryStep> steps(Canary canary) {
    return canary.getSpec().steps() == null ? List.of() : canary.getSpec().steps();
  }

  private void wake(Instant at) {
    if (wakeAt == null || at.isBefore(wakeAt)) {
      wakeAt = at;
    }
  }

  /**
   * The release's Canary: the one the Application's status points to, when it records this release;
   * otherwise an unfinished Canary of this release (the status write may have been lost in a restart).
   */
  private Optional<Canary> currentCanary() {
    String pointer = app.getStatus() == null ? null : app.getStatus().canary();
    Canary pointed = pointer == null ? null : canaries.get(pointer);
    if (pointed != null && (isReleaseOf(pointed, stable, desired) || desired.equals(stable))) {
      return Optional.of(pointed);
    }
    Optional<Canary> unfinished = canaries.values().stream()
        .filter(c -> isReleaseOf(c, stable, desired) && (c.getStatus() == null || !c.getStatus().phase().isFinished()))
        .max(Comparator.comparing(c -> c.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(String::compareTo)));
    return unfinished.isPresent() ? unfinished : Optional.ofNullable(pointed);
  }

  private String nextCanaryName() {
    String name = Names.canary(app.getMetadata().getName(), desired, 1);
    for (int attempt = 2; canaries.containsKey(name); attempt++) {
      name = Names.canary(app.getMetadata().getName(), desired, attempt);
    }
    return name;
  }

  /**
   * Finished releases beyond spec.releaseHistoryLimit go, oldest first; the current one stays, and counts
   * towards the limit once it has finished (it is the newest entry of the history).
   */
  private void pruneHistory(String currentName, boolean currentFinished) {
    int limit = Math.max(0, app.getSpec().releaseHistoryLimitOrDefault() - (currentFinished ? 1 : 0));
    List<Canary> finished = canaries.values().stream()
        .filter(c -> !c.getMetadata().getName().equals(currentName))
        .filter(c -> c.getStatus() != null && c.getStatus().phase() != null && c.getStatus().phase().isFinished())
        .sorted(Comparator.comparing((Canary c) -> Objects.toString(c.getStatus().finishedAt(), ""))
            .thenComparing(c -> c.getMetadata().getName()))
        .toList();
    for (int i = 0; i < finished.size() - limit; i++) {
      actions.add(new Action.DeleteCanary(finished.get(i).getMetadata().getName()));
    }
  }

  private void writeStatus(Canary canary, CanaryStatus status) {
    actions.add(new Action.UpdateCanaryStatus(canary, status));
  }

  private static boolean isReleaseOf(Canary canary, String from, String to) {
    CanarySpec spec = canary.getSpec();
    return to.equals(spec.toVersion()) && Objects.equals(from, spec.fromVersion());
  }

  private static boolean isOpenPause(CanaryStep step) {
    return step.pause() != null && step.pause().duration() == null;
  }

  static boolean isActive(CanaryStatus status) {
    return status == null || status.phase() == null || !status.phase().isFinished();
  }

  private CanaryStatus status(Canary canary) {
    return canary.getStatus() == null ? initial() : canary.getStatus();
  }

  private CanaryStatus initial() {
    return new CanaryStatus(null, CanaryPhase.Progressing, 0, 0, now.toString(), now.toString(), null, null, null, null,
        "release of " + desired + " started from " + stable);
  }

  private CanaryStatus finish(CanaryStatus status, CanaryPhase phase, String message) {
    return finishWith(with(status), phase, message);
  }

  private CanaryStatus finishWith(Progress progress, CanaryPhase phase, String message) {
    return progress.phase(phase).finishedAt(now.toString()).weight(phase == CanaryPhase.Succeeded ? 100 : 0)
        .message(message).build();
  }

  private Progress with(CanaryStatus status) {
    return new Progress(status, now);
  }

  /** A mutable copy of a CanaryStatus for one planning pass. */
  private static final class Progress {
    private final CanaryStatus base;
    private final Instant now;
    private CanaryPhase phase;
    private int step;
    private int weight;
    private String stepStartedAt;
    private String finishedAt;
    private String lastAction;
    private String message;
    private List<AnalysisResult> analysis;

    Progress(CanaryStatus status, Instant now) {
      this.base = status;
      this.now = now;
      this.phase = status.phase();
      this.step = status.currentStep() == null ? 0 : status.currentStep();
      this.weight = status.currentWeight() == null ? 0 : status.currentWeight();
      this.stepStartedAt = status.stepStartedAt();
      this.finishedAt = status.finishedAt();
      this.lastAction = status.lastAction();
      this.message = status.message();
      this.analysis = status.analysis() == null ? new ArrayList<>() : new ArrayList<>(status.analysis());
    }

    Optional<AnalysisResult> analysisOf(int step) {
      return CanaryStatus.analysisOf(analysis, step);
    }

    /** Replaces the result of a step (a retried release starts its results afresh). */
    Progress analysis(int step, AnalysisResult result) {
      analysis.removeIf(r -> r.step() != null && r.step() == step);
      analysis.add(result);
      return this;
    }

    Progress phase(CanaryPhase phase) {
      this.phase = phase;
      return this;
    }

    Progress step(int step, Instant startedAt) {
      this.step = step;
      this.stepStartedAt = startedAt.toString();
      return this;
    }

    Progress weight(int weight) {
      this.weight = weight;
      return this;
    }

    Progress finishedAt(String finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    Progress lastAction(String lastAction) {
      this.lastAction = lastAction;
      return this;
    }

    Progress message(String message) {
      this.message = message;
      return this;
    }

    CanaryStatus build() {
      return new CanaryStatus(base.observedGeneration(), phase, step, weight, stepStartedAt, base.startedAt(), finishedAt,
          analysis.isEmpty() ? null : List.copyOf(analysis), lastAction,
          CanaryConditions.of(phase, message, base.conditions(), now), message);
    }
  }
}
