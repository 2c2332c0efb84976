package dev.baton.drain;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Sentences for the status when an HTTP call to a pod or to Prometheus did not get a usable answer. */
final class HttpProblems {

  /** Enough of a response body to recognise an error page, short enough for a status message. */
  static final int EXCERPT_LENGTH = 200;

  private HttpProblems() {}

  /** What went wrong with a call that got no answer at all. */
  static String noAnswer(String method, URI uri, IOException e, Duration timeout) {
    // The JDK client reports a refused connection as a ConnectException with a null message, sometimes
    // wrapped; a connect timeout is a subclass of HttpTimeoutException, so it is checked first.
    if (e instanceof HttpConnectTimeoutException) {
      return method + " " + uri + " could not connect within the connect timeout";
    }
    if (e instanceof HttpTimeoutException) {
      return method + " " + uri + " got no answer within " + duration(timeout);
    }
    if (causedBy(e, ConnectException.class)) {
      return method + " " + uri + " failed: connection refused (is the app listening on that port?)";
    }
    return method + " " + uri + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  /** What went wrong with a call that got an unexpected status. */
  static String badStatus(String method, URI uri, int status, String body) {
    String excerpt = excerpt(body);
    return method + " " + uri + " answered HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
  }

  /** The start of {@code text}, on one line. */
  static String excerpt(String text) {
    if (text == null) {
      return "";
    }
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= EXCERPT_LENGTH ? line : line.substring(0, EXCERPT_LENGTH) + "…";
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 5s}, or {@code 500ms} for a duration that is not whole seconds. */
  static String duration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
