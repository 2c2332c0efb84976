package dev.baton.plan;

import dev.baton.observe.ApplicationSnapshot;
import dev.baton.resources.Labels;
import dev.baton.resources.Names;
import dev.baton.traffic.GatewayApiRoutes;
import dev.baton.traffic.RouteBackends;
import dev.baton.traffic.TrafficRouters;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
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
    String app = snapshot.application().getMetadata().getName();
    Optional<String> active = selectedVersion(snapshot.stableService());
    if (active.isPresent()) {
      return version.equals(active.get()) ? 100 : 0; // blue-green: the Service selects one version
    }
    if (TrafficRouters.usesGatewayApi(snapshot.application()) && RouteBackends.problem(snapshot.application()).isEmpty()) {
      OptionalInt canaryShare = GatewayApiRoutes.canaryShare(snapshot.traffic().httpRoute(),
          RouteBackends.of(snapshot.application()));
      Optional<String> stable = selectedVersion(Optional.ofNullable(snapshot.services().get(Names.stableService(app))));
      Optional<String> canary = selectedVersion(Optional.ofNullable(snapshot.services().get(Names.canaryService(app))));
      if (canaryShare.isPresent() && stable.isPresent() && canary.isPresent()) {
        return (version.equals(canary.get()) ? canaryShare.getAsInt() : 0)
            + (version.equals(stable.get()) ? 100 - canaryShare.getAsInt() : 0);
      }
    }
    return podShare(snapshot, version);
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

  private static Optional<String> selectedVersion(Optional<Service> service) {
    return service.map(s -> s.getSpec().getSelector()).map(selector -> selector.get(Labels.POOL_VERSION));
  }
}
