package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One step of a canary: exactly one of setWeight, pause or analysis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) + (has(self.analysis) ? 1 : 0) == 1",
    message = "a canary step sets exactly one of setWeight, pause or analysis")
public record CanaryStep(
    @JsonPropertyDescription("Percentage of traffic (0-100) the new version receives from this step on.")
    @Min(0)
    @Max(100)
    Integer setWeight,

    @JsonPropertyDescription("Wait for a duration, or until the Canary is promoted when no duration is given.")
    Pause pause,

    @JsonPropertyDescription("Run an analysis template; a failure rolls the release back.")
    AnalysisStep analysis) {

  public static CanaryStep setWeight(int weight) {
    return new CanaryStep(weight, null, null);
  }

  public static CanaryStep pause(String duration) {
    return new CanaryStep(null, new Pause(duration), null);
  }

  public static CanaryStep analysis(String templateName) {
    return new CanaryStep(null, null, new AnalysisStep(templateName));
  }

  /** A pause step: timed, or open until promoted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pause(
      @JsonPropertyDescription("How long to wait, e.g. 30s or 2m. Without it the release waits until promoted.")
      @Pattern(Durations.PATTERN)
      String duration) {}

  /** An analysis step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnalysisStep(
      @JsonPropertyDescription("The name of a template in spec.analysis.templates.")
      @Required
      String templateName) {}
}
