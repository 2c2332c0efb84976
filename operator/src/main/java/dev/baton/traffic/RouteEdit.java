package dev.baton.traffic;

/**
 * What it takes to put a traffic split in force on a route, judged from the route as observed: nothing, one
 * patch, or a problem only the user can fix.
 */
public sealed interface RouteEdit {

  /** The route already says what Baton wants: no write. */
  record InForce() implements RouteEdit {}

  /** One JSON patch, guarded by the resourceVersion it was computed from. */
  record Patch(JsonPatch patch) implements RouteEdit {}

  /**
   * The route cannot carry the split as it stands; the message says what to change, for the Application's
   * {@code Ready=False} condition with reason {@link #REASON}.
   */
  record Problem(String message) implements RouteEdit {
    public static final String REASON = "TrafficRoutingError";
  }
}
