package dev.baton.plan;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

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
}
