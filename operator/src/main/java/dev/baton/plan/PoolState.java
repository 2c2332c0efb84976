package dev.baton.plan;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Optional;

/** What a pool's Deployment says about its pods, read the way {@code kubectl rollout status} reads it. */
final class PoolState {

  private PoolState() {}

  static int desired(Deployment deployment) {
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  /** Pods the pool has now, ready or not (terminating pods are not counted by the ReplicaSet). */
  static int current(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus();
    return status == null || status.getReplicas() == null ? 0 : status.getReplicas();
  }

  static int ready(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus();
    return status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
  }

  /**
   * Whether the Deployment controller has seen the latest spec and every desired pod of the current
   * template is up and available, with no pod of an older template left (as {@code kubectl rollout status}).
   */
  static boolean isRolledOut(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus();
    int desired = desired(deployment);
    if (status == null) {
      return false;
    }
    long generation = deployment.getMetadata().getGeneration() == null ? 0 : deployment.getMetadata().getGeneration();
    long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
    return observed >= generation
        && orZero(status.getUpdatedReplicas()) >= desired
        && orZero(status.getReplicas()) == desired
        && orZero(status.getAvailableReplicas()) >= desired
        && orZero(status.getReadyReplicas()) >= desired;
  }

  /**
   * The Deployment controller's verdict that the pool stopped making progress: condition Progressing
   * False with reason ProgressDeadlineExceeded, after {@code progressDeadlineSeconds}
   * (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment).
   */
  static Optional<String> stalled(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus();
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus())
            && "ProgressDeadlineExceeded".equals(c.getReason()))
        .map(DeploymentCondition::getMessage)
        .findFirst();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
