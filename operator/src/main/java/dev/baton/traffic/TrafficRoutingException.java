package dev.baton.traffic;

/**
 * A traffic split cannot be written for a reason the user must fix (a missing HTTPRoute, a rule without the
 * stable backendRef, a port that does not match). The message is advice, for the Application's {@code Ready=False}
 * condition with reason {@link RouteEdit.Problem#REASON}; retrying without a change to the route or the
 * Application will not help.
 */
public final class TrafficRoutingException extends RuntimeException {

  public TrafficRoutingException(String message) {
    super(message);
  }

  public String reason() {
    return RouteEdit.Problem.REASON;
  }
}
