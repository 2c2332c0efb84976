package dev.baton.traffic;

import dev.baton.api.Application;
import dev.baton.api.TrafficRouting;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The HTTPRoute Baton edits and the two backends it routes between, as the Application names them.
 *
 * @param namespace the Application's (and the route's) namespace
 * @param httpRoute spec.strategy.trafficRouting.gatewayAPI.httpRoute
 * @param stableService {@code <app>-stable}
 * @param canaryService {@code <app>-canary}
 * @param port the Service port the backendRefs use: gatewayAPI.port, else the first port of spec.service
 */
public record RouteBackends(String namespace, String httpRoute, String stableService, String canaryService, int port) {

  /** The backends of an Application that routes with the Gateway API; see {@link #problem} for a port it lacks. */
  public static RouteBackends of(Application app) {
    TrafficRouting.GatewayApi gateway = gatewayApi(app);
    String name = app.getMetadata().getName();
    List<ServicePort> ports = RouterServices.ports(app);
    int port = gateway.port() != null ? gateway.port() : ports.isEmpty() ? 0 : ports.get(0).getPort();
    return new RouteBackends(app.getMetadata().getNamespace(), gateway.httpRoute(), RouterServices.stableName(name),
        RouterServices.canaryName(name), port);
  }

  /**
   * What in the Application keeps Baton from routing with the Gateway API, worded for the user: a port the Services
   * do not expose, or no port at all.
   */
  public static Optional<String> problem(Application app) {
    TrafficRouting.GatewayApi gateway = gatewayApi(app);
    List<ServicePort> ports = RouterServices.ports(app);
    if (ports.isEmpty()) {
      return Optional.of("the Gateway API router needs a Service port for the backendRefs, and the Application has"
          + " none: add spec.service.ports (or a named containerPort to the first container)");
    }
    if (gateway.port() != null && ports.stream().noneMatch(p -> gateway.port().equals(p.getPort()))) {
      return Optional.of("spec.strategy.trafficRouting.gatewayAPI.port is " + gateway.port() + ", but the Services"
          + " expose " + ports.stream().map(p -> String.valueOf(p.getPort())).collect(Collectors.joining(", "))
          + ": choose one of those, or add the port to spec.service.ports");
    }
    return Optional.empty();
  }

  private static TrafficRouting.GatewayApi gatewayApi(Application app) {
    TrafficRouting routing = app.getSpec().strategyOrDefault().trafficRoutingOrDefault();
    if (!routing.usesGatewayApi()) {
      throw new IllegalArgumentException("Application " + app.getMetadata().getName()
          + " does not route with the Gateway API (spec.strategy.trafficRouting.gatewayAPI)");
    }
    return routing.gatewayAPI();
  }
}
