package dev.baton.plan;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user asks of a running release through the annotation {@code baton.dev/action} on its Canary
 * ({@code kubectl annotate canary chat-1.4.3 baton.dev/action=promote}). An annotation, not a field of
 * the Application, so a GitOps tool that owns the Application never sees a diff.
 */
public enum CanaryAction {
  /** End the current pause or analysis step and go on with the next. */
  PROMOTE("promote"),
  /** Skip every remaining step: the new version goes to 100%. */
  PROMOTE_FULL("promote-full"),
  /** Hold at the current step. */
  PAUSE("pause"),
  /** Go on after a pause (also ends a pause step without duration). */
  RESUME("resume"),
  /** Send all traffic back to the stable version and remove the new pool. */
  ABORT("abort"),
  /** Start an aborted or rolled-back release again from its first step. */
  RETRY("retry");

  private final String value;

  CanaryAction(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<CanaryAction> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String normalised = text.trim().toLowerCase(Locale.ROOT);
    for (CanaryAction action : values()) {
      if (action.value.equals(normalised)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }
}
