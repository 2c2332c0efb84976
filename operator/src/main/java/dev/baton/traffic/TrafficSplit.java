package dev.baton.traffic;

/**
 * How traffic should be shared between the stable and the canary version: what a traffic router puts in force.
 *
 * <p>{@link Weighted} holds while a release runs, weight 0 included (the first step before any shift, or an abort
 * on its way back); {@link StableOnly} is the state between releases, after a promotion (once {@code <app>-stable}
 * selects the new version) or after an abort.
 */
public sealed interface TrafficSplit {

  /** A running release: the canary receives {@code canaryWeight} percent, the stable version the rest. */
  static TrafficSplit canary(int canaryWeight) {
    return new Weighted(canaryWeight);
  }

  /** No release: only the stable version is routed to, and nothing of the canary remains in the route. */
  static TrafficSplit stableOnly() {
    return new StableOnly();
  }

  /** The canary's share in percent (0 between releases). */
  int canaryWeight();

  /** The stable version's share in percent. */
  default int stableWeight() {
    return 100 - canaryWeight();
  }

  /** @param canaryWeight 0 to 100 */
  record Weighted(int canaryWeight) implements TrafficSplit {
    public Weighted {
      if (canaryWeight < 0 || canaryWeight > 100) {
        throw new IllegalArgumentException("a canary weight is a percentage, 0 to 100, not " + canaryWeight);
      }
    }
  }

  record StableOnly() implements TrafficSplit {
    @Override
    public int canaryWeight() {
      return 0;
    }
  }
}
