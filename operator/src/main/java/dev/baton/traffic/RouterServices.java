package dev.baton.traffic;

import dev.baton.api.Application;
import dev.baton.resources.Names;
import dev.baton.resources.ServiceFactory;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;

/**
 * The Services the Gateway API router points the HTTPRoute at, as Baton wants them: {@code <app>-stable} selects
 * the serving pods of the stable version, {@code <app>-canary} those of the canary version.
 *
 * <p>Both always exist while the Application routes with the Gateway API. Between releases {@code <app>-canary}
 * selects the stable version too, so a backendRef to it that outlives a release (a route restored from Git in
 * the middle of one) still reaches live pods: a backendRef to a missing Service makes the gateway answer 500
 * for its share of requests (Gateway API, HTTPBackendRef: "ResolvedRefs ... BackendNotFound").
 *
 * <p>Both select the serving label, so a pod whose drain started leaves the route's backends as it leaves the
 * stable Service {@code <app>}. Their type is always ClusterIP: a gateway reaches them inside the cluster, and
 * spec.service.type is for the Service clients use.
 */
public final class RouterServices {

  private RouterServices() {}

  public static String stableName(String application) {
    return Names.stableService(application);
  }

  public static String canaryName(String application) {
    return Names.canaryService(application);
  }

  /** {@code <app>-stable}, selecting the serving pods of {@code stableVersion}. */
  public static Service stable(Application app, String stableVersion) {
    return ServiceFactory.forVersion(app, stableName(app.getMetadata().getName()), stableVersion);
  }

  /** {@code <app>-canary}, selecting the serving pods of {@code canaryVersion} (the stable version between releases). */
  public static Service canary(Application app, String canaryVersion) {
    return ServiceFactory.forVersion(app, canaryName(app.getMetadata().getName()), canaryVersion);
  }

  /** Both Services; between releases pass the stable version as {@code canaryVersion}. */
  public static List<Service> both(Application app, String stableVersion, String canaryVersion) {
    return List.of(stable(app, stableVersion), canary(app, canaryVersion));
  }

  /** The ports of both Services: those of the stable Service {@code <app>}, so a backendRef port means the same on all. */
  public static List<ServicePort> ports(Application app) {
    return ServiceFactory.ports(app);
  }
}
