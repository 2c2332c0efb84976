package dev.baton.analysis;

import static dev.baton.analysis.AnalysisAssessmentTest.at;
import static dev.baton.analysis.AnalysisAssessmentTest.measurements;
import static dev.baton.analysis.AnalysisAssessmentTest.template;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.AnalysisTemplate;
import dev.baton.api.CanaryStatus.AnalysisResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Canary's status keeps an analysis step's counts, and the assessment from them equals the one from the list. */
class AnalysisResultsTest {

  @Test
  void recordingMeasurementsOneByOneInTheStatusAssessesAsTheWholeList() {
    // given
    AnalysisTemplate template = template(4, 1, 1);
    List<Measurement> measurements = measurements("SEIEEFS");

    for (int taken = 1; taken <= measurements.size(); taken++) {
      // when each measurement is recorded in the status the planner stored
      AnalysisResult stored = null;
      for (Measurement measurement : measurements.subList(0, taken)) {
        stored = AnalysisResults.record(stored, 2, template, measurement);
      }

      // then the status reads like the assessment of the list so far
      Assessment fromList = AnalysisAssessment.assess(template, measurements.subList(0, taken));
      assertThat(stored.phase()).isEqualTo(fromList.phase().text());
      assertThat(stored.message()).isEqualTo(fromList.message());
      assertThat(AnalysisResults.assess(template, stored).phase()).isEqualTo(fromList.phase());
      assertThat(AnalysisResults.nextMeasurementAt(template, stored, at(0)))
          .isEqualTo(AnalysisAssessment.nextMeasurementAt(template, measurements.subList(0, taken), at(0)));
    }
  }

  @Test
  void theStatusShowsStepTemplateCountsAndTheLastValue() {
    AnalysisResult stored = null;
    for (Measurement measurement : measurements("SFSE")) {
      stored = AnalysisResults.record(stored, 2, template(5, 1, 0), measurement);
    }

    assertThat(stored).isEqualTo(new AnalysisResult(2, "error-rate", "Running", 3, 1, 0, 1, 1, "0.02",
        "2026-11-22T10:03:00Z", "3 of 5 measurements taken, 1 error in a row; last: error"));
  }

  @Test
  void aStepThatHasNotMeasuredIsRunningAndDueAtOnce() {
    AnalysisResult started = AnalysisResults.started(0, template(3, 0, 0));
    Instant stepStartedAt = Instant.parse("2026-11-22T10:00:00Z");

    assertThat(started.phase()).isEqualTo("Running");
    assertThat(started.measurements()).isZero();
    assertThat(AnalysisResults.nextMeasurementAt(template(3, 0, 0), started, stepStartedAt)).hasValue(stepStartedAt);
  }

  @Test
  void aStoredResultResumesAfterARestartFromTheStatusAlone() {
    // given a status written by an earlier operator: 2 judged, then an error, last at 10:05:07
    AnalysisResult stored = new AnalysisResult(1, "error-rate", "Running", 2, 0, 0, 1, 1, "0.001",
        "2026-11-22T10:05:07Z", "2 of 3 measurements taken, 1 error in a row; last: GET failed");

    // then the next measurement is one interval (1m) after the last
    assertThat(AnalysisResults.nextMeasurementAt(template(3, 0, 0), stored, Instant.EPOCH))
        .hasValue(Instant.parse("2026-11-22T10:05:07Z").plus(Duration.ofMinutes(1)));
    assertThat(AnalysisResults.assess(template(3, 0, 0), stored).message()).isEqualTo(stored.message());
  }
}
