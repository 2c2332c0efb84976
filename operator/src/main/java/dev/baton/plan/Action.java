package dev.baton.plan;

import dev.baton.api.Canary;
import dev.baton.api.CanaryStatus;
import dev.baton.resources.Labels;
import dev.baton.traffic.GatewayApiRoutes;
import dev.baton.traffic.RouteBackends;
import dev.baton.traffic.TrafficSplit;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Instant;
import java.util.Map;

/**
 * One change to the cluster, applied with one idempotent API call. The planner returns them; the
 * executor applies them and records an Event for each, worded by {@link #reason()} and {@link #describe()}.
 */
public sealed interface Action {

  /** The Event reason, CamelCase as Kubernetes writes them. */
  String reason();

  /** The Event message. */
  String describe();

  /** Create a version's Deployment. */
  record CreatePool(Deployment deployment) implements Action {
    public String reason() {
      return "PoolCreated";
    }

    public String describe() {
      return "Created Deployment " + deployment.getMetadata().getName() + " with "
          + deployment.getSpec().getReplicas() + " replicas";
    }
  }

  /** Set a pool's replica count. */
  record ScalePool(String deployment, int from, int to) implements Action {
    public String reason() {
      return "PoolScaled";
    }

    public String describe() {
      return "Scaled Deployment " + deployment + " from " + from + " to " + to + " replicas";
    }
  }

  /** Replace a pool's pod template (a change other than the version: the Deployment rolls its pods). */
  record UpdatePoolTemplate(Deployment desired) implements Action {
    public String reason() {
      return "PoolTemplateUpdated";
    }

    public String describe() {
      return "Updated the pod template of Deployment " + desired.getMetadata().getName();
    }
  }

  /** Create a Service. */
  record CreateService(Service service) implements Action {
    public String reason() {
      return "ServiceCreated";
    }

    public String describe() {
      return "Created Service " + service.getMetadata().getName();
    }
  }

  /** Bring a Service's type, ports and selector back to what the Application says. */
  record UpdateService(Service desired) implements Action {
    public String reason() {
      return "ServiceUpdated";
    }

    public String describe() {
      return "Updated Service " + desired.getMetadata().getName();
    }
  }

  /** Delete a Service Baton created and no longer needs (a router or preview Service after a strategy change). */
  record DeleteService(String name) implements Action {
    public String reason() {
      return "ServiceDeleted";
    }

    public String describe() {
      return "Deleted Service " + name + ": the Application's strategy no longer uses it";
    }
  }

  /**
   * Put a traffic split in force on the Application's HTTPRoute, with one JSON patch computed from the route as
   * read (the write re-reads and recomputes it if the route changed in between).
   */
  record SetTrafficSplit(RouteBackends backends, TrafficSplit split, HTTPRoute asRead) implements Action {
    public String reason() {
      return "TrafficShifted";
    }

    public String describe() {
      return "Set HTTPRoute " + backends.httpRoute() + " to " + GatewayApiRoutes.describe(backends, split);
    }
  }

  /** Create a pool's PodDisruptionBudget. */
  record CreateDisruptionBudget(PodDisruptionBudget budget) implements Action {
    public String reason() {
      return "DisruptionBudgetCreated";
    }

    public String describe() {
      return "Created PodDisruptionBudget " + budget.getMetadata().getName();
    }
  }

  /** Delete a pool's PodDisruptionBudget (the pool is too small to keep one pod through an eviction). */
  record DeleteDisruptionBudget(String name) implements Action {
    public String reason() {
      return "DisruptionBudgetDeleted";
    }

    public String describe() {
      return "Deleted PodDisruptionBudget " + name;
    }
  }

  /**
   * Take a pod of a pool retired whole out of the Services ahead of its drain: the serving label goes to "false",
   * the time is recorded ({@code baton.dev/drain-isolated-at}) and the pod gets the isolated deletion cost. Its
   * drain starts later, when a drain slot is free ({@link StartDrain}); meanwhile it keeps its connections and gets
   * no new ones, so the clients of the pods drained before it reconnect only to pods that stay.
   */
  record IsolatePod(Pod pod, String version, Instant at) implements Action {
    public String reason() {
      return "PodIsolated";
    }

