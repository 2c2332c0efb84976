package dev.baton.reconciler;

import dev.baton.analysis.AnalysisRunner;
import dev.baton.api.Application;
import dev.baton.api.ApplicationStatus;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.metrics.BatonMetrics;
import dev.baton.drain.ConnectionWatches;
import dev.baton.drain.DrainSignals;
import dev.baton.observe.ApplicationSnapshot;
import dev.baton.observe.SnapshotReader;
import dev.baton.plan.Action;
import dev.baton.plan.ApplicationPlanner;
import dev.baton.plan.Conditions;
import dev.baton.plan.Plan;
import dev.baton.plan.VersionResolver;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reconciles an Application in three steps: observe a snapshot from the informer caches, plan with the
 * pure {@link ApplicationPlanner}, act with one API call per planned action. Status is written only
 * when it changed, so a settled Application costs no API writes on resync.
 */
@ControllerConfiguration(name = ApplicationReconciler.NAME)
public class ApplicationReconciler implements Reconciler<Application> {

  public static final String NAME = "application";

  private final Clock clock;
  private final ReconcileListener listener;
  private final ConnectionWatches connectionWatches;
  private final HttpClient http;
  private final AnalysisRunner analysis;
  private final BatonMetrics metrics;

  public ApplicationReconciler(Clock clock, ReconcileListener listener, BatonMetrics metrics) {
    this.clock = clock;
    this.listener = listener;
    this.metrics = metrics;
    // One HTTP client for drain signals and connection counts: pods are called directly, by their IP.
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.connectionWatches = ConnectionWatches.withDefaults(http);
    this.analysis = new AnalysisRunner(http, clock);
  }

  @Override
  public List<EventSource<?, Application>> prepareEventSources(EventSourceContext<Application> context) {
    return List.of(
        managed(Deployment.class, context),
        managed(Service.class, context),
        managed(PodDisruptionBudget.class, context),
        managed(Canary.class, context),
        pods(context));
  }

  /** An informer over the objects Baton manages (by label), so memory follows Baton's objects, not the cluster's. */
  private static <R extends HasMetadata> InformerEventSource<R, Application> managed(Class<R> type,
      EventSourceContext<Application> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, Application.class).withLabelSelector(Labels.MANAGED_SELECTOR).build(),
        context);
  }

  /**
   * Pods belong to ReplicaSets, not to the Application, so they are mapped to it by Baton's application
   * label rather than by owner references.
   */
  private static InformerEventSource<Pod, Application> pods(EventSourceContext<Application> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, Application.class)
            .withLabelSelector(Labels.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(pod -> pod.getMetadata().getLabels() == null
                || !pod.getMetadata().getLabels().containsKey(Labels.APPLICATION)
                ? Set.of()
                : Set.of(new ResourceID(pod.getMetadata().getLabels().get(Labels.APPLICATION),
                    pod.getMetadata().getNamespace())))
            .build(),
        context);
  }

  @Override
  public UpdateControl<Application> reconcile(Application app, Context<Application> context) {
    listener.reconcileStarted(app);
    Instant now = Instant.now(clock);
    ApplicationSnapshot snapshot = SnapshotReader.read(app, context,
        pools -> VersionResolver.resolve(app, pools).map(Set::of).orElse(Set.of()), connectionWatches, analysis, now);
    Plan plan = ApplicationPlanner.plan(snapshot, now);

    EventRecorder events = new EventRecorder(context.getClient(), clock);
    ActionExecutor executor = new ActionExecutor(context.getClient(), events,
        DrainSignals.withDefaults(context.getClient(), http, clock), clock, metrics);
    for (Action action : plan.actions()) {
      executor.apply(app, action);
      metrics.actionApplied(action);
    }
    updateGauges(app, snapshot, plan);
    recordTransitions(app, app.getStatus(), plan.status(), events);

    if (!Objects.equals(app.getStatus(), plan.status())) {
      // Patch and cache: the next reconcile must see this status (it holds the stable version), not a stale copy.
      try {
        PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(app, context, fresh -> {
          fresh.setStatus(plan.status());
          return fresh;
        });
      } catch (KubernetesClientException e) {
        // Deleted while this reconcile ran: there is no status left to write, and nothing to retry.
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    UpdateControl<Application> control = UpdateControl.noUpdate();
    plan.requeueAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * An Event when the application becomes Ready, when Baton refuses to act (InvalidSpec, Conflict), and
   * when it becomes Degraded, so {@code kubectl describe} shows when it became healthy or why not.
   * Intermediate not-ready reasons (a pool starting, a release running) are in the conditions, not Events.
   */
  private static void recordTransitions(Application app, ApplicationStatus before, ApplicationStatus after,
      EventRecorder events) {
    Optional<Condition> readyBefore = before == null ? Optional.empty() : before.condition(Conditions.READY);
    after.condition(Conditions.READY).filter(now -> changed(readyBefore, now)).ifPresent(ready -> {
      if ("True".equals(ready.getStatus())) {
        events.normal(app, ready.getReason(), ready.getMessage());
      } else if (BLOCKING_REASONS.contains(ready.getReason())) {
        events.warning(app, ready.getReason(), ready.getMessage());
      }
    });
    Optional<Condition> degradedBefore = before == null ? Optional.empty() : before.condition(Conditions.DEGRADED);
    after.condition(Conditions.DEGRADED)
        .filter(now -> "True".equals(now.getStatus()) && changed(degradedBefore, now))
        .ifPresent(degraded -> events.warning(app, degraded.getReason(), degraded.getMessage()));
  }

  private static final Set<String> BLOCKING_REASONS =
      Set.of(ApplicationPlanner.REASON_INVALID_SPEC, ApplicationPlanner.REASON_CONFLICT);

  private static boolean changed(Optional<Condition> before, Condition now) {
    return before.map(c -> !c.getStatus().equals(now.getStatus()) || !c.getReason().equals(now.getReason())).orElse(true);
  }

  /** The gauges of releases and drains in progress follow every plan. */
  private void updateGauges(Application app, ApplicationSnapshot snapshot, Plan plan) {
    String canary = plan.status().canary();
    CanaryPhase phase = canary == null ? null : plan.actions().stream()
        .filter(a -> a instanceof Action.UpdateCanaryStatus u && u.canary().getMetadata().getName().equals(canary))
        .map(a -> ((Action.UpdateCanaryStatus) a).status().phase())
        .findFirst()
        .orElseGet(() -> Optional.ofNullable(snapshot.canaries().get(canary))
            .map(Canary::getStatus).map(CanaryStatus::phase).orElse(null));
    metrics.releaseObserved(app, phase != null && phase.isFinished() ? null : phase);
    // Isolated pods wait for a drain slot: they are not draining yet, and baton_draining_pods is measured against
    // maxConcurrent.
    List<ApplicationStatus.DrainingPod> draining = plan.status().draining() == null ? List.of()
        : plan.status().draining().stream().filter(d -> !ApplicationStatus.DrainingPod.ISOLATED.equals(d.stage())).toList();
    long connections = draining.stream().map(ApplicationStatus.DrainingPod::connections).filter(Objects::nonNull)
        .mapToLong(Long::longValue).sum();
    metrics.drainProgress(app, draining.size(), connections, app.getSpec().drainOrDefault().maxConcurrentOrDefault());
  }

  /** Lets tests and metrics see reconciles without reaching into JOSDK. */
  public interface ReconcileListener {
    ReconcileListener NONE = app -> {};

    void reconcileStarted(Application app);
  }
}
