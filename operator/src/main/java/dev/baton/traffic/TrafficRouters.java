package dev.baton.traffic;

import dev.baton.api.Application;

/** The router an Application's spec.strategy.trafficRouting chooses. */
public final class TrafficRouters {

  private static final TrafficRouter REPLICA_RATIO = new ReplicaRatioRouter();
  private static final TrafficRouter GATEWAY_API = new GatewayApiRoutes();

  private TrafficRouters() {}

  public static TrafficRouter of(Application app) {
    return usesGatewayApi(app) ? GATEWAY_API : REPLICA_RATIO;
  }

  public static boolean usesGatewayApi(Application app) {
    return app.getSpec().strategyOrDefault().trafficRoutingOrDefault().usesGatewayApi();
  }
}
