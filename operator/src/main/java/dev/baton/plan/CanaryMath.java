package dev.baton.plan;

import dev.baton.api.CanaryStrategy.StableScaling;
import dev.baton.api.CanaryStep;
import java.util.List;

/**
 * Pool sizes for a replica-ratio canary. The weight is the new pool's share of serving pods, so it is
 * as exact as whole pods allow: with 3 replicas a 10% step gives the canary 1 pod.
 *
 * <p>The canary gets {@code ceil(weight x replicas / 100)} pods, so any weight above 0 gets at least one
 * pod. The stable pool keeps all its pods ({@link StableScaling#KeepFull}: an abort is instant, at the
 * cost of extra pods; the effective share is canary / (stable + canary)) or shrinks as the canary grows
 * ({@link StableScaling#Shrink}: the total stays at {@code replicas}).
 */
public final class CanaryMath {

  private CanaryMath() {}

  public static int canaryReplicas(int weight, int replicas) {
    if (weight <= 0) {
      return 0;
    }
    return Math.min(replicas, (int) Math.ceil(weight * replicas / 100.0));
  }

  public static int stableReplicas(int weight, int replicas, StableScaling scaling) {
    if (scaling == StableScaling.KeepFull && weight < 100) {
      return replicas;
    }
    return Math.max(0, replicas - canaryReplicas(weight, replicas));
  }

  /** The weight in force at a step: the last setWeight at or before it, 0 before the first. */
  public static int weightAt(List<CanaryStep> steps, int stepIndex) {
    int weight = 0;
    for (int i = 0; i <= Math.min(stepIndex, steps.size() - 1); i++) {
      if (steps.get(i).setWeight() != null) {
        weight = steps.get(i).setWeight();
      }
    }
    return weight;
  }
}