    public String describe() {
      return "Took pod " + pod.getMetadata().getName() + " (" + version + ") out of the Services ahead of its drain:"
          + " its pool is retired and the pools that stay are ready";
    }
  }

  /**
   * Put an isolated pod (drain not started) back in the Services: serving "true", the isolation annotation
   * removed, the deletion cost back to what the pool's template says ({@code deletionCost}, null: none).
   */
  record RestorePod(Pod pod, String version, String deletionCost, String why) implements Action {
    public String reason() {
      return "PodRestored";
    }

    public String describe() {
      return "Put pod " + pod.getMetadata().getName() + " (" + version + ") back in the Services before its drain"
          + " started: " + why;
    }
  }

  /**
   * Start a pod's drain: the serving label goes to "false" (the Services select on it, the ReplicaSet does not;
   * an isolated pod is out already), the drain's start time is recorded and the pod gets the draining deletion
   * cost now, not just before the scale-down, since the ReplicaSet's cache may lag (kubernetes#126138).
   */
  record StartDrain(Pod pod, String version, Instant at) implements Action {
    public String reason() {
      return "DrainStarted";
    }

    public String describe() {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      String isolatedAt = annotations == null ? null : annotations.get(Labels.DRAIN_ISOLATED_ANNOTATION);
      return isolatedAt != null
          ? "Started to drain pod " + pod.getMetadata().getName() + " (" + version + "), out of the Services since "
              + isolatedAt
          : "Took pod " + pod.getMetadata().getName() + " (" + version + ") out of the Services to drain its connections";
    }
  }

  /** Send the drain signal to a pod (exec, HTTP or annotation) and record the outcome on the pod. */
  record SignalPod(Pod pod, String version, int previousFailures) implements Action {
    public String reason() {
      return "DrainSignal";
    }

    public String describe() {
      return "Signalled pod " + pod.getMetadata().getName() + " to close its connections";
    }
  }

  /** Record that a pod's drain is over (empty, timed out, or waited out): it may be removed. */
  record FinishDrain(Pod pod, String outcome, Instant at) implements Action {
    public String reason() {
      return "Drained" + outcome;
    }

    public String describe() {
      return "Pod " + pod.getMetadata().getName() + " drained (" + outcome + "); it goes with the next scale-down";
    }
  }

  /** Delete a pool that has no pods left. */
  record DeletePool(String deployment) implements Action {
    public String reason() {
      return "PoolDeleted";
    }

    public String describe() {
      return "Deleted Deployment " + deployment + ": it has no pods left";
    }
  }

  /** Create the Canary that records a release. */
  record CreateCanary(Canary canary) implements Action {
    public String reason() {
      return "ReleaseStarted";
    }

    public String describe() {
      return "Release of " + canary.getSpec().toVersion() + " started from " + canary.getSpec().fromVersion()
          + " (Canary " + canary.getMetadata().getName() + ")";
    }
  }

  /**
   * Write a Canary's status, with the resourceVersion it was read at: if another writer (or a stale
   * cache) got in between, the API refuses with 409 and the reconcile starts again from fresh state.
   */
  record UpdateCanaryStatus(Canary canary, CanaryStatus status) implements Action {
    public String reason() {
      return "Release" + status.phase().name();
    }

    public String describe() {
      return "Canary " + canary.getMetadata().getName() + ": " + status.message();
    }
  }

  /** Remove the handled action annotation from a Canary. */
  record ClearCanaryAction(Canary canary) implements Action {
    public String reason() {
      return "ReleaseActionTaken";
    }

    public String describe() {
      return "Canary " + canary.getMetadata().getName() + ": took the action '"
          + canary.getMetadata().getAnnotations().get(Canary.ACTION_ANNOTATION) + "'";
    }
  }

  /** Delete a finished Canary beyond spec.releaseHistoryLimit. */
  record DeleteCanary(String name) implements Action {
    public String reason() {
      return "ReleaseHistoryPruned";
    }

    public String describe() {
      return "Deleted Canary " + name + ": older than spec.releaseHistoryLimit releases";
    }
  }
}
