package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Measurement.Outcome;
import dev.baton.analysis.MeasurementJudge.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The outcome of a measurement as Argo Rollouts' EvaluateResult decides it, with CEL conditions. */
class MeasurementJudgeTest {

  private final MeasurementJudge judge = new MeasurementJudge();

  @ParameterizedTest(name = "success={0} failure={1} result={2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      // only successCondition: not successful is failed
      "result < 0.01,  -,              0.001, SUCCESSFUL",
      "result < 0.01,  -,              0.5,   FAILED",
      // only failureCondition: not failed is successful
      "-,              result > 0.05,  0.001, SUCCESSFUL",
      "-,              result > 0.05,  0.5,   FAILED",
      // both: each one true, neither true (inconclusive), both true (failure wins)
      "result < 0.01,  result > 0.05,  0.001, SUCCESSFUL",
      "result < 0.01,  result > 0.05,  0.5,   FAILED",
      "result < 0.01,  result > 0.05,  0.02,  INCONCLUSIVE",
      "result < 1.0,   result > 0.0,   0.5,   FAILED",
      // neither given: successful
      "-,              -,              0.5,   SUCCESSFUL",
  })
  void conditionsDecideTheOutcomeAsArgoRolloutsEvaluateResultDoes(
      String success, String failure, double result, Outcome expected) {
    // when
    Verdict verdict = judge.judge(success, failure, result);

    // then
    assertThat(verdict.outcome()).isEqualTo(expected);
  }

  @Test
  void aComparisonWithAnIntWorksForIntAndDoubleResults() {
    assertThat(judge.judge("result < 1", null, 0L).outcome()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(judge.judge("result < 1", null, 0.5).outcome()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(judge.judge("result < 0.5", null, 0L).outcome()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(judge.judge("result == 3", null, 3.0).outcome()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(judge.judge("result >= 1", null, 0.5).outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void indexingAnEmptyListIsAnErrorThatSaysHowToGuardIt() {
    // when
    Verdict verdict = judge.judge("result[0] < 0.01", null, List.of());

    // then
    assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(verdict.message()).contains("successCondition `result[0] < 0.01` could not be evaluated")
        .contains("size(result) > 0");
  }

  @Test
  void aGuardedConditionJudgesAnEmptyListWithoutError() {
    assertThat(judge.judge("size(result) > 0 && result[0] < 0.01", null, List.of()).outcome())
        .isEqualTo(Outcome.FAILED);
    assertThat(judge.judge("size(result) > 0 && result[0] < 0.01", null, List.of(0.001)).outcome())
        .isEqualTo(Outcome.SUCCESSFUL);
    assertThat(judge.judge("result[?0].orValue(0.0) < 0.01", null, List.of()).outcome())
        .isEqualTo(Outcome.SUCCESSFUL);
    assertThat(judge.judge("result[?0].orValue(0.0) < 0.01", null, List.of(0.5)).outcome())
        .isEqualTo(Outcome.FAILED);
  }

  @Test
  void anErrorInEitherConditionMakesAnErrorWhateverTheOther() {
    // given a failure condition naming a key the result does not have
    Verdict verdict = judge.judge("result.rate < 0.01", "result.missing > 1", Map.of("rate", 0.001));

    // then
    assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(verdict.message()).startsWith("failureCondition `result.missing > 1` could not be evaluated");
  }

  @Test
  void nanIsNeitherBelowNorAboveAThresholdAndCanBeTested() {
    assertThat(judge.judge("result < 0.01", null, Double.NaN).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(judge.judge("result < 0.01", "result > 0.05", Double.NaN).outcome()).isEqualTo(Outcome.INCONCLUSIVE);
    assertThat(judge.judge("math.isNaN(result) || result < 0.01", null, Double.NaN).outcome())
        .isEqualTo(Outcome.SUCCESSFUL);
  }

  @Test
  void mapsFromJsonAreReadByField() {
    Map<String, Object> result = Map.of("errors", 2L, "requests", 1000L, "healthy", true);
    assertThat(judge.judge("result.healthy && double(result.errors) / double(result.requests) < 0.01", null, result)
        .outcome()).isEqualTo(Outcome.SUCCESSFUL);
  }

  @Test
  void aConditionThatIsNotABoolIsAnError() {
    Verdict verdict = judge.judge("result", null, 0.5);

    assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(verdict.message()).contains("not true or false");
  }

  @Test
  void aConditionThatDoesNotCompileIsAnErrorWithCelsText() {
    Verdict verdict = judge.judge("result <", null, 0.5);

    assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(verdict.message()).startsWith("successCondition `result <` does not compile: at 1:9: mismatched input '<EOF>'");
  }

  @Test
  void problemWithNamesWhatIsWrongAndWhere() {
    assertThat(MeasurementJudge.problemWith("result < 0.01")).isEmpty();
    assertThat(MeasurementJudge.problemWith("size(result) > 0 && result[0] < 0.01")).isEmpty();
    assertThat(MeasurementJudge.problemWith("result <")).hasValueSatisfying(problem ->
        assertThat(problem).startsWith("at 1:9: mismatched input '<EOF>' expecting").doesNotContain("\n"));
    assertThat(MeasurementJudge.problemWith("rate < 0.01")).hasValueSatisfying(problem ->
        assertThat(problem).isEqualTo("at 1:1: undeclared reference to 'rate' (in container '')"));
    assertThat(MeasurementJudge.problemWith("nosuch(result)")).isPresent();
    assertThat(MeasurementJudge.problemWith("'text'")).isPresent();
    assertThat(MeasurementJudge.problemWith("")).hasValue("the expression is empty");
  }
}
