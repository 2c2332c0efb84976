package dev.baton.plan;

import dev.baton.traffic.TrafficSplit;
import java.util.Optional;

/**
 * Where the planner wants traffic now, in the terms every router understands.
 *
 * @param activeVersion blue-green: the one version the Service {@code <app>} selects (the switch moves it); empty
 *     when {@code <app>} selects the serving pods of every pool (canary releases)
 * @param stableVersion the version behind {@code <app>-stable} (Gateway API router)
 * @param canaryVersion the version behind {@code <app>-canary} (Gateway API router) and {@code <app>-preview}
 *     (blue-green); the stable version between releases
 * @param split the weights the HTTPRoute carries between the two (Gateway API router)
 */
public record TrafficTarget(Optional<String> activeVersion, String stableVersion, String canaryVersion,
    TrafficSplit split) {

  /** No release: only {@code version} is routed to. */
  public static TrafficTarget settled(String version, boolean blueGreen) {
    return new TrafficTarget(blueGreen ? Optional.of(version) : Optional.empty(), version, version,
        TrafficSplit.stableOnly());
  }
}
