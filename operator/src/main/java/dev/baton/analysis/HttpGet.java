package dev.baton.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** One GET with a timeout, its failures turned into messages a user can act on. */
final class HttpGet {

  /** Long enough for a slow Prometheus query, short enough not to hold a reconcile for long. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final int SNIPPET = 200;

  private HttpGet() {}

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  static HttpResponse<String> get(HttpClient http, URI uri) throws MetricQueryException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Accept", "application/json")
        .GET()
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new MetricQueryException("GET " + uri + " did not answer within " + TIMEOUT.toSeconds() + "s", e);
    } catch (IOException e) {
      throw new MetricQueryException("GET " + uri + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricQueryException("GET " + uri + " was interrupted", e);
    }
  }

  /** The start of a body, for messages: enough to recognise an HTML error page or a proxy's answer. */
  static String snippet(String body) {
    String oneLine = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= SNIPPET ? oneLine : oneLine.substring(0, SNIPPET) + "…";
  }

  /** {@code ConnectException} often has a null message; its class name then says what happened. */
  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      Throwable cause = e.getCause();
      message = cause != null && cause.getMessage() != null ? cause.getMessage() : "";
    }
    String kind = e.getClass().getSimpleName();
    return message.isBlank() ? kind : kind + ": " + message;
  }
}
