package dev.baton.drain;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * One way of telling a pod that it is being drained, so it closes its long-lived sessions and its clients
 * reconnect elsewhere. {@link DrainSignals} picks the implementation from {@code spec.drain.signal}.
 *
 * <p>The orchestrator may send the same signal twice (a retry, or a resend after Baton restarted between
 * sending and recording it): every implementation either is idempotent itself or documents that the app
 * must tolerate a repeat.
 */
public interface DrainSignal {

  /**
   * Signals {@code pod}. Blocks for at most the implementation's timeout; never throws for a failure the
   * cluster or the app can cause, but returns {@link SignalResult.Failed} with a message for the status.
   */
  SignalResult send(Pod pod, Drain drain);
}
