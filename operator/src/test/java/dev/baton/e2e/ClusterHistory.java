package dev.baton.e2e;

import dev.baton.api.Canary;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every version of the objects a release writes in one namespace (Deployments, Pods, Services, EndpointSlices,
 * Canaries and, when asked, HTTPRoutes), as the API's watches deliver them, put in the order the API server wrote them: the embedded
 * API issues resourceVersions from one counter across all kinds (as etcd's revision is), so "the route carried 33%
 * when the new pool had one ready pod" is a comparison of two numbers, never of two clocks or of two informers'
 * delivery times.
 */
final class ClusterHistory implements AutoCloseable {

  /** One version of one object; {@code deleted} for the last state of a deleted object. */
  record Version(long resourceVersion, String kind, String name, HasMetadata object, boolean deleted) {}

  /** One state of the route's rule that routes to {@code <app>-stable}: Baton's two refs, null when absent. */
  record RouteState(long resourceVersion, Integer stableWeight, boolean canaryRef, Integer canaryWeight) {
    /** The canary's share as a percentage; 0 without a canary ref (between releases). */
    int canaryShare() {
      if (!canaryRef) {
        return 0;
      }
      int stable = stableWeight == null ? 1 : stableWeight;
      int canary = canaryWeight == null ? 1 : canaryWeight;
      return stable + canary == 0 ? 0 : Math.round(100f * canary / (stable + canary));
    }

    /** "stable only", or "stable 67 / canary 33": for messages. */
    @Override
    public String toString() {
      return canaryRef ? "@" + resourceVersion + " stable " + stableWeight + " / canary " + canaryWeight
          : "@" + resourceVersion + " stable only (weight " + stableWeight + ")";
    }
  }

  /** A pod's drain start: when its {@code baton.dev/serving} label turned false, in resourceVersion and in Baton's clock. */
  record DrainStart(long resourceVersion, String pod, String version, Instant at) {}

  private final String namespace;
  private final List<Version> versions = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  private ClusterHistory(String namespace) {
    this.namespace = namespace;
  }

  /** Starts recording; returns once every informer has listed what exists. */
  static ClusterHistory record(KubernetesClient client, String namespace, boolean withRoutes) {
    ClusterHistory history = new ClusterHistory(namespace);
    history.inform(client, Deployment.class);
    history.inform(client, Pod.class);
    history.inform(client, Service.class);
    history.inform(client, Canary.class);
    history.inform(client, EndpointSlice.class);
    if (withRoutes) {
      history.inform(client, HTTPRoute.class);
    }
    return history;
  }

  private <T extends HasMetadata> void inform(KubernetesClient client, Class<T> type) {
    String kind = type.getSimpleName();
    informers.add(client.resources(type).inNamespace(namespace).inform(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T object) {
        add(kind, object, false);
      }

      @Override
      public void onUpdate(T before, T after) {
        add(kind, after, false);
      }

      @Override
      public void onDelete(T object, boolean deletedFinalStateUnknown) {
        add(kind, object, true);
      }
    }));
  }

  private void add(String kind, HasMetadata object, boolean deleted) {
    String rv = object.getMetadata().getResourceVersion();
    versions.add(new Version(rv == null ? 0 : Long.parseLong(rv), kind, object.getMetadata().getName(), object, deleted));
  }

  /** Every version recorded so far, in the order the API wrote them. */
  List<Version> all() {
    return versions.stream().sorted(Comparator.comparingLong(Version::resourceVersion)).distinct().toList();
  }

  /** The versions of one object, in order. */
  List<Version> of(String kind, String name) {
    return all().stream().filter(v -> v.kind().equals(kind) && v.name().equals(name)).toList();
  }

  /** The object as it was just before {@code resourceVersion} was written (empty: it did not exist then). */
  <T extends HasMetadata> Optional<T> before(Class<T> type, String name, long resourceVersion) {
    Version last = null;
    for (Version v : of(type.getSimpleName(), name)) {
      if (v.resourceVersion() >= resourceVersion) {
        break;
      }
      last = v;
    }
    return last == null || last.deleted() ? Optional.empty() : Optional.of(type.cast(last.object()));
  }

  /** The first version of an object that matches, if any. */
  OptionalLong first(String kind, String name, Predicate<HasMetadata> matches) {
    return of(kind, name).stream().filter(v -> !v.deleted() && matches.test(v.object()))
        .mapToLong(Version::resourceVersion).findFirst();
  }

  /** Ready pods of a Deployment just before {@code resourceVersion}, as its status said (0 when it did not exist). */
  int readyBefore(String deployment, long resourceVersion) {
    return before(Deployment.class, deployment, resourceVersion).map(Releases::ready).orElse(0);
  }

  /** The versions a Service selected ({@code baton.dev/version}), each change once, in order; "*" for all versions. */
  List<String> selectedVersions(String service) {
    List<String> selected = new ArrayList<>();
    for (Version v : of("Service", service)) {
      if (v.deleted()) {
        continue;
      }
      String version = selectedVersion((Service) v.object());
      if (selected.isEmpty() || !selected.get(selected.size() - 1).equals(version)) {
        selected.add(version);
      }
    }
    return selected;
  }

  /** The first time the Service selected {@code version}. */
  OptionalLong firstSelecting(String service, String version) {
    return first("Service", service, s -> version.equals(selectedVersion((Service) s)));
  }

  static String selectedVersion(Service service) {
    Map<String, String> selector = service.getSpec().getSelector();
    return selector == null ? "none" : selector.getOrDefault(Labels.POOL_VERSION, "*");
  }

  /** The drain start of every pod of {@code version} that started to drain, in order. */
  List<DrainStart> drainStarts(String version) {
    Map<String, DrainStart> starts = new LinkedHashMap<>();
    for (Version v : all()) {
      if (!v.kind().equals("Pod") || v.deleted() || starts.containsKey(v.name())) {
        continue;
      }
      Map<String, String> labels = v.object().getMetadata().getLabels();
      Map<String, String> annotations = v.object().getMetadata().getAnnotations();
      if (labels != null && version.equals(labels.get(Labels.POOL_VERSION)) && "false".equals(labels.get(Labels.SERVING))) {
        String at = annotations == null ? null : annotations.get(Labels.DRAIN_STARTED_ANNOTATION);
        starts.put(v.name(), new DrainStart(v.resourceVersion(), v.name(), version, at == null ? null : Instant.parse(at)));
      }
    }
    return List.copyOf(starts.values());
  }

  /**
   * The number of ready endpoints of a Service after each change of its EndpointSlices, in order: what kube-proxy
   * would have routed to at each moment.
   */
  List<Integer> readyEndpointCounts(String service) {
    return readyEndpoints(service).stream().map(EndpointCount::ready).toList();
  }

  /** A Service's ready endpoints as of one EndpointSlice change. */
  record EndpointCount(long resourceVersion, int ready) {}

  /** The ready endpoints of a Service just before {@code resourceVersion} was written (0 before any slice). */
  int readyEndpointsBefore(String service, long resourceVersion) {
    return readyEndpoints(service).stream().filter(c -> c.resourceVersion() < resourceVersion)
        .reduce((a, b) -> b).map(EndpointCount::ready).orElse(0);
  }

  private List<EndpointCount> readyEndpoints(String service) {
    Map<String, Integer> bySlice = new LinkedHashMap<>();
    List<EndpointCount> counts = new ArrayList<>();
    for (Version v : all()) {
      if (!v.kind().equals("EndpointSlice") || v.object().getMetadata().getLabels() == null
          || !service.equals(v.object().getMetadata().getLabels().get("kubernetes.io/service-name"))) {
        continue;
      }
      EndpointSlice slice = (EndpointSlice) v.object();
      bySlice.put(v.name(), v.deleted() || slice.getEndpoints() == null ? 0 : (int) slice.getEndpoints().stream()
          .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady())).count());
      counts.add(new EndpointCount(v.resourceVersion(), bySlice.values().stream().mapToInt(Integer::intValue).sum()));
    }
    return counts;
  }

  /** The distinct sizes (spec.replicas) a Deployment was asked for, in order. */
  List<Integer> desiredOf(String deployment) {
    List<Integer> sizes = new ArrayList<>();
    for (Version v : of("Deployment", deployment)) {
      int size = Releases.desired((Deployment) v.object());
      if (!v.deleted() && (sizes.isEmpty() || sizes.get(sizes.size() - 1) != size)) {
        sizes.add(size);
      }
    }
    return sizes;
  }

  /** Each distinct state of the route's Baton-routed rule, in order. */
  List<RouteState> routeStates(String route, String stableService, String canaryService) {
    List<RouteState> states = new ArrayList<>();
    for (Version v : of("HTTPRoute", route)) {
      if (v.deleted()) {
        continue;
      }
      routeState((HTTPRoute) v.object(), v.resourceVersion(), stableService, canaryService).ifPresent(state -> {
        RouteState last = states.isEmpty() ? null : states.get(states.size() - 1);
        if (last == null || !Objects.equals(last.stableWeight(), state.stableWeight()) || last.canaryRef() != state.canaryRef()
            || !Objects.equals(last.canaryWeight(), state.canaryWeight())) {
          states.add(state);
        }
      });
    }
    return states;
  }

  static Optional<RouteState> routeState(HTTPRoute route, long resourceVersion, String stableService,
      String canaryService) {
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      List<HTTPBackendRef> refs = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
      Optional<HTTPBackendRef> stable = refs.stream().filter(r -> stableService.equals(r.getName())).findFirst();
      if (stable.isEmpty()) {
        continue;
      }
      Optional<HTTPBackendRef> canary = refs.stream().filter(r -> canaryService.equals(r.getName())).findFirst();
      return Optional.of(new RouteState(resourceVersion, stable.get().getWeight(), canary.isPresent(),
          canary.map(HTTPBackendRef::getWeight).orElse(null)));
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
