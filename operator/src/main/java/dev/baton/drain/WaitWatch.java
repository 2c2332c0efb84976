package dev.baton.drain;

import dev.baton.api.Drain;
import dev.baton.api.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code wait} watch ({@code spec.drain.watch.wait}, and the default: 30s): counts nothing, and the drain
 * is done when {@code duration} has passed since the pod was signalled. For apps that cannot report their
 * connections. Pure functions of the signal time, so the orchestrator requeues at exactly that moment
 * instead of polling.
 */
public final class WaitWatch {

  /** The default watch waits 30s, as {@link Drain.Watch#DEFAULT} says. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);

  private WaitWatch() {}

  /** True when {@code drain} uses the wait watch (explicitly or by default). */
  public static boolean appliesTo(Drain drain) {
    return drain.watchOrDefault().waitFor() != null;
  }

  /** How long to wait after the signal. */
  public static Duration duration(Drain drain) {
    Drain.WaitWatch settings = drain.watchOrDefault().waitFor();
    return settings == null ? DEFAULT_DURATION : Durations.parse(settings.duration(), DEFAULT_DURATION);
  }

  /** The moment the wait is over for a pod signalled at {@code signalledAt}. */
  public static Instant elapsesAt(Instant signalledAt, Drain drain) {
    return signalledAt.plus(duration(drain));
  }

  /** Whether the wait is over at {@code now}. */
  public static boolean hasElapsed(Instant signalledAt, Instant now, Drain drain) {
    return !now.isBefore(elapsesAt(signalledAt, drain));
  }
}
