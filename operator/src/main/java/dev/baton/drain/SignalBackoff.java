package dev.baton.drain;

import dev.baton.api.Drain;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to try a failed signal again: 1s, 2s, 4s, 8s, 16s, then every 30s, and never at or after the drain's
 * deadline, where {@link DrainDecision} ends the drain anyway. Doubling keeps a pod whose endpoint is
 * briefly down from waiting long, and the cap keeps a misconfigured signal (a wrong port, a missing
 * permission) from hammering the pod or the API while it still tries often enough to notice a fix.
 */
public final class SignalBackoff {

  public static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  public static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private SignalBackoff() {}

  /** The pause after the {@code failedAttempts}-th failure in a row (1-based). */
  public static Duration delayAfter(int failedAttempts) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts counts failures and starts at 1, got " + failedAttempts);
    }
    // 2^5 s already exceeds the cap; stop doubling there so large attempt counts cannot overflow.
    int doublings = Math.min(failedAttempts - 1, 5);
    Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  /**
   * When to send the signal again after the {@code failedAttempts}-th failure at {@code failedAt}, for a
   * drain that started at {@code startedAt}; empty when that would not come before the deadline.
   */
  public static Optional<Instant> nextAttemptAt(Instant failedAt, int failedAttempts, Instant startedAt, Drain drain) {
    Instant next = failedAt.plus(delayAfter(failedAttempts));
    return next.isBefore(DrainDecision.deadline(startedAt, drain)) ? Optional.of(next) : Optional.empty();
  }
}
