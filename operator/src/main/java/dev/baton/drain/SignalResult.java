package dev.baton.drain;

/**
 * What came of one attempt to tell a pod to let its clients go. An expected failure (the pod refused, the
 * endpoint is down, a permission is missing) is a {@link Failed} value, never an exception, so the
 * orchestrator can retry on {@link SignalBackoff}'s schedule and show {@code message} in the status.
 */
public sealed interface SignalResult permits SignalResult.Sent, SignalResult.Failed {

  /** A sentence for the status or an event. */
  String message();

  default boolean sent() {
    return this instanceof Sent;
  }

  static SignalResult sent(String message) {
    return new Sent(message);
  }

  static SignalResult failed(String message) {
    return new Failed(message);
  }

  /** The pod received the signal (or already had it, for idempotent signals). */
  record Sent(String message) implements SignalResult {}

  /** The signal did not reach the pod or the pod refused it; {@code message} says why and what would help. */
  record Failed(String message) implements SignalResult {}
}
