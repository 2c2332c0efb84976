package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The progress of one release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,

    @JsonPropertyDescription("Progressing, Paused, Promoting, Draining, Succeeded, Aborted, RolledBack or Failed.")
    @PrinterColumn(name = "Phase")
    CanaryPhase phase,

    @JsonPropertyDescription("Index of the step being run (0-based); equal to the number of steps once all ran.")
    @PrinterColumn(name = "Step")
    Integer currentStep,

    @JsonPropertyDescription("The weight the current step asks for (100 once promoting). The traffic the new version"
        + " receives now is the Application's status.weight: its share of ready serving pods.")
    @PrinterColumn(name = "Weight")
    Integer currentWeight,

    @JsonPropertyDescription("When the current step started (RFC 3339).")
    String stepStartedAt,

    @JsonPropertyDescription("When the release started (RFC 3339).")
    String startedAt,

    @JsonPropertyDescription("When the release ended (RFC 3339).")
    String finishedAt,

    @JsonPropertyDescription("Results of the analysis runs, newest last.")
    List<AnalysisResult> analysis,

    @JsonPropertyDescription("The last action taken from the baton.dev/action annotation, with its time.")
    String lastAction,

    @JsonPropertyDescription("Progressing, Ready and Degraded, kstatus-compatible.")
    List<Condition> conditions,

    @JsonPropertyDescription("What is happening, in words.")
    String message) {

  /** The stored result of the analysis at a step, the newest if there are several. */
  public java.util.Optional<AnalysisResult> analysisOf(int step) {
    return analysisOf(analysis, step);
  }

  /** The newest result for a step in a list of results. */
  public static java.util.Optional<AnalysisResult> analysisOf(List<AnalysisResult> results, int step) {
    return results == null ? java.util.Optional.empty()
        : results.stream().filter(r -> r.step() != null && r.step() == step).reduce((a, b) -> b);
  }

  /** The outcome of one analysis step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnalysisResult(
      @JsonPropertyDescription("The step index.")
      Integer step,

      @JsonPropertyDescription("The template run.")
      String template,

      @JsonPropertyDescription("Running, Successful, Failed, Inconclusive or Error.")
      String phase,

      @JsonPropertyDescription("Measurements judged (successful, failed or inconclusive); the template's count counts these.")
      Integer measurements,

      @JsonPropertyDescription("Measurements that failed.")
      Integer failed,

      @JsonPropertyDescription("Measurements that were inconclusive.")
      Integer inconclusive,

      @JsonPropertyDescription("Measurements that could not be taken or judged (query or condition errors).")
      Integer errors,

      @JsonPropertyDescription("Errors since the last judged measurement; more than 4 end the analysis with Error.")
      Integer consecutiveErrors,

      @JsonPropertyDescription("The last value measured, as text.")
      String lastValue,

      @JsonPropertyDescription("When the last measurement finished (RFC 3339); the next is one interval later.")
      String lastMeasuredAt,

      @JsonPropertyDescription("Why the analysis is in its phase, with the last measurement's message.")
      String message) {}
}
