package dev.baton.drain;

/**
 * What one look at a draining pod's connections found: a count, or {@link Unknown} with the reason (the
 * endpoint is down, the answer could not be read). An unknown count never ends a drain early: the
 * orchestrator keeps watching until the count reaches 0 or {@code spec.drain.timeout} passes.
 */
public sealed interface WatchResult permits WatchResult.Count, WatchResult.Unknown {

  static WatchResult count(long connections) {
    return new Count(connections);
  }

  static WatchResult unknown(String reason) {
    return new Unknown(reason);
  }

  /** {@code connections} open connections, never negative. */
  record Count(long connections) implements WatchResult {
    public Count {
      if (connections < 0) {
        throw new IllegalArgumentException("a connection count is never negative, got " + connections);
      }
    }

    public boolean isEmpty() {
      return connections == 0;
    }
  }

  /** The count could not be obtained; {@code reason} is a sentence for the status. */
  record Unknown(String reason) implements WatchResult {}
}
