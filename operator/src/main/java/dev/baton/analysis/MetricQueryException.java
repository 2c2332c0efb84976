package dev.baton.analysis;

/**
 * A query that gave no value to judge: unreachable server, HTTP error, a body that is not what the
 * provider expects, or the server's own error (Prometheus' {@code "status": "error"}). The message is
 * shown to the user as the measurement's message, so it says what went wrong and where.
 */
public class MetricQueryException extends Exception {

  public MetricQueryException(String message) {
    super(message);
  }

  public MetricQueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
