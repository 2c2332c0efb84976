package dev.baton.drain;

import static dev.baton.drain.Drains.httpWatch;
import static dev.baton.drain.Drains.port;
import static dev.baton.drain.Drains.prometheusWatch;
import static dev.baton.drain.Drains.waitWatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Drain;
import dev.baton.drain.DrainDecision.Done;
import dev.baton.drain.DrainDecision.KeepWatching;
import dev.baton.drain.DrainDecision.Reason;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** When a draining pod may go, as a table of (times, last count, settings) to outcome. */
class DrainDecisionTest {

  static final Instant STARTED = Instant.parse("2026-11-22T10:00:00Z");
  static final Instant SIGNALLED = STARTED.plusSeconds(5);

  static Instant at(long secondsAfterStart) {
    return STARTED.plusSeconds(secondsAfterStart);
  }

  @Nested
  class PollingWatch {

    /** Poll every 2s (the http default), time out after 10 minutes (the default). */
    final Drain drain = httpWatch(port("admin"), "/connections", null, null, null);

    @Test
    void aSignalledPodThatReportsNoConnectionsIsDone() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(30), WatchResult.count(0), drain))
          .isEqualTo(new Done(Reason.EMPTY));
    }

    @Test
    void aPodStillHoldingConnectionsIsCountedAgainOneIntervalLater() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(30), WatchResult.count(118), drain))
          .isEqualTo(new KeepWatching(at(32)));
    }

    @Test
    void anUnknownCountKeepsThePodWatchedLikeABusyOne() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(30), WatchResult.unknown("connection refused"), drain))
          .isEqualTo(new KeepWatching(at(32)));
    }

    @Test
    void anUnknownCountToTheEndTimesOut() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(600), WatchResult.unknown("connection refused"), drain))
          .isEqualTo(new Done(Reason.TIMED_OUT));
    }

    @Test
    void aPodThatNeverReportsZeroIsRemovedAtTheTimeout() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(599), WatchResult.count(3), drain))
          .isEqualTo(new KeepWatching(at(600)));
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(600), WatchResult.count(3), drain))
          .isEqualTo(new Done(Reason.TIMED_OUT));
    }

    @Test
    void aPodNotYetCountedIsCountedNow() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(6), null, drain)).isEqualTo(new KeepWatching(at(6)));
    }

    @Test
    void theNextCountUsesTheWatchesOwnInterval() {
      Drain every15s = prometheusWatch("http://prometheus:9090", "sum(ws{pod=\"{{pod}}\"})", "15s", "1m");

      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(30), WatchResult.count(4), every15s))
          .isEqualTo(new KeepWatching(at(45)));
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(50), WatchResult.count(4), every15s))
          .as("capped at the 1m deadline").isEqualTo(new KeepWatching(at(60)));
    }

    @Test
    void aZeroCountFromAPodNeverSignalledDoesNotEndTheDrain() {
      assertThat(DrainDecision.decide(STARTED, null, at(30), WatchResult.count(0), drain))
          .isEqualTo(new KeepWatching(at(600)));
    }
  }

  @Nested
  class Unsignalled {

    final Drain drain = httpWatch(port("admin"), "/connections", null, null, "2m");

    @Test
    void aPodWhoseSignalKeepsFailingWaitsForTheSignalOrTheDeadline() {
      assertThat(DrainDecision.decide(STARTED, null, at(30), null, drain)).isEqualTo(new KeepWatching(at(120)));
    }

    @Test
    void aPodWhoseSignalNeverGotThroughTimesOut() {
      assertThat(DrainDecision.decide(STARTED, null, at(120), null, drain)).isEqualTo(new Done(Reason.TIMED_OUT));
    }
  }

  @Nested
  class WaitWatchDrains {

    final Drain drain = waitWatch("45s", "10m");

    @Test
    void aWaitingPodIsRequeuedForTheExactMomentTheWaitEnds() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(10), null, drain)).isEqualTo(new KeepWatching(at(50)));
    }

    @Test
    void theWaitIsOverDurationAfterTheSignal() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(50), null, drain)).isEqualTo(new Done(Reason.WAIT_ELAPSED));
    }

    @Test
    void aWaitLongerThanTheTimeoutEndsAtTheTimeout() {
      Drain longWait = waitWatch("20m", "10m");

      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(60), null, longWait)).isEqualTo(new KeepWatching(at(600)));
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(600), null, longWait)).isEqualTo(new Done(Reason.TIMED_OUT));
    }

    @Test
    void theDefaultDrainWaits30sAfterTheSignal() {
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(34), null, Drain.DEFAULT)).isEqualTo(new KeepWatching(at(35)));
      assertThat(DrainDecision.decide(STARTED, SIGNALLED, at(35), null, Drain.DEFAULT)).isEqualTo(new Done(Reason.WAIT_ELAPSED));
    }
  }

  @Test
  void reasonsAreTheWordsAStatusConditionShows() {
    assertThat(Reason.EMPTY.reason()).isEqualTo("Empty");
    assertThat(Reason.TIMED_OUT.reason()).isEqualTo("TimedOut");
    assertThat(Reason.WAIT_ELAPSED.reason()).isEqualTo("WaitElapsed");
  }
}
