package dev.baton.observe;

import dev.baton.api.Application;
import dev.baton.analysis.AnalysisResults;
import dev.baton.analysis.AnalysisRunner;
import dev.baton.analysis.Measurement;
import dev.baton.analysis.Variables;
import dev.baton.api.AnalysisTemplate;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStatus.AnalysisResult;
import dev.baton.api.CanaryStep;
import dev.baton.api.Drain;
import dev.baton.drain.ConnectionWatch;
import dev.baton.drain.ConnectionWatches;
import dev.baton.drain.WatchResult;
import dev.baton.resources.Labels;
import dev.baton.resources.Names;
import dev.baton.resources.ServiceFactory;
import dev.baton.traffic.ObservedTraffic;
import dev.baton.traffic.TrafficRouters;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads an {@link ApplicationSnapshot} from the informer caches JOSDK keeps for the Application's
 * secondaries. Only names Baton wants but cannot find among its own objects are looked up in the API,
 * to tell a foreign object of that name (a conflict) from one that does not exist yet.
 */
public final class SnapshotReader {

  private SnapshotReader() {}

  /**
   * @param wantedVersions the versions the Application needs pools for, given the pools it has (a template change
   *     under the same version needs a revision's pool): names looked up in the API when Baton does not own them
   */
  public static ApplicationSnapshot read(Application app, Context<Application> context,
      Function<Map<String, Deployment>, Set<String>> wantedVersions,
      ConnectionWatches watches, AnalysisRunner analysis, Instant now) {
    String uid = app.getMetadata().getUid();
    Map<String, Deployment> pools = byVersion(owned(context.getSecondaryResources(Deployment.class), uid));
    Map<String, PodDisruptionBudget> budgets = byVersion(owned(context.getSecondaryResources(PodDisruptionBudget.class), uid));
    Map<String, Canary> canaries = owned(context.getSecondaryResources(Canary.class), uid).stream()
        .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    Map<String, Service> services = owned(context.getSecondaryResources(Service.class), uid).stream()
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));

    KubernetesClient client = context.getClient();
    String namespace = app.getMetadata().getNamespace();
    List<ApplicationSnapshot.Conflict> conflicts = new ArrayList<>();
    for (String version : wantedVersions.apply(pools)) {
      if (!pools.containsKey(version)) {
        String name = Names.pool(app.getMetadata().getName(), version);
        foreign(client.apps().deployments().inNamespace(namespace).withName(name).get(), uid, "Deployment")
            .ifPresent(conflicts::add);
      }
    }
    for (String name : ServiceFactory.names(app)) {
      if (!services.containsKey(name)) {
        foreign(client.services().inNamespace(namespace).withName(name).get(), uid, "Service").ifPresent(conflicts::add);
      }
    }
    Map<String, List<Pod>> pods = context.getSecondaryResources(Pod.class).stream()
        .filter(p -> app.getMetadata().getNamespace().equals(p.getMetadata().getNamespace()))
        .filter(p -> p.getMetadata().getLabels() != null
            && app.getMetadata().getName().equals(p.getMetadata().getLabels().get(Labels.APPLICATION))
            && p.getMetadata().getLabels().containsKey(Labels.POOL_VERSION))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(Labels.POOL_VERSION)));
    return new ApplicationSnapshot(app, pools, services, budgets, canaries, pods,
        countConnections(app, pods, watches), measure(app, canaries.values(), pools, analysis, now), conflicts,
        observeTraffic(app, client));
  }

  /**
   * The HTTPRoute of a Gateway API Application, read from the API on every reconcile: it is the user's object,
   * without Baton's label, and an informer on it would stop the operator from starting on a cluster without the
   * Gateway API CRDs. A missing route (or missing CRD: 404 too) is observed as absent, for the planner to report.
   */
  private static ObservedTraffic observeTraffic(Application app, KubernetesClient client) {
    if (!TrafficRouters.usesGatewayApi(app)) {
      return ObservedTraffic.none();
    }
    String route = app.getSpec().strategyOrDefault().trafficRoutingOrDefault().gatewayAPI().httpRoute();
    try {
      return ObservedTraffic.of(client.resources(HTTPRoute.class).inNamespace(app.getMetadata().getNamespace())
          .withName(route).get());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return ObservedTraffic.none();
      }
      throw e;
    }
  }

  /**
   * Takes the measurement of every running Canary whose current step is an analysis due now: like the
   * connection counts, it is part of what is observed, so the plan that judges it stays pure.
   */
  private static Map<String, Measurement> measure(Application app, Collection<Canary> canaries,
      Map<String, Deployment> pools, AnalysisRunner analysis, Instant now) {
    Map<String, Measurement> measurements = new HashMap<>();
    for (Canary canary : canaries) {
      CanaryStatus status = canary.getStatus();
      List<CanaryStep> steps = canary.getSpec().steps();
      if (status == null || status.phase() != CanaryPhase.Progressing || steps == null || status.currentStep() == null
          || status.currentStep() >= steps.size() || steps.get(status.currentStep()).analysis() == null) {
        continue;
      }
      if (canary.getSpec().strategy() == CanarySpec.ReleaseStrategy.BlueGreen
          && !isWhole(pools.get(canary.getSpec().toVersion()), app.getSpec().replicasOrDefault())) {
        continue; // no blue-green step runs before the new pool is up whole: a measurement now would be thrown away
      }
      int step = status.currentStep();
      String name = steps.get(step).analysis().templateName();
      Optional<AnalysisTemplate> template = app.getSpec().analysisTemplate(name);
      if (template.isEmpty()) {
        continue;
      }
      AnalysisResult stored = status.analysisOf(step).orElse(null);
      Instant stepStarted = Instant.parse(status.stepStartedAt());
      boolean due = AnalysisResults.nextMeasurementAt(template.get(),
              stored == null ? AnalysisResults.started(step, template.get()) : stored, stepStarted)
          .map(at -> !now.isBefore(at)).orElse(false);
      if (due) {
        measurements.put(canary.getMetadata().getName(), analysis.measure(template.get(),
            new Variables(app.getMetadata().getName(), app.getMetadata().getNamespace(), canary.getSpec().toVersion())));
      }
    }
    return measurements;
  }

  private static boolean isWhole(Deployment pool, int replicas) {
    return pool != null && pool.getStatus() != null && pool.getStatus().getReadyReplicas() != null
        && pool.getStatus().getReadyReplicas() >= replicas;
  }

  /**
   * Counts the connections of every pod that was signalled and is still draining: the data plane is part
   * of what is observed, so the plan that decides whether a drain is over stays pure.
   */
  private static Map<String, WatchResult> countConnections(Application app, Map<String, List<Pod>> pods,
      ConnectionWatches watches) {
    Drain drain = app.getSpec() == null ? Drain.DEFAULT : app.getSpec().drainOrDefault();
    Optional<ConnectionWatch> watch = watches.pollingWatchFor(drain);
    if (watch.isEmpty()) {
      return Map.of();
    }
    Map<String, WatchResult> counts = new HashMap<>();
    pods.values().stream().flatMap(List::stream)
        .filter(SnapshotReader::isSignalledAndDraining)
        .forEach(pod -> counts.put(pod.getMetadata().getName(), watch.get().connectionsLeft(pod, drain)));
    return counts;
  }

  private static boolean isSignalledAndDraining(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(Labels.DRAIN_SIGNALLED_ANNOTATION)
        && !annotations.containsKey(Labels.DRAIN_FINISHED_ANNOTATION);
  }

  private static <T extends HasMetadata> List<T> owned(Set<T> objects, String uid) {
    return objects.stream().filter(o -> isOwnedBy(o, uid)).toList();
  }

  static boolean isOwnedBy(HasMetadata object, String uid) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  private static <T extends HasMetadata> Map<String, T> byVersion(List<T> objects) {
    return objects.stream()
        .filter(o -> o.getMetadata().getLabels() != null && o.getMetadata().getLabels().containsKey(Labels.POOL_VERSION))
        .collect(Collectors.toMap(o -> o.getMetadata().getLabels().get(Labels.POOL_VERSION), o -> o, (a, b) -> a, HashMap::new));
  }

  /** The object as a conflict if it exists and this Application does not own it. */
  private static Optional<ApplicationSnapshot.Conflict> foreign(HasMetadata object, String uid, String kind) {
    if (object == null || isOwnedBy(object, uid)) {
      return Optional.empty();
    }
    return Optional.of(new ApplicationSnapshot.Conflict(kind, object.getMetadata().getName(), describeOwner(object)));
  }

  private static String describeOwner(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return "no owner";
    }
    return refs.stream().map(r -> r.getKind() + " " + r.getName()).collect(Collectors.joining(", "));
  }
}
