package dev.baton.api;

import java.time.Duration;

/**
 * Durations as Kubernetes writes them ({@code 30s}, {@code 2m}, {@code 1h30m}): Go's
 * {@code time.ParseDuration} format, parsed with fabric8's implementation of it.
 */
public final class Durations {

  /** The schema pattern of every duration field. */
  public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  private Durations() {}

  /** Parses a duration the schema has already checked; {@code fallback} when absent. */
  public static Duration parse(String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return io.fabric8.kubernetes.api.model.Duration.parse(text).getDuration();
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 30s, 2m or 1h30m", e);
    }
  }
}
