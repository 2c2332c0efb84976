package dev.baton.traffic;

/**
 * Whether the data plane took a traffic split, as far as the cluster can tell.
 *
 * @param inForce true when the split is written and every gateway the route attaches to has processed it
 * @param message why not yet, for the Canary's message (empty when in force)
 */
public record Verification(boolean inForce, String message) {

  public static Verification verified() {
    return new Verification(true, "");
  }

  public static Verification pending(String message) {
    return new Verification(false, message);
  }
}
