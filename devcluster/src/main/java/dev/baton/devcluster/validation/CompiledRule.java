package dev.baton.devcluster.validation;

import dev.cel.runtime.CelRuntime.Program;

/**
 * One entry of {@code x-kubernetes-validations}, compiled once per CRD.
 *
 * @param rule the CEL expression as written
 * @param message the fixed message, or {@code null}
 * @param messageExpression the CEL expression that computes the message, or {@code null}
 * @param reason {@code FieldValueInvalid} (default), {@code FieldValueForbidden}, {@code FieldValueRequired} or
 *     {@code FieldValueDuplicate}
 * @param fieldPath where the error points, relative to the rule's field, already in Kubernetes form, or {@code null}
 * @param optionalOldSelf whether {@code oldSelf} is an optional and the rule also runs on create
 * @param usesOldSelf whether the rule is a transition rule (references {@code oldSelf})
 * @param program the compiled rule, {@code null} when it failed to compile
 * @param messageProgram the compiled message expression, or {@code null}
 * @param compileError why the rule (or its fieldPath) is unusable, or {@code null}
 */
record CompiledRule(
    String rule,
    String message,
    String messageExpression,
    String reason,
    String fieldPath,
    boolean optionalOldSelf,
    boolean usesOldSelf,
    Program program,
    Program messageProgram,
    String compileError) {

  /** The rule's text in errors: its message if it has one, else the rule ({@code ruleErrorString} in Kubernetes). */
  String errorString() {
    return message != null && !message.isBlank() ? message.strip() : rule.strip();
  }

  /** The message of a failed rule when no messageExpression gives one ({@code ruleMessageOrDefault}). */
  String messageOrDefault() {
    return message != null && !message.isBlank() ? message.strip() : "failed rule: " + errorString();
  }
}
