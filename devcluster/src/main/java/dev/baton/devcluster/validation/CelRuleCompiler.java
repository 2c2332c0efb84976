package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime.Program;

/**
 * Compiles {@code x-kubernetes-validations} rules with cel-java.
 *
 * <p>{@code self} and {@code oldSelf} are declared as {@code dyn}: the values are plain maps, lists and
 * scalars (see {@link CelValues}), so a rule that names a field the schema lacks compiles and fails at
 * evaluation instead of at CRD creation as on a real server. A rule with {@code optionalOldSelf: true}
 * sees {@code oldSelf} as {@code optional<dyn>}, as Kubernetes declares it.
 *
 * <p>Libraries: the CEL standard library and macros ({@code has}, {@code all}, {@code exists},
 * {@code map}, {@code filter}), {@code matches}, optionals, and cel-java's strings, math, lists, sets and
 * encoders extensions, which overlap with what Kubernetes offers
 * (https://kubernetes.io/docs/reference/using-api/cel/). The Kubernetes-only libraries ({@code quantity},
 * {@code url}, {@code ip}, {@code cidr}, {@code format}, k8s list functions such as {@code isSorted})
 * are absent: rules that use them fail to compile and are reported as such.
 */
final class CelRuleCompiler {

  private static final CelOptions OPTIONS = CelOptions.current()
      // cel-go (and so Kubernetes) compares int, uint and double with each other.
      .enableHeterogeneousNumericComparisons(true)
      .enableOptionalSyntax(true)
      .build();

  private final Cel rules = environment(SimpleType.DYN, SimpleType.BOOL);
  private final Cel rulesWithOptionalOldSelf = environment(OptionalType.create(SimpleType.DYN), SimpleType.BOOL);
  private final Cel messages = environment(SimpleType.DYN, SimpleType.STRING);
  private final Cel messagesWithOptionalOldSelf = environment(OptionalType.create(SimpleType.DYN), SimpleType.STRING);

  private static Cel environment(CelType oldSelfType, CelType resultType) {
    return CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar(CelValues.SELF, SimpleType.DYN)
        .addVar(CelValues.OLD_SELF, oldSelfType)
        .addCompilerLibraries(CelExtensions.strings(), CelExtensions.math(), CelExtensions.lists(),
            CelExtensions.sets(OPTIONS), CelExtensions.optional(), CelExtensions.encoders(OPTIONS))
        .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.math(), CelExtensions.lists(),
            CelExtensions.sets(OPTIONS), CelExtensions.optional(), CelExtensions.encoders(OPTIONS))
        .setResultType(resultType)
        .build();
  }

  /**
   * Compiles one rule. Never throws: a rule that does not compile yields a {@link CompiledRule} with a
   * {@code compileError}, reported whenever the rule would run (the real server refuses such a CRD).
   *
   * @param validation one {@code x-kubernetes-validations} entry
   * @param fieldPath the entry's {@code fieldPath} already resolved against the schema, or {@code null}
   * @param fieldPathError why the {@code fieldPath} is invalid, or {@code null}
   */
  CompiledRule compile(JsonNode validation, String fieldPath, String fieldPathError) {
    String rule = text(validation, "rule");
    String message = text(validation, "message");
    String messageExpression = text(validation, "messageExpression");
    String reason = text(validation, "reason");
    boolean optionalOldSelf = validation.path("optionalOldSelf").asBoolean(false);
    if (rule == null) {
      rule = "";
    }
    if (fieldPathError != null) {
      return failed(rule, message, messageExpression, reason, optionalOldSelf, "fieldPath " + fieldPathError);
    }
    Cel ruleEnv = optionalOldSelf ? rulesWithOptionalOldSelf : rules;
    Cel messageEnv = optionalOldSelf ? messagesWithOptionalOldSelf : messages;
    try {
      CelValidationResult compiled = ruleEnv.compile(rule);
      if (compiled.hasError()) {
        return failed(rule, message, messageExpression, reason, optionalOldSelf,
            "compilation failed: " + compiled.getErrorString());
      }
      CelAbstractSyntaxTree ast = compiled.getAst();
      boolean usesOldSelf = ast.getReferenceMap().values().stream()
          .anyMatch(reference -> CelValues.OLD_SELF.equals(reference.name()));
      Program messageProgram = null;
      if (messageExpression != null) {
        CelValidationResult compiledMessage = messageEnv.compile(messageExpression);
        if (compiledMessage.hasError()) {
          return failed(rule, message, messageExpression, reason, optionalOldSelf,
              "messageExpression compilation failed: " + compiledMessage.getErrorString());
        }
        messageProgram = messageEnv.createProgram(compiledMessage.getAst());
      }
      return new CompiledRule(rule, message, messageExpression, reason, fieldPath, optionalOldSelf, usesOldSelf,
          ruleEnv.createProgram(ast), messageProgram, null);
    } catch (dev.cel.common.CelValidationException | CelEvaluationException e) {
      return failed(rule, message, messageExpression, reason, optionalOldSelf, "compilation failed: " + e.getMessage());
    }
  }

  private static CompiledRule failed(
      String rule, String message, String messageExpression, String reason, boolean optionalOldSelf, String error) {
    return new CompiledRule(rule, message, messageExpression, reason, null, optionalOldSelf, false, null, null, error);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
