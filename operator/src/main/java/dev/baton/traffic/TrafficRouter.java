package dev.baton.traffic;

import dev.baton.api.Application;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/**
 * How a release's traffic split reaches the data plane. One implementation per router
 * (spec.strategy.trafficRouting); every method is pure, so the planner can call them on its snapshot. The write
 * an {@link RouteEdit.Patch} asks for is the executor's, with the router's I/O companion (for the Gateway API,
 * {@link GatewayApiRouter}).
 */
public interface TrafficRouter {

  /**
   * The Services this router needs besides the stable Service {@code <app>}, as Baton wants them (owned by the
   * Application, labelled managed-by=baton). Between releases, pass the stable version as {@code canaryVersion}.
   */
  List<Service> services(Application app, String stableVersion, String canaryVersion);

  /** What must be written so that {@code split} is in force: nothing, one patch, or a problem for the user. */
  RouteEdit edit(Application app, ObservedTraffic observed, TrafficSplit split);

  /** Whether the data plane reports {@code split} in force: written, and processed by whoever serves it. */
  Verification verify(Application app, ObservedTraffic observed, TrafficSplit split);
}
