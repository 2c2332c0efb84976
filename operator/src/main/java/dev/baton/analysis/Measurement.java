package dev.baton.analysis;

import java.time.Instant;

/**
 * One measurement of an analysis template: the query's value and how the conditions judged it.
 *
 * @param outcome how the conditions judged the value, or {@link Outcome#ERROR} when there was no value
 *     to judge or the conditions could not be evaluated
 * @param value the value as text (e.g. {@code 0.25}, {@code [3, 4]}), or {@code null} when none was taken
 * @param message what was decided and why, or what went wrong
 * @param measuredAt when the measurement finished
 */
public record Measurement(Outcome outcome, String value, String message, Instant measuredAt) {

  /** The phases of a measurement in Argo Rollouts ({@code AnalysisPhase}), without the in-flight ones. */
  public enum Outcome {
    SUCCESSFUL,
    FAILED,
    INCONCLUSIVE,
    ERROR
  }
}
