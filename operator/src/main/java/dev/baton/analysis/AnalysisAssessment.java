package dev.baton.analysis;

import dev.baton.api.AnalysisTemplate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides an analysis step's phase from its measurements, and when to measure next. Pure functions of
 * the template and the measurements (or their {@link MeasurementTally}, as kept in the Canary's status),
 * so the planner can call them on every reconcile and after a restart.
 *
 * <p>The order of the checks is Argo Rollouts' {@code assessMetricStatus} ({@code analysis/analysis.go}):
 * <ol>
 *   <li>failed &gt; {@code failureLimit} → Failed (at once, without waiting for {@code count});
 *   <li>inconclusive &gt; {@code inconclusiveLimit} → Inconclusive;
 *   <li>consecutive errors &gt; {@value #CONSECUTIVE_ERROR_LIMIT} → Error (Argo's
 *       {@code DefaultConsecutiveErrorLimit}; a judged measurement resets the run of errors);
 *   <li>{@code count} measurements judged → Successful, even with failures within the limit;
 *   <li>otherwise Running.
 * </ol>
 */
public final class AnalysisAssessment {

  /** Argo Rollouts' {@code DefaultConsecutiveErrorLimit}: the fifth error in a row ends the analysis. */
  public static final int CONSECUTIVE_ERROR_LIMIT = 4;

  private AnalysisAssessment() {}

  /** The phase after these measurements, oldest first. */
  public static Assessment assess(AnalysisTemplate template, List<Measurement> measurements) {
    return assess(template, MeasurementTally.of(measurements));
  }

  /** The phase after the measurements this tally counts. */
  public static Assessment assess(AnalysisTemplate template, MeasurementTally tally) {
    int failureLimit = orDefault(template.failureLimit(), 0);
    int inconclusiveLimit = orDefault(template.inconclusiveLimit(), 0);
    int count = count(template);
    if (tally.failed() > failureLimit) {
      return new Assessment(AnalysisPhase.FAILED, tally, tally.failed() + " of " + tally.measured()
          + " measurements failed, more than failureLimit " + failureLimit + last(tally));
    }
    if (tally.inconclusive() > inconclusiveLimit) {
      return new Assessment(AnalysisPhase.INCONCLUSIVE, tally, tally.inconclusive() + " of " + tally.measured()
          + " measurements were inconclusive, more than inconclusiveLimit " + inconclusiveLimit + last(tally));
    }
    if (tally.consecutiveErrors() > CONSECUTIVE_ERROR_LIMIT) {
      return new Assessment(AnalysisPhase.ERROR, tally, tally.consecutiveErrors()
          + " measurements in a row could not be taken or judged, more than the " + CONSECUTIVE_ERROR_LIMIT
          + " tolerated" + last(tally));
    }
    if (tally.measured() >= count) {
      return new Assessment(AnalysisPhase.SUCCESSFUL, tally, tally.measured() + " measurements: " + tally.failed()
          + " failed (failureLimit " + failureLimit + "), " + tally.inconclusive() + " inconclusive (inconclusiveLimit "
          + inconclusiveLimit + ")" + (tally.lastValue() == null ? "" : ", last value " + tally.lastValue()));
    }
    String errors = tally.consecutiveErrors() == 0 ? "" : ", " + tally.consecutiveErrors() + " error"
        + (tally.consecutiveErrors() == 1 ? "" : "s") + " in a row";
    return new Assessment(AnalysisPhase.RUNNING, tally,
        tally.measured() + " of " + count + " measurements taken" + errors + last(tally));
  }

  /** When to measure next after these measurements, oldest first; empty once the analysis is over. */
  public static Optional<Instant> nextMeasurementAt(
      AnalysisTemplate template, List<Measurement> measurements, Instant startedAt) {
    return nextMeasurementAt(template, MeasurementTally.of(measurements), startedAt);
  }

  /**
   * When to measure next: at {@code startedAt} (the step's start) for the first measurement, then one
   * {@code interval} after the last one finished, errors included (Argo's {@code calculateNextReconcileTime};
   * Argo's 10 s error retry applies only to metrics without an interval, and ours always has one).
   */
  public static Optional<Instant> nextMeasurementAt(AnalysisTemplate template, MeasurementTally tally, Instant startedAt) {
    if (assess(template, tally).phase().completed()) {
      return Optional.empty();
    }
    if (tally.lastMeasuredAt() == null) {
      return Optional.of(startedAt);
    }
    return Optional.of(tally.lastMeasuredAt().plus(template.intervalOrDefault()));
  }

  /** The number of judged measurements the template asks for (default 1). */
  public static int count(AnalysisTemplate template) {
    return Math.max(1, orDefault(template.count(), 1));
  }

  private static String last(MeasurementTally tally) {
    if (tally.lastMessage() == null) {
      return "";
    }
    // After an error the last value belongs to an earlier measurement: do not pair it with the error.
    boolean valueIsFromLast = tally.lastValue() != null && tally.consecutiveErrors() == 0;
    return "; last: " + tally.lastMessage() + (valueIsFromLast ? " (value " + tally.lastValue() + ")" : "");
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
