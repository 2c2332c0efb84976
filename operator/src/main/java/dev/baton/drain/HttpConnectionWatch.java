package dev.baton.drain;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the pod how many connections it still holds ({@code spec.drain.watch.http}):
 * {@code GET http://<podIP>:<port><path>}, answered with a plain number ({@code 42}), or with JSON and the
 * count at {@code jsonPointer} (RFC 6901, e.g. {@code /connections/open}). Anything else is an unknown count.
 */
public final class HttpConnectionWatch implements ConnectionWatch {

  /** Shorter than the default 2s poll interval, so a slow pod does not pile up requests. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public HttpConnectionWatch(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public WatchResult connectionsLeft(Pod pod, Drain drain) {
    Drain.HttpWatch settings = drain.watchOrDefault().http();
    if (settings == null) {
      throw new IllegalArgumentException("spec.drain.watch has no http settings; ConnectionWatches picks the watch");
    }
    URI uri;
    try {
      uri = PodUrl.of(pod, settings.port(), settings.path());
    } catch (PodUrl.Unresolvable e) {
      return WatchResult.unknown("spec.drain.watch.http: " + e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return WatchResult.unknown(HttpProblems.noAnswer("GET", uri, e, timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return WatchResult.unknown("GET " + uri + " was interrupted (Baton is stopping)");
    }
    if (response.statusCode() / 100 != 2) {
      return WatchResult.unknown(HttpProblems.badStatus("GET", uri, response.statusCode(), response.body()));
    }
    return settings.jsonPointer() == null || settings.jsonPointer().isEmpty()
        ? plainCount(uri, response.body())
        : jsonCount(uri, response.body(), settings.jsonPointer());
  }

  private static WatchResult plainCount(URI uri, String body) {
    String text = body.strip();
    try {
      long count = Long.parseLong(text);
      if (count >= 0) {
        return WatchResult.count(count);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    return WatchResult.unknown("GET " + uri + " answered '" + HttpProblems.excerpt(text) + "', not a connection count;"
        + " answer a plain number, or JSON and set spec.drain.watch.http.jsonPointer");
  }

  private static WatchResult jsonCount(URI uri, String body, String pointer) {
    JsonPointer at;
    try {
      at = JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      return WatchResult.unknown("spec.drain.watch.http.jsonPointer '" + pointer + "' is not a JSON pointer; write it"
          + " like /connections or /stats/open");
    }
    JsonNode value;
    try {
      value = JSON.readTree(body).at(at);
    } catch (IOException e) {
      return WatchResult.unknown("GET " + uri + " answered '" + HttpProblems.excerpt(body) + "', which is not JSON");
    }
    // A count is a whole, non-negative number; a numeric string is accepted too, as some exporters quote numbers.
    if (value.isIntegralNumber() && value.asLong() >= 0) {
      return WatchResult.count(value.asLong());
    }
    if (value.isTextual() && value.asText().matches("[0-9]{1,18}")) {
      return WatchResult.count(Long.parseLong(value.asText()));
    }
    return WatchResult.unknown("GET " + uri + " answered JSON without a connection count at " + pointer
        + (value.isMissingNode() ? "" : " (found " + HttpProblems.excerpt(value.toString()) + ")"));
  }
}
