package dev.baton.analysis;

import dev.baton.api.AnalysisTemplate;
import dev.baton.api.CanaryStatus.AnalysisResult;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Keeps an analysis step's progress in the Canary's status ({@link AnalysisResult}) and reads it back:
 * the status is the analysis' only memory, so a restarted operator resumes counting where it was.
 */
public final class AnalysisResults {

  /** Status fields are read by people and by {@code kubectl}: long values and messages are cut. */
  static final int MAX_TEXT = 512;

  private AnalysisResults() {}

  /** The result of a step that has not measured yet. */
  public static AnalysisResult started(int step, AnalysisTemplate template) {
    return toStatus(step, template, MeasurementTally.empty());
  }

  /**
   * The step's result after one more measurement.
   *
   * @param previous the step's result so far, or {@code null} for its first measurement
   */
  public static AnalysisResult record(AnalysisResult previous, int step, AnalysisTemplate template, Measurement measurement) {
    MeasurementTally before = previous == null ? MeasurementTally.empty() : tallyOf(previous);
    return toStatus(step, template, before.plus(measurement));
  }

  /**
   * The assessment of a stored result, as if from all its measurements. The phase is assessed again (the
   * template's limits may have changed); the stored message is kept when the phase is the same, since it
   * quotes the last measurement's own message, which the counts do not keep.
   */
  public static Assessment assess(AnalysisTemplate template, AnalysisResult result) {
    Assessment assessment = AnalysisAssessment.assess(template, tallyOf(result));
    if (result.message() != null && assessment.phase().text().equals(result.phase())) {
      return new Assessment(assessment.phase(), assessment.tally(), result.message());
    }
    return assessment;
  }

  /** When the step measures next, from its stored result; empty once it has ended. */
  public static Optional<Instant> nextMeasurementAt(AnalysisTemplate template, AnalysisResult result, Instant stepStartedAt) {
    return AnalysisAssessment.nextMeasurementAt(template, tallyOf(result), stepStartedAt);
  }

  /** The status entry for a step with these counts, its phase and message assessed from them. */
  public static AnalysisResult toStatus(int step, AnalysisTemplate template, MeasurementTally tally) {
    Assessment assessment = AnalysisAssessment.assess(template, tally);
    return new AnalysisResult(
        step,
        template.name(),
        assessment.phase().text(),
        tally.measured(),
        tally.failed(),
        tally.inconclusive(),
        tally.errors(),
        tally.consecutiveErrors(),
        cut(tally.lastValue()),
        // Kubernetes timestamps are RFC 3339 with seconds (metav1.Time); Instant.toString() writes that form.
        tally.lastMeasuredAt() == null ? null : tally.lastMeasuredAt().truncatedTo(ChronoUnit.SECONDS).toString(),
        cut(assessment.message()));
  }

  /**
   * The counts stored in a status entry; absent fields count as zero. The last measurement's own message
   * is not stored apart (the status message is the assessment's), so the tally has none.
   */
  public static MeasurementTally tallyOf(AnalysisResult result) {
    return new MeasurementTally(
        zeroIfNull(result.measurements()),
        zeroIfNull(result.failed()),
        zeroIfNull(result.inconclusive()),
        zeroIfNull(result.errors()),
        zeroIfNull(result.consecutiveErrors()),
        result.lastValue(),
        null,
        parseTime(result.lastMeasuredAt()));
  }

  private static Instant parseTime(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      // Someone edited the status by hand: measure again rather than never.
      return null;
    }
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }
}
