package dev.baton.drain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Counts a pod's connections with a Prometheus instant query ({@code spec.drain.watch.prometheus}):
 * {@code GET <address>/api/v1/query?query=...} with {@code {{pod}}} and {@code {{namespace}}} replaced
 * (https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries). A scalar, or a vector of
 * exactly one sample, is the count; a fractional value is rounded up, so 0.2 connections is not "empty".
 *
 * <p><b>An empty vector is an unknown count, not 0.</b> While a pod is scraped, a gauge of its connections
 * reports 0 as a sample with value 0; no sample at all means the query matches nothing: a wrong metric or
 * label, a pod that was never scraped, or series that went stale. Reading that as "no connections" would let
 * a typo end every drain at once and reconnect all clients in the same second, the thing draining exists to
 * prevent; reading it as unknown only makes the drain last until {@code timeout}. A query whose metric
 * really disappears at zero can say so itself: {@code sum(ws_open{pod="{{pod}}"}) or vector(0)}.
 */
public final class PrometheusConnectionWatch implements ConnectionWatch {

  /** Shorter than the default 5s interval; Prometheus answers an instant query in milliseconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(4);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public PrometheusConnectionWatch(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public WatchResult connectionsLeft(Pod pod, Drain drain) {
    Drain.PrometheusWatch settings = drain.watchOrDefault().prometheus();
    if (settings == null) {
      throw new IllegalArgumentException("spec.drain.watch has no prometheus settings; ConnectionWatches picks the watch");
    }
    String query = query(settings.query(), pod);
    URI uri;
    try {
      uri = URI.create(settings.address().replaceAll("/+$", "") + "/api/v1/query?query="
          + URLEncoder.encode(query, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return WatchResult.unknown("spec.drain.watch.prometheus.address '" + settings.address() + "' is not a URL like"
          + " http://prometheus.monitoring:9090");
    }
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return WatchResult.unknown(HttpProblems.noAnswer("GET", uri, e, timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return WatchResult.unknown("GET " + uri + " was interrupted (Baton is stopping)");
    }
    return count(query, response.statusCode(), response.body());
  }

  /** The query for one pod: {@code {{pod}}} and {@code {{namespace}}} replaced by its name and namespace. */
  static String query(String template, Pod pod) {
    return template
        .replace("{{pod}}", pod.getMetadata().getName())
        .replace("{{namespace}}", pod.getMetadata().getNamespace());
  }

  private static WatchResult count(String query, int status, String body) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      return WatchResult.unknown("Prometheus answered HTTP " + status + " with something other than JSON: "
          + HttpProblems.excerpt(body));
    }
    // Errors come as {"status":"error","errorType":"bad_data","error":"..."} with HTTP 400, 422 or 503.
    if (!"success".equals(answer.path("status").asText())) {
      return WatchResult.unknown("Prometheus refused the query " + query + " (HTTP " + status + "): "
          + HttpProblems.excerpt(answer.path("error").asText(body)));
    }
    JsonNode data = answer.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "scalar" -> sampleValue(query, result);
      case "vector" -> {
        if (result.size() == 0) {
          yield WatchResult.unknown("the query " + query + " matched no series: if that means no connections,"
              + " append 'or vector(0)' to it; otherwise check the metric and labels");
        }
        if (result.size() > 1) {
          yield WatchResult.unknown("the query " + query + " returned " + result.size() + " series; aggregate it to one,"
              + " e.g. sum(...)");
        }
        yield sampleValue(query, result.get(0).path("value"));
      }
      default -> WatchResult.unknown("the query " + query + " returned a " + type + "; it must return a scalar or"
          + " a one-element vector");
    };
  }

  /** A sample is {@code [<unix time>, "<value>"]}; values are strings because they may be NaN or ±Inf. */
  private static WatchResult sampleValue(String query, JsonNode sample) {
    String text = sample.path(1).asText();
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return WatchResult.unknown("the query " + query + " returned '" + text + "', not a number");
    }
    if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
      return WatchResult.unknown("the query " + query + " returned " + text + ", not a connection count");
    }
    return WatchResult.count((long) Math.ceil(value));
  }
}
