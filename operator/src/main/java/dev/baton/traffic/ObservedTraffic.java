package dev.baton.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.Optional;

/**
 * What a traffic router looks at, read with the rest of the snapshot (from an informer cache: it may be stale,
 * which the write's resourceVersion guard catches).
 *
 * @param httpRoute the HTTPRoute named by spec.strategy.trafficRouting.gatewayAPI.httpRoute, if it exists
 */
public record ObservedTraffic(Optional<HTTPRoute> httpRoute) {

  public static ObservedTraffic none() {
    return new ObservedTraffic(Optional.empty());
  }

  public static ObservedTraffic of(HTTPRoute route) {
    return new ObservedTraffic(Optional.ofNullable(route));
  }
}
