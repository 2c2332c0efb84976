package dev.baton.drain;

import dev.baton.api.Drain;
import dev.baton.api.Durations;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/** Picks the {@link ConnectionWatch} that {@code spec.drain.watch} asks for, and how often it polls. */
public final class ConnectionWatches {

  public static final Duration DEFAULT_HTTP_INTERVAL = Duration.ofSeconds(2);
  /** Prometheus scrapes every 15-60s in most setups; polling it much faster than that finds nothing new. */
  public static final Duration DEFAULT_PROMETHEUS_INTERVAL = Duration.ofSeconds(5);

  private final HttpConnectionWatch http;
  private final PrometheusConnectionWatch prometheus;

  public ConnectionWatches(HttpConnectionWatch http, PrometheusConnectionWatch prometheus) {
    this.http = http;
    this.prometheus = prometheus;
  }

  /** The watches with their default request timeouts, sharing one HTTP client. */
  public static ConnectionWatches withDefaults(HttpClient client) {
    return new ConnectionWatches(
        new HttpConnectionWatch(client, HttpConnectionWatch.DEFAULT_TIMEOUT),
        new PrometheusConnectionWatch(client, PrometheusConnectionWatch.DEFAULT_TIMEOUT));
  }

  /**
   * The watch that polls {@code drain}'s pods, or empty for the {@code wait} watch, which counts nothing:
   * {@link DrainDecision} ends those drains by the clock alone ({@link WaitWatch}).
   */
  public Optional<ConnectionWatch> pollingWatchFor(Drain drain) {
    Drain.Watch watch = drain.watchOrDefault();
    if (watch.http() != null) {
      return Optional.of(http);
    }
    if (watch.prometheus() != null) {
      return Optional.of(prometheus);
    }
    return Optional.empty();
  }

  /** How long between two counts: the watch's {@code interval}, or 2s for http and 5s for prometheus; empty for wait. */
  public static Optional<Duration> pollInterval(Drain drain) {
    Drain.Watch watch = drain.watchOrDefault();
    if (watch.http() != null) {
      return Optional.of(Durations.parse(watch.http().interval(), DEFAULT_HTTP_INTERVAL));
    }
    if (watch.prometheus() != null) {
      return Optional.of(Durations.parse(watch.prometheus().interval(), DEFAULT_PROMETHEUS_INTERVAL));
    }
    return Optional.empty();
  }
}
