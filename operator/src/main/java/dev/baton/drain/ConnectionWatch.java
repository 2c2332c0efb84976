package dev.baton.drain;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * One way of counting the connections a draining pod still holds. {@link ConnectionWatches} picks the
 * implementation from {@code spec.drain.watch}, and {@link ConnectionWatches#pollInterval} says how often
 * to ask. The {@code wait} watch counts nothing and is not a ConnectionWatch: see {@link WaitWatch}.
 */
public interface ConnectionWatch {

  /**
   * Counts {@code pod}'s open connections now. Blocks for at most the implementation's timeout; never
   * throws for a failure the cluster or the app can cause, but returns {@link WatchResult.Unknown}.
   */
  WatchResult connectionsLeft(Pod pod, Drain drain);
}
