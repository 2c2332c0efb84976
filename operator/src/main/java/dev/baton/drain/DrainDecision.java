package dev.baton.drain;

import dev.baton.api.Drain;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether one draining pod may be removed now, and if not, when to look again. Pure: no client, no clock;
 * the orchestrator passes the times it keeps in the status and the count it just took.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>a signalled pod whose last count is 0 is done ({@link Reason#EMPTY});</li>
 *   <li>at {@code startedAt + spec.drain.timeout} every pod is done ({@link Reason#TIMED_OUT}), whatever it
 *       reports, unknown counts included, and even if the signal never got through: the timeout bounds how
 *       long a release waits, and Kubernetes' own SIGTERM and grace period still follow;</li>
 *   <li>a pod not yet signalled waits for its signal (see {@link SignalBackoff}) or the deadline;</li>
 *   <li>with the {@code wait} watch, a pod is done {@code duration} after its signal ({@link Reason#WAIT_ELAPSED});</li>
 *   <li>otherwise the pod is counted again one poll interval later (a count above 0 and an unknown count are
 *       treated alike: neither ends the drain before the timeout).</li>
 * </ol>
 * Every {@code nextCheckAt} is capped at the deadline, so the timeout is never overslept.
 */
public final class DrainDecision {

  private DrainDecision() {}

  /** Why a pod may be removed; {@link #reason()} is the CamelCase word for a status condition or an event. */
  public enum Reason {
    EMPTY("Empty"),
    TIMED_OUT("TimedOut"),
    WAIT_ELAPSED("WaitElapsed");

    private final String reason;

    Reason(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** What to do with the pod. */
  public sealed interface Outcome permits Done, KeepWatching {}

  /** The pod may be removed. */
  public record Done(Reason reason) implements Outcome {}

  /** Not yet: reconcile again at {@code nextCheckAt} (count the connections then, for a polling watch). */
  public record KeepWatching(Instant nextCheckAt) implements Outcome {}

  /** The moment a drain that started at {@code startedAt} times out. */
  public static Instant deadline(Instant startedAt, Drain drain) {
    return startedAt.plus(drain.timeoutOrDefault());
  }

  /**
   * Decides for one pod.
   *
   * @param startedAt when the drain of this pod started (the pod left the Services); the timeout counts from here
   * @param signalledAt when the signal first succeeded, or null if it has not yet
   * @param now the current time
   * @param lastResult the count taken at {@code now} by the pod's {@link ConnectionWatch}, or null if none was
   *     taken (not yet signalled, the {@code wait} watch, or a reconcile for another reason): a polling watch
   *     then asks for a count now
   * @param drain the Application's {@code spec.drain}
   */
  public static Outcome decide(Instant startedAt, Instant signalledAt, Instant now, WatchResult lastResult, Drain drain) {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(now, "now");
    Instant deadline = deadline(startedAt, drain);
    boolean waitWatch = WaitWatch.appliesTo(drain);

    if (signalledAt != null && !waitWatch && lastResult instanceof WatchResult.Count count && count.isEmpty()) {
      return new Done(Reason.EMPTY);
    }
    if (!now.isBefore(deadline)) {
      return new Done(Reason.TIMED_OUT);
    }
    if (signalledAt == null) {
      return new KeepWatching(deadline);
    }
    if (waitWatch) {
      Instant elapsesAt = WaitWatch.elapsesAt(signalledAt, drain);
      return now.isBefore(elapsesAt) ? new KeepWatching(earlier(elapsesAt, deadline)) : new Done(Reason.WAIT_ELAPSED);
    }
    if (lastResult == null) {
      return new KeepWatching(now);
    }
    Duration interval = ConnectionWatches.pollInterval(drain).orElseThrow();
    return new KeepWatching(earlier(now.plus(interval), deadline));
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
