package dev.baton.metrics;

import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.api.Drain;
import dev.baton.drain.DrainDecision;
import dev.baton.drain.SignalResult;
import dev.baton.plan.Action;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Baton's own Prometheus metrics, next to the Java Operator SDK's. Names follow the Prometheus conventions:
 * the {@code baton_} prefix, base units ({@code _seconds}), {@code _total} on counters.
 *
 * <p><b>Cardinality is bounded by design.</b> Every label takes its values from a closed set in Baton's own
 * types (result, action kind, phase, step kind, signal kind, drain reason), never from object names: at
 * 10,000 Applications a label per application would be 10,000 series per metric, and pod names would grow
 * without bound across releases. Per-application numbers are in each Application's and Canary's status,
 * where {@code kubectl} and the Argo CD health checks read them. All series are registered at zero up
 * front, so {@code rate()} and {@code increase()} see the first event, and dashboards show every series.
 *
 * <p><b>Gauges are summed over Applications in this process.</b> The reconciler reports each Application's
 * running release and drain ({@link #releaseObserved}, {@link #drainProgress}); the gauges add them up at
 * scrape time. Only the leader reconciles, so a standby replica reports zeros, and {@code sum} over the
 * replicas is the cluster's number. An Application deleted mid-release or mid-drain is forgotten when the
 * SDK cleans it up ({@link #around(Metrics)} hooks {@code cleanupDoneFor}), so its gauges do not linger.
 */
public final class BatonMetrics {

  // Prometheus names, as scraped. Micrometer spells them with dots and adds _total / _seconds itself.
  public static final String RECONCILES = "baton_reconciles_total";
  public static final String RECONCILE_DURATION = "baton_reconcile_duration_seconds";
  public static final String ACTIONS = "baton_actions_total";
  public static final String RELEASES_STARTED = "baton_releases_started_total";
  public static final String RELEASES_FINISHED = "baton_releases_finished_total";
  public static final String RELEASE_DURATION = "baton_release_duration_seconds";
  public static final String RELEASES_IN_PROGRESS = "baton_releases_in_progress";
  public static final String STEP_DURATION = "baton_release_step_duration_seconds";
  public static final String DRAINS_IN_PROGRESS = "baton_drains_in_progress";
  public static final String DRAINING_PODS = "baton_draining_pods";
  public static final String DRAIN_CONNECTIONS_REMAINING = "baton_drain_connections_remaining";
  public static final String DRAIN_MAX_CONCURRENT = "baton_drain_max_concurrent";
  public static final String DRAIN_SIGNALS = "baton_drain_signals_total";
  public static final String DRAINED_PODS = "baton_drained_pods_total";

  /** Every metric family Baton exports, by its Prometheus name. */
  public static final List<String> NAMES = List.of(RECONCILES, RECONCILE_DURATION, ACTIONS, RELEASES_STARTED,
      RELEASES_FINISHED, RELEASE_DURATION, RELEASES_IN_PROGRESS, STEP_DURATION, DRAINS_IN_PROGRESS, DRAINING_PODS,
      DRAIN_CONNECTIONS_REMAINING, DRAIN_MAX_CONCURRENT, DRAIN_SIGNALS, DRAINED_PODS);

  /** Reconciles take milliseconds (cache reads, a few API calls); seconds mean the API server is slow. */
  private static final Duration[] RECONCILE_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
  /** Steps wait for pods to be ready, pauses and analyses: seconds to hours. */
  private static final Duration[] STEP_BUCKETS = seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400);
  /** A release runs every step and drains the old pool: minutes to a day. */
  private static final Duration[] RELEASE_BUCKETS = seconds(60, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400);

  private final Map<Boolean, Counter> reconciles = new LinkedHashMap<>();
  private final Map<Boolean, Timer> reconcileDurations = new LinkedHashMap<>();
  private final Map<Class<?>, Counter> actions = new LinkedHashMap<>();
  private final Map<CanarySpec.ReleaseStrategy, Counter> releasesStarted = new EnumMap<>(CanarySpec.ReleaseStrategy.class);
  private final Map<CanaryPhase, Counter> releasesFinished = new EnumMap<>(CanaryPhase.class);
  private final Map<CanaryPhase, Timer> releaseDurations = new EnumMap<>(CanaryPhase.class);
  private final Map<StepKind, Timer> stepDurations = new EnumMap<>(StepKind.class);
  private final Map<String, Counter> signals = new LinkedHashMap<>();
  private final Map<DrainDecision.Reason, Counter> drainedPods = new EnumMap<>(DrainDecision.Reason.class);

  /** The running release's phase per Application (absent: no release runs). */
  private final Map<ResourceID, CanaryPhase> runningReleases = new ConcurrentHashMap<>();
  /** The drain in progress per Application (absent: nothing drains). */
  private final Map<ResourceID, DrainState> drains = new ConcurrentHashMap<>();

  public BatonMetrics(MeterRegistry registry) {
    for (boolean success : new boolean[] {true, false}) {
      String result = success ? "success" : "error";
      reconciles.put(success, Counter.builder("baton.reconciles")
          .description("Reconciles of an Application, by result (error: an exception; the SDK retries)")
          .tag("result", result).register(registry));
      reconcileDurations.put(success, Timer.builder("baton.reconcile.duration")
          .description("Time of one reconcile of an Application: observe, plan, act")
          .tag("result", result).serviceLevelObjectives(RECONCILE_BUCKETS).register(registry));
    }
    // The sealed Action interface lists every kind the executor applies: a closed set of label values.
    for (Class<?> kind : Action.class.getPermittedSubclasses()) {
      actions.put(kind, Counter.builder("baton.actions")
          .description("Changes applied to the cluster, one API call each, by action kind")
          .tag("action", kind.getSimpleName()).register(registry));
    }
    for (CanarySpec.ReleaseStrategy strategy : CanarySpec.ReleaseStrategy.values()) {
      releasesStarted.put(strategy, Counter.builder("baton.releases.started")
          .description("Releases started (a Canary created), by strategy")
          .tag("strategy", strategy.name()).register(registry));
    }
    for (CanaryPhase phase : CanaryPhase.values()) {
      if (phase.isFinished()) {
        releasesFinished.put(phase, Counter.builder("baton.releases.finished")
            .description("Releases finished, by result: Succeeded, Aborted, RolledBack or Failed")
            .tag("result", phase.name()).register(registry));
        releaseDurations.put(phase, Timer.builder("baton.release.duration")
            .description("Time from a release's start to its end, by result")
            .tag("result", phase.name()).serviceLevelObjectives(RELEASE_BUCKETS).register(registry));
      } else {
        Gauge.builder("baton.releases.in.progress", runningReleases, countOf(phase))
            .description("Releases running now, by phase (summed over the Applications this replica reconciles)")
            .tag("phase", phase.name()).strongReference(true).register(registry);
      }
    }
    for (StepKind kind : StepKind.values()) {
      stepDurations.put(kind, Timer.builder("baton.release.step.duration")
          .description("Time a release spent in one step, by step kind: setWeight (until the pods are ready), pause, analysis")
          .tag("step", kind.label).serviceLevelObjectives(STEP_BUCKETS).register(registry));
    }
    for (String signal : List.of("annotation", "http", "exec")) {
      for (boolean sent : new boolean[] {true, false}) {
        signals.put(signalKey(signal, sent), Counter.builder("baton.drain.signals")
            .description("Drain signals sent to pods, by signal kind and result (failed attempts are retried with backoff)")
            .tag("signal", signal).tag("result", sent ? "sent" : "failed").register(registry));
      }
    }
    for (DrainDecision.Reason reason : DrainDecision.Reason.values()) {
      drainedPods.put(reason, Counter.builder("baton.drained.pods")
          .description("Pods whose drain ended, by reason: Empty (no connections left), WaitElapsed, TimedOut")
          .tag("reason", reason.reason()).register(registry));
    }
    Gauge.builder("baton.drains.in.progress", drains, Map::size)
        .description("Applications whose old pool is draining now").strongReference(true).register(registry);
    Gauge.builder("baton.draining.pods", drains, sum(DrainState::draining))
        .description("Pods draining now: out of the Services, signalled or waiting for their connections to leave")
        .strongReference(true).register(registry);
    Gauge.builder("baton.drain.connections.remaining", drains, sum(DrainState::connectionsLeft))
        .description("Connections still open on draining pods, as last counted by their watch (http or prometheus)")
        .strongReference(true).register(registry);
    Gauge.builder("baton.drain.max.concurrent", drains, sum(DrainState::maxConcurrent))
        .description("Pods allowed to drain at once, summed over the draining Applications (spec.drain.maxConcurrent):"
            + " the reconnect budget baton_draining_pods is measured against")
        .strongReference(true).register(registry);
  }

  // ---- reconciles ----

  /** Starts timing one reconcile; the {@link #around(Metrics) SDK hook} calls this, so the reconciler need not. */
  public ReconcileTimer reconcileStarted() {
    return new ReconcileTimer(System.nanoTime());
  }

  /** Records one reconcile: success, or error when it threw (the SDK then retries with backoff). */
  public void reconcileFinished(Duration took, boolean success) {
    reconciles.get(success).increment();
    reconcileDurations.get(success).record(took);
  }

  /** A reconcile being timed, on the monotonic clock. */
  public final class ReconcileTimer {
    private final long startNanos;

    private ReconcileTimer(long startNanos) {
      this.startNanos = startNanos;
    }

    public void finished(boolean success) {
      reconcileFinished(Duration.ofNanos(System.nanoTime() - startNanos), success);
    }
  }

  // ---- actions and the releases they start and end ----

  /**
   * Records an action the executor applied (call it after the API call succeeded, so a refused call is not
   * counted). The release counters and step durations are read off the Canary actions, so no other call is
   * needed for them: {@link Action.CreateCanary} starts a release; an {@link Action.UpdateCanaryStatus} that
   * moves to a later step ends a step, and one that moves to a finished phase ends the release.
   */
  public void actionApplied(Action action) {
    Counter counter = actions.get(action.getClass());
    if (counter != null) {
      counter.increment();
    }
    if (action instanceof Action.CreateCanary create) {
      CanarySpec.ReleaseStrategy strategy = create.canary().getSpec().strategy();
      releasesStarted.get(strategy == null ? CanarySpec.ReleaseStrategy.Canary : strategy).increment();
    } else if (action instanceof Action.UpdateCanaryStatus update) {
      canaryStatusChanged(update.canary(), update.status());
    }
  }

  private void canaryStatusChanged(Canary canary, CanaryStatus after) {
    CanaryStatus before = canary.getStatus();
    if (before == null || before.phase() == null || after == null || after.phase() == null) {
      return;
    }
    // A step ends when the status moves to a later one; its duration runs to the next step's start.
    List<CanaryStep> steps = canary.getSpec().steps();
    Integer from = before.currentStep();
    Integer to = after.currentStep();
    if (from != null && to != null && to > from && steps != null && from < steps.size()) {
      between(before.stepStartedAt(), Optional.ofNullable(after.stepStartedAt()).orElse(after.finishedAt()))
          .ifPresent(took -> stepFinished(steps.get(from), took));
    }
    if (!before.phase().isFinished() && after.phase().isFinished()) {
      releaseFinished(after.phase(), between(after.startedAt(), after.finishedAt()).orElse(null));
    }
  }

  /** Records a finished release; {@code took} may be null when the times are unknown (then only the count). */
  public void releaseFinished(CanaryPhase result, Duration took) {
    Counter counter = releasesFinished.get(result);
    if (counter == null) {
      throw new IllegalArgumentException(result + " is not a finished phase");
    }
    counter.increment();
    if (took != null) {
      releaseDurations.get(result).record(took);
    }
  }

  /** Records the time one step took. */
  public void stepFinished(CanaryStep step, Duration took) {
    stepDurations.get(StepKind.of(step)).record(took);
  }

  /**
   * The phase of {@code application}'s running release after this reconcile, or null when none runs (no
   * Canary, or the last one finished). Call it on every reconcile: after a restart the gauges fill up as
   * the Applications are reconciled again.
   */
  public void releaseObserved(HasMetadata application, CanaryPhase phase) {
    ResourceID id = ResourceID.fromResource(application);
    if (phase == null || phase.isFinished()) {
      runningReleases.remove(id);
    } else {
      runningReleases.put(id, phase);
    }
  }

  // ---- draining ----

  /**
   * {@code application}'s drain after this reconcile: pods draining now, the connections they still hold
   * (0 when the watch does not count them: wait, or an unknown count), and its {@code spec.drain.maxConcurrent}.
   * {@code draining == 0} means no drain runs.
   */
  public void drainProgress(HasMetadata application, int draining, long connectionsLeft, int maxConcurrent) {
    ResourceID id = ResourceID.fromResource(application);
    if (draining <= 0) {
      drains.remove(id);
    } else {
      drains.put(id, new DrainState(draining, Math.max(0, connectionsLeft), maxConcurrent));
    }
  }

  /** Records one attempt to signal a draining pod, by the kind of signal {@code drain} asks for. */
  public void signalSent(Drain drain, SignalResult result) {
    Drain.Signal signal = (drain == null ? Drain.DEFAULT : drain).signalOrDefault();
    String kind = signal.exec() != null ? "exec" : signal.http() != null ? "http" : "annotation";
    signals.get(signalKey(kind, result.sent())).increment();
  }

  /** Records a pod whose drain ended (it may now be removed), and why. */
  public void podDrained(DrainDecision.Reason reason) {
    drainedPods.get(reason).increment();
  }

  // ---- the SDK hook ----

  /**
   * The SDK's metrics with Baton's hooks around them: every reconcile is timed and counted (including one
   * that throws before the reconciler could), and an Application's gauges are dropped when the SDK cleans
   * up after its deletion. Pass the result to {@code ConfigurationServiceOverrider.withMetrics}.
   */
  public Metrics around(Metrics sdk) {
    return new SdkHook(sdk);
  }

  private final class SdkHook implements Metrics {
    private final Metrics sdk;

    SdkHook(Metrics sdk) {
      this.sdk = sdk;
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
      if (!"reconcile".equals(execution.name())) {
        return sdk.timeControllerExecution(execution);
      }
      ReconcileTimer timer = reconcileStarted();
      try {
        T result = sdk.timeControllerExecution(execution);
        timer.finished(true);
        return result;
      } catch (Exception | Error e) {
        timer.finished(false);
        throw e;
      }
    }

    @Override
    public void cleanupDoneFor(ResourceID id, Map<String, Object> metadata) {
      runningReleases.remove(id);
      drains.remove(id);
      sdk.cleanupDoneFor(id, metadata);
    }

    @Override
    public void controllerRegistered(Controller<? extends HasMetadata> controller) {
      sdk.controllerRegistered(controller);
    }

    @Override
    public void receivedEvent(Event event, Map<String, Object> metadata) {
      sdk.receivedEvent(event, metadata);
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
      sdk.reconcileCustomResource(resource, retryInfo, metadata);
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
      sdk.failedReconciliation(resource, exception, metadata);
    }

    @Override
    public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
      sdk.reconciliationExecutionStarted(resource, metadata);
    }

    @Override
    public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
      sdk.reconciliationExecutionFinished(resource, metadata);
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
      sdk.finishedReconciliation(resource, metadata);
    }

    @Override
    public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
      return sdk.monitorSizeOf(map, name);
    }
  }

  // ---- helpers ----

  private record DrainState(int draining, long connectionsLeft, int maxConcurrent) {}

  /** The step kinds, as the CRD names them. */
  private enum StepKind {
    SET_WEIGHT("setWeight"),
    PAUSE("pause"),
    ANALYSIS("analysis");

    final String label;

    StepKind(String label) {
      this.label = label;
    }

    static StepKind of(CanaryStep step) {
      return step.pause() != null ? PAUSE : step.analysis() != null ? ANALYSIS : SET_WEIGHT;
    }
  }

  private static ToDoubleFunction<Map<ResourceID, CanaryPhase>> countOf(CanaryPhase phase) {
    return releases -> releases.values().stream().filter(phase::equals).count();
  }

  private static ToDoubleFunction<Map<ResourceID, DrainState>> sum(ToDoubleFunction<DrainState> field) {
    return drains -> drains.values().stream().mapToDouble(field).sum();
  }

  private static String signalKey(String kind, boolean sent) {
    return kind + (sent ? "/sent" : "/failed");
  }

  /** The time between two RFC 3339 instants from a status; empty when either is missing or unreadable. */
  private static Optional<Duration> between(String from, String to) {
    if (from == null || to == null) {
      return Optional.empty();
    }
    try {
      Duration took = Duration.between(Instant.parse(from), Instant.parse(to));
      return took.isNegative() ? Optional.empty() : Optional.of(took);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration[] seconds(double... values) {
    return Arrays.stream(values).mapToObj(s -> Duration.ofNanos((long) (s * 1_000_000_000L))).toArray(Duration[]::new);
  }
}
