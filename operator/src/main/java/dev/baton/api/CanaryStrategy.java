package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A canary release: the steps traffic moves through, in the order declared. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryStrategy(
    @JsonPropertyDescription("The steps, run in order: setWeight, pause and analysis. After the last step the new version"
        + " is promoted to 100%.")
    @Size(max = 50)
    List<CanaryStep> steps,

    @JsonPropertyDescription("What happens to the stable pool while the canary grows (replicaRatio router). KeepFull (default):"
        + " the stable pool keeps all its pods until promotion, so a rollback is instant; the canary pool is added on top."
        + " Shrink: the stable pool shrinks as the canary grows, keeping the total at spec.replicas; every stable pod"
        + " removed on the way is drained first.")
    @Default("KeepFull")
    StableScaling stableScaling) {

  public List<CanaryStep> stepsOrEmpty() {
    return steps == null ? List.of() : steps;
  }

  public StableScaling stableScalingOrDefault() {
    return stableScaling == null ? StableScaling.KeepFull : stableScaling;
  }

  /** Pool sizing of the stable version during a replica-ratio canary. */
  public enum StableScaling {
    KeepFull,
    Shrink
  }
}
