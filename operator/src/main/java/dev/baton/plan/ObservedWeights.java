package dev.baton.plan;

import dev.baton.observe.ApplicationSnapshot;
import dev.baton.resources.Labels;
import dev.baton.resources.Names;
import dev.baton.traffic.GatewayApiRoutes;
import dev.baton.traffic.RouteBackends;
import dev.baton.traffic.TrafficRouters;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A version's share of traffic as the cluster shows it now, for status.weight: what the Services and the route
 * say, never what the planner is about to write.
 */
final class ObservedWeights {

  private ObservedWeights() {}

  static int of(ApplicationSnapshot snapshot, String version) {
    OptionalInt routed = routedShare(snapshot, version);
    return routed.isPresent() ? routed.getAsInt() : podShare(snapshot, version);
  }

  /**
   * The version's share as a selector or a route gives it: blue-green's Service {@code <app>} selecting one version,
   * or the HTTPRoute's weights on {@code <app>-stable} and {@code <app>-canary}. Empty when traffic goes by pod share
   * (the replica-ratio router, or a route Baton cannot read).
   */
  static OptionalInt routedShare(ApplicationSnapshot snapshot, String version) {
    Optional<String> active = selectedVersion(snapshot, snapshot.application().getMetadata().getName());
    if (active.isPresent()) {
      return OptionalInt.of(version.equals(active.get()) ? 100 : 0); // blue-green: the Service selects one version
    }
    if (TrafficRouters.usesGatewayApi(snapshot.application())) {
      return routeShare(snapshot, version);
    }
    return OptionalInt.empty();
  }

  /**
   * Whether something other than the serving label may still send {@code version} new connections, as observed:
   * blue-green's Service selecting that version, or the Gateway API route giving it a share (or a route that cannot
   * be read: then nobody can tell, so it may). Otherwise the Services select serving pods, and taking a pod out of
   * them is all it takes. A retired pool is isolated only once nothing routes to it this way: were its pods all out
   * of the Services while the route or the Service still pointed at them, new connections would find no endpoint
   * until the route or the Service caught up.
   */
  static boolean routedBeyondServingLabel(ApplicationSnapshot snapshot, String version) {
    Optional<String> active = selectedVersion(snapshot, snapshot.application().getMetadata().getName());
    if (active.isPresent()) {
      return version.equals(active.get());
    }
    if (TrafficRouters.usesGatewayApi(snapshot.application())) {
      OptionalInt share = routeShare(snapshot, version);
      return share.isEmpty() || share.getAsInt() > 0;
    }
    return false;
  }

  /** The version's share of the HTTPRoute, through the router Services as they select now; empty if unknown. */
  private static OptionalInt routeShare(ApplicationSnapshot snapshot, String version) {
    if (RouteBackends.problem(snapshot.application()).isPresent()) {
      return OptionalInt.empty();
    }
    String app = snapshot.application().getMetadata().getName();
    OptionalInt canaryShare = GatewayApiRoutes.canaryShare(snapshot.traffic().httpRoute(),
        RouteBackends.of(snapshot.application()));
    Optional<String> stable = selectedVersion(snapshot, Names.stableService(app));
    Optional<String> canary = selectedVersion(snapshot, Names.canaryService(app));
    if (canaryShare.isEmpty() || stable.isEmpty() || canary.isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of((version.equals(canary.get()) ? canaryShare.getAsInt() : 0)
        + (version.equals(stable.get()) ? 100 - canaryShare.getAsInt() : 0));
  }

  /**
   * The version's share of the application's ready serving pods: the traffic it gets through the stable
   * Service. Pods out of the Services (isolated or draining) do not count; without observed pods, the
   * Deployments' ready counts stand in.
   */
  private static int podShare(ApplicationSnapshot snapshot, String version) {
    boolean podsSeen = snapshot.pods().values().stream().anyMatch(list -> !list.isEmpty());
    int total = 0;
    int mine = 0;
    for (String pool : snapshot.pools().keySet()) {
      int serving = podsSeen ? servingReady(snapshot.pods().getOrDefault(pool, List.of()))
          : PoolState.ready(snapshot.pools().get(pool));
      total += serving;
      mine += pool.equals(version) ? serving : 0;
    }
    return total == 0 ? 0 : Math.round(100f * mine / total);
  }

  private static int servingReady(List<Pod> pods) {
    return (int) pods.stream().map(PodDrainState::of)
        .filter(p -> p.stage() == PodDrainState.Stage.SERVING && p.ready())
        .count();
  }

  /**
   * The one version an owned Service selects, as observed: blue-green's {@code <app>}, the router Services, the
   * preview. Empty when the Service does not exist or selects every version ({@code <app>} of a canary release).
   */
  static Optional<String> selectedVersion(ApplicationSnapshot snapshot, String service) {
    return Optional.ofNullable(snapshot.services().get(service)).map(s -> s.getSpec().getSelector())
        .map(selector -> selector.get(Labels.POOL_VERSION));
  }
}
