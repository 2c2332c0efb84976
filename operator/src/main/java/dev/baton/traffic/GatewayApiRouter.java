package dev.baton.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gateway API router's writes: one JSON patch per split (computed by {@link GatewayApiRoutes}), with
 * optimistic locking, retried a bounded number of times when someone else wrote the route in between.
 *
 * <p>The patch tests {@code /metadata/resourceVersion}. A route that changed since it was read fails that test
 * (the API answers 422 Unprocessable Entity for a failed JSON patch test; a stale resourceVersion written into the
 * object would be 409 Conflict): Baton then reads the route again, recomputes the patch from what it now says
 * and tries again, so a concurrent edit (a user's kubectl edit, a GitOps sync, a gateway controller's status
 * write) is never overwritten and no weight lands at a position that moved. This is client-go's RetryOnConflict
 * (the argo-rollouts Gateway API plugin and openkruise wrap their Update in it) without resending the object.
 */
public final class GatewayApiRouter {

  /** Attempts before giving up on a route that keeps changing; the reconcile that follows starts over. */
  public static final int MAX_ATTEMPTS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(GatewayApiRouter.class);

  private final KubernetesClient client;

  public GatewayApiRouter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * What a write did.
   *
   * @param patch the patch the API took, empty when the route already carried the split
   * @param attempts how many patches were tried (0 when none was needed)
   */
  public record Result(Optional<JsonPatch> patch, int attempts) {
    public boolean changed() {
      return patch.isPresent();
    }
  }

  /** Puts {@code split} in force on the route, read fresh from the API. */
  public Result apply(RouteBackends backends, TrafficSplit split) {
    return write(backends, split, read(backends), true);
  }

  /**
   * Puts {@code split} in force starting from the route as the planner saw it (from an informer cache, possibly
   * stale): that saves a read when the cache is current, and the resourceVersion test catches it when it is not.
   * An outcome other than a patch (nothing to do, a problem) is confirmed on a fresh read before it is believed.
   */
  public Result apply(RouteBackends backends, TrafficSplit split, HTTPRoute asRead) {
    return write(backends, split, Optional.of(asRead), false);
  }

  private Result write(RouteBackends backends, TrafficSplit split, Optional<HTTPRoute> route, boolean fresh) {
    KubernetesClientException lastConflict = null;
    int attempts = 0;
    while (attempts < MAX_ATTEMPTS) {
      RouteEdit edit = GatewayApiRoutes.edit(route, backends, split);
      if (!(edit instanceof RouteEdit.Patch) && !fresh) {
        route = read(backends);
        fresh = true;
        continue;
      }
      if (edit instanceof RouteEdit.Problem problem) {
        throw new TrafficRoutingException(problem.message());
      }
      if (!(edit instanceof RouteEdit.Patch patch)) {
        return new Result(Optional.empty(), attempts);
      }
      attempts++;
      try {
        resource(backends).patch(PatchContext.of(PatchType.JSON), patch.patch().toJson());
        return new Result(Optional.of(patch.patch()), attempts);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
          throw e;
        }
        Optional<HTTPRoute> latest = read(backends);
        if (e.getCode() == 422 && Objects.equals(resourceVersion(latest), resourceVersion(route))) {
          // Refused for another reason than a change in between: the route as patched is invalid.
          throw new TrafficRoutingException("the API refused Baton's change to HTTPRoute " + backends.httpRoute()
              + " (" + GatewayApiRoutes.describe(backends, split) + "): " + e.getMessage());
        }
        LOG.debug("HTTPRoute {}/{} changed while Baton wrote it (attempt {}): {}", backends.namespace(),
            backends.httpRoute(), attempts, e.getMessage());
        lastConflict = e;
        route = latest;
        fresh = true;
      }
    }
    throw new KubernetesClientException("HTTPRoute " + backends.httpRoute() + " changed " + MAX_ATTEMPTS
        + " times while Baton wrote " + GatewayApiRoutes.describe(backends, split) + "; the next reconcile tries again",
        409, lastConflict == null ? null : lastConflict.getStatus());
  }

  private Optional<HTTPRoute> read(RouteBackends backends) {
    return Optional.ofNullable(resource(backends).get());
  }

  private Resource<HTTPRoute> resource(RouteBackends backends) {
    return client.resources(HTTPRoute.class).inNamespace(backends.namespace()).withName(backends.httpRoute());
  }

  private static String resourceVersion(Optional<HTTPRoute> route) {
    return route.map(r -> r.getMetadata().getResourceVersion()).orElse(null);
  }
}
