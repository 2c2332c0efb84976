package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Measurement.Outcome;
import dev.baton.api.AnalysisTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** An analysis step's phase from its measurements, in the order Argo Rollouts' assessMetricStatus checks. */
class AnalysisAssessmentTest {

  private static final Instant STEP_STARTED = Instant.parse("2026-11-22T10:00:00Z");

  /**
   * Measurements are written as letters, oldest first: S successful, F failed, I inconclusive, E error.
   */
  @ParameterizedTest(name = "count={0} failureLimit={1} inconclusiveLimit={2} measurements={3} -> {4}")
  @CsvSource(nullValues = "-", value = {
      // nothing measured yet
      "3, 0, 0, '',     RUNNING",
      // count reached without crossing a limit
      "1, 0, 0, S,      SUCCESSFUL",
      "3, 0, 0, SS,     RUNNING",
      "3, 0, 0, SSS,    SUCCESSFUL",
      // failureLimit: failed > limit fails at once, before count is reached
      "5, 0, 0, F,      FAILED",
      "5, 1, 0, SF,     RUNNING",
      "5, 1, 0, SFF,    FAILED",
      "3, 1, 0, SFS,    SUCCESSFUL",
      // inconclusiveLimit
      "5, 0, 0, I,      INCONCLUSIVE",
      "3, 0, 1, ISS,    SUCCESSFUL",
      "5, 0, 1, II,     INCONCLUSIVE",
      // failure is checked before inconclusive
      "5, 0, 0, IF,     FAILED",
      // consecutive errors: four in a row are tolerated, the fifth is not (> 4, Argo's default)
      "1, 0, 0, EEEE,   RUNNING",
      "1, 0, 0, EEEEE,  ERROR",
      // a judged measurement resets the run of errors, and errors do not count toward count
      "3, 0, 0, EEEESEEEE, RUNNING",
      "2, 0, 0, EEEESEEEES, SUCCESSFUL",
      // mixed: within both limits, count (of judged measurements, the error aside) reached
      "5, 1, 1, SEFSIS, SUCCESSFUL",
      "6, 1, 1, SEFSIS, RUNNING",
      "6, 1, 1, SEFSIF, FAILED",
  })
  void thePhaseFollowsTheLimitsAndTheCount(
      int count, int failureLimit, int inconclusiveLimit, String outcomes, AnalysisPhase expected) {
    // given
    AnalysisTemplate template = template(count, failureLimit, inconclusiveLimit);

    // when
    Assessment assessment = AnalysisAssessment.assess(template, measurements(outcomes));

    // then
    assertThat(assessment.phase()).isEqualTo(expected);
  }

  @Test
  void aFailedAnalysisSaysHowManyFailedAndWhy() {
    Assessment assessment = AnalysisAssessment.assess(template(5, 1, 0), List.of(
        measured(Outcome.SUCCESSFUL, "0.001", 0),
        measured(Outcome.FAILED, "0.2", 1),
        new Measurement(Outcome.FAILED, "0.3", "successCondition `result < 0.01` is false", at(2))));

    assertThat(assessment.message()).isEqualTo(
        "2 of 3 measurements failed, more than failureLimit 1; last: successCondition `result < 0.01` is false (value 0.3)");
    assertThat(assessment.tally()).extracting(MeasurementTally::measured, MeasurementTally::failed)
        .containsExactly(3, 2);
  }

  @Test
  void anErrorAnalysisQuotesTheLastErrorWithoutAnOlderValue() {
    List<Measurement> measurements = new ArrayList<>(List.of(measured(Outcome.SUCCESSFUL, "0.001", 0)));
    for (int i = 1; i <= 5; i++) {
      measurements.add(new Measurement(Outcome.ERROR, null, "GET http://prometheus/api/v1/query failed", at(i)));
    }

    Assessment assessment = AnalysisAssessment.assess(template(3, 0, 0), measurements);

    assertThat(assessment.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(assessment.message()).isEqualTo("5 measurements in a row could not be taken or judged, more than the 4"
        + " tolerated; last: GET http://prometheus/api/v1/query failed");
  }

  @Test
  void theFirstMeasurementIsDueWhenTheStepStarts() {
    assertThat(AnalysisAssessment.nextMeasurementAt(template(3, 0, 0), List.of(), STEP_STARTED))
        .hasValue(STEP_STARTED);
  }

  @Test
  void theNextMeasurementIsOneIntervalAfterTheLastErrorsIncluded() {
    AnalysisTemplate template = template(3, 0, 0); // interval 1m

    assertThat(AnalysisAssessment.nextMeasurementAt(template, measurements("S"), STEP_STARTED))
        .hasValue(at(0).plus(Duration.ofMinutes(1)));
    assertThat(AnalysisAssessment.nextMeasurementAt(template, measurements("SE"), STEP_STARTED))
        .hasValue(at(1).plus(Duration.ofMinutes(1)));
  }

  @Test
  void thereIsNoNextMeasurementOnceTheAnalysisHasEnded() {
    assertThat(AnalysisAssessment.nextMeasurementAt(template(3, 0, 0), measurements("SSS"), STEP_STARTED)).isEmpty();
    assertThat(AnalysisAssessment.nextMeasurementAt(template(3, 0, 0), measurements("F"), STEP_STARTED)).isEmpty();
  }

  @Test
  void absentLimitsAndCountMeanOneMeasurementThatMustSucceed() {
    AnalysisTemplate defaults = new AnalysisTemplate("error-rate", null,
        new AnalysisTemplate.WebQuery("http://x", null), "result < 1", null, null, null, null, null);

    assertThat(AnalysisAssessment.assess(defaults, measurements("")).phase()).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(AnalysisAssessment.assess(defaults, measurements("S")).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(AnalysisAssessment.assess(defaults, measurements("F")).phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(AnalysisAssessment.nextMeasurementAt(defaults, measurements("E"), STEP_STARTED))
        .hasValue(at(0).plus(Duration.ofSeconds(30)));
  }

  static AnalysisTemplate template(int count, int failureLimit, int inconclusiveLimit) {
    return new AnalysisTemplate("error-rate", new AnalysisTemplate.PrometheusQuery("http://prometheus:9090", "up"), null,
        "result < 0.01", "result > 0.05", "1m", count, failureLimit, inconclusiveLimit);
  }

  static List<Measurement> measurements(String outcomes) {
    List<Measurement> measurements = new ArrayList<>();
    for (int i = 0; i < outcomes.length(); i++) {
      Outcome outcome = switch (outcomes.charAt(i)) {
        case 'S' -> Outcome.SUCCESSFUL;
        case 'F' -> Outcome.FAILED;
        case 'I' -> Outcome.INCONCLUSIVE;
        case 'E' -> Outcome.ERROR;
        default -> throw new IllegalArgumentException("unknown outcome " + outcomes.charAt(i));
      };
      measurements.add(measured(outcome, outcome == Outcome.ERROR ? null : "0.0" + i, i));
    }
    return measurements;
  }

  static Measurement measured(Outcome outcome, String value, int minute) {
    return new Measurement(outcome, value, outcome.name().toLowerCase(), at(minute));
  }

  static Instant at(int minute) {
    return STEP_STARTED.plus(Duration.ofMinutes(minute));
  }
}
