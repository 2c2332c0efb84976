package dev.baton.analysis;

import dev.baton.analysis.Measurement.Outcome;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime.Program;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Judges a measured value with a template's {@code successCondition} and {@code failureCondition}, CEL
 * expressions over {@code result} (declared {@code dyn}: a number, a list, a map...).
 *
 * <p>The rules are Argo Rollouts' {@code EvaluateResult} ({@code utils/evaluate/evaluate.go}):
 * <ul>
 *   <li>only {@code successCondition}: not successful means failed;
 *   <li>only {@code failureCondition}: not failed means successful;
 *   <li>both: failure wins when it holds (even if success holds too); neither holding is inconclusive;
 *   <li>neither given: successful;
 *   <li>a condition that does not evaluate to a bool (an error, a missing key, an index out of range)
 *       makes the measurement an Error, whatever the other condition says.
 * </ul>
 *
 * <p>Numbers compare across {@code int} and {@code double} ({@code result < 1} works for 0 and 0.5), as in
 * cel-go. Vector results are lists, and an empty one has no {@code result[0]} (argo-rollouts#1466): guard
 * with {@code size(result) > 0 && result[0] < 0.01}, or give a default with optional indexing,
 * {@code result[?0].orValue(0.0) < 0.01}. Available beyond standard CEL: optionals and cel-java's
 * {@code math.*} (e.g. {@code math.isNaN(result)}), strings and lists extensions.
 *
 * <p>Each expression is compiled once and kept; the environment is immutable and thread-safe.
 */
public final class MeasurementJudge {

  /** The variable conditions see. */
  public static final String RESULT = "result";

  private static final int CACHE_LIMIT = 512;

  private static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .enableOptionalSyntax(true)
      .build();

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setOptions(OPTIONS)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar(RESULT, SimpleType.DYN)
      .addCompilerLibraries(CelExtensions.optional(), CelExtensions.math(OPTIONS), CelExtensions.strings(),
          CelExtensions.lists())
      .addRuntimeLibraries(CelExtensions.optional(), CelExtensions.math(OPTIONS), CelExtensions.strings(),
          CelExtensions.lists())
      .setResultType(SimpleType.BOOL)
      .build();

  private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

  /** How the conditions judged a value. */
  public record Verdict(Outcome outcome, String message) {}

  /**
   * Why an expression cannot be a condition (syntax, unknown function, not a bool), in CEL's words with
   * the position marked; empty when it compiles. The planner reports this as an invalid spec, naming
   * the field.
   */
  public static Optional<String> problemWith(String expression) {
    return Optional.ofNullable(compile(expression).problem());
  }

  /** Judges {@code result} with the two conditions; blank or {@code null} conditions are absent. */
  public Verdict judge(String successCondition, String failureCondition, Object result) {
    boolean hasSuccess = successCondition != null && !successCondition.isBlank();
    boolean hasFailure = failureCondition != null && !failureCondition.isBlank();
    boolean success = false;
    boolean failure = false;
    try {
      if (hasSuccess) {
        success = evaluate("successCondition", successCondition, result);
      }
      if (hasFailure) {
        failure = evaluate("failureCondition", failureCondition, result);
      }
    } catch (ConditionException e) {
      return new Verdict(Outcome.ERROR, e.getMessage());
    }
    if (!hasSuccess && !hasFailure) {
      return new Verdict(Outcome.SUCCESSFUL, "no condition to judge by: successful");
    }
    if (hasFailure && failure) {
      return new Verdict(Outcome.FAILED, "failureCondition " + quote(failureCondition) + " is true");
    }
    if (!hasFailure) {
      return success
          ? new Verdict(Outcome.SUCCESSFUL, "successCondition " + quote(successCondition) + " is true")
          : new Verdict(Outcome.FAILED, "successCondition " + quote(successCondition) + " is false");
    }
    if (!hasSuccess) {
      return new Verdict(Outcome.SUCCESSFUL, "failureCondition " + quote(failureCondition) + " is false");
    }
    return success
        ? new Verdict(Outcome.SUCCESSFUL, "successCondition " + quote(successCondition) + " is true")
        : new Verdict(Outcome.INCONCLUSIVE, "neither successCondition " + quote(successCondition)
            + " nor failureCondition " + quote(failureCondition) + " is true");
  }

  private boolean evaluate(String field, String expression, Object result) throws ConditionException {
    if (compiled.size() > CACHE_LIMIT) {
      // Expressions come from a handful of templates; a full cache means many were edited over time.
      compiled.clear();
    }
    Compiled condition = compiled.computeIfAbsent(expression, MeasurementJudge::compile);
    if (condition.problem() != null) {
      throw new ConditionException(field + " " + quote(expression) + " does not compile: " + condition.problem());
    }
    Object value;
    try {
      value = condition.program().eval(Map.of(RESULT, result));
    } catch (CelEvaluationException e) {
      throw new ConditionException(field + " " + quote(expression) + " could not be evaluated: " + e.getMessage()
          + hintFor(e.getMessage()));
    }
    if (value instanceof Boolean bool) {
      return bool;
    }
    throw new ConditionException(field + " " + quote(expression) + " gave " + value + ", not true or false");
  }

  /** argo-rollouts#1466: the usual cause of an index error is an empty vector, i.e. no traffic yet. */
  private static String hintFor(String message) {
    if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("index")) {
      return " (an empty result has no [0]: guard with size(result) > 0 && ..., or use result[?0].orValue(0.0))";
    }
    return "";
  }

  private static Compiled compile(String expression) {
    if (expression == null || expression.isBlank()) {
      return new Compiled(null, "the expression is empty");
    }
    try {
      CelValidationResult result = CEL.compile(expression);
      if (result.hasError()) {
        return new Compiled(null, oneLine(result.getErrorString()));
      }
      return new Compiled(CEL.createProgram(result.getAst()), null);
    } catch (CelValidationException | CelEvaluationException e) {
      return new Compiled(null, e.getMessage());
    }
  }

  /**
   * CEL reports {@code ERROR: <input>:1:9: message} followed by the expression with a caret under the
   * column; status messages and events are single lines, so keep {@code 1:9: message} for each error.
   */
  private static String oneLine(String errors) {
    return errors.lines()
        .filter(line -> line.startsWith("ERROR: "))
        .map(line -> "at " + line.substring("ERROR: ".length()).replace("<input>:", ""))
        .collect(java.util.stream.Collectors.joining("; "));
  }

  private static String quote(String expression) {
    return "`" + expression + "`";
  }

  private record Compiled(Program program, String problem) {}

  private static final class ConditionException extends Exception {
    ConditionException(String message) {
      super(message);
    }
  }
}
