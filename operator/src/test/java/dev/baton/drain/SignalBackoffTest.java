package dev.baton.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Drain;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When a failed signal is tried again. */
class SignalBackoffTest {

  static final Instant STARTED = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void failedSignalsAreRetriedAfter1s2s4sAndSoOnUpTo30s() {
    assertThat(IntStream.rangeClosed(1, 8).mapToObj(SignalBackoff::delayAfter))
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
            Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  void thousandsOfFailuresStillWait30s() {
    assertThat(SignalBackoff.delayAfter(10_000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theNextAttemptFollowsTheLastFailure() {
    Drain drain = Drains.waitWatch("30s", "10m");

    assertThat(SignalBackoff.nextAttemptAt(STARTED.plusSeconds(20), 3, STARTED, drain))
        .contains(STARTED.plusSeconds(24));
  }

  @Test
  void noAttemptIsScheduledAtOrAfterTheDeadline() {
    Drain drain = Drains.waitWatch("30s", "1m");

    assertThat(SignalBackoff.nextAttemptAt(STARTED.plusSeconds(57), 2, STARTED, drain)).contains(STARTED.plusSeconds(59));
    assertThat(SignalBackoff.nextAttemptAt(STARTED.plusSeconds(58), 2, STARTED, drain)).isEmpty();
    assertThat(SignalBackoff.nextAttemptAt(STARTED.plusSeconds(45), 7, STARTED, drain)).isEmpty();
  }
}
