package dev.baton.analysis;

import java.time.Instant;
import java.util.List;

/**
 * The counts an assessment needs, kept instead of every measurement (as Argo Rollouts' {@code MetricResult}
 * keeps {@code count}, {@code failed}, {@code inconclusive}, {@code error}, {@code consecutiveError}), so
 * a Canary's status stays small however many measurements a template asks for.
 *
 * @param measured judged measurements (successful, failed or inconclusive); what {@code count} counts.
 *     Errors are not counted, as in Argo, so an error is retried rather than used up
 * @param failed failed measurements
 * @param inconclusive inconclusive measurements
 * @param errors measurements that gave no judgement
 * @param consecutiveErrors errors since the last judged measurement
 * @param lastValue the last value measured, or {@code null}
 * @param lastMessage the last measurement's message, or {@code null}
 * @param lastMeasuredAt when the last measurement (of any outcome) finished, or {@code null} before the first
 */
public record MeasurementTally(
    int measured,
    int failed,
    int inconclusive,
    int errors,
    int consecutiveErrors,
    String lastValue,
    String lastMessage,
    Instant lastMeasuredAt) {

  public static MeasurementTally empty() {
    return new MeasurementTally(0, 0, 0, 0, 0, null, null, null);
  }

  /** The tally of measurements in the order they were taken. */
  public static MeasurementTally of(List<Measurement> measurements) {
    MeasurementTally tally = empty();
    for (Measurement measurement : measurements) {
      tally = tally.plus(measurement);
    }
    return tally;
  }

  /** This tally with one more measurement, counted as Argo Rollouts' {@code runMeasurements} counts it. */
  public MeasurementTally plus(Measurement measurement) {
    String value = measurement.value() != null ? measurement.value() : lastValue;
    return switch (measurement.outcome()) {
      case SUCCESSFUL -> new MeasurementTally(measured + 1, failed, inconclusive, errors, 0,
          value, measurement.message(), measurement.measuredAt());
      case FAILED -> new MeasurementTally(measured + 1, failed + 1, inconclusive, errors, 0,
          value, measurement.message(), measurement.measuredAt());
      case INCONCLUSIVE -> new MeasurementTally(measured + 1, failed, inconclusive + 1, errors, 0,
          value, measurement.message(), measurement.measuredAt());
      case ERROR -> new MeasurementTally(measured, failed, inconclusive, errors + 1, consecutiveErrors + 1,
          value, measurement.message(), measurement.measuredAt());
    };
  }
}
