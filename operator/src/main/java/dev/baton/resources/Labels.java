package dev.baton.resources;

import java.util.Map;

/**
 * The labels and annotations Baton puts on what it manages.
 *
 * <p>The serving label is the heart of draining: it is in the Services' selectors but <em>not</em> in the
 * Deployment's selector, so flipping it on a pod takes the pod out of load balancing without the
 * ReplicaSet noticing. Had it been in the ReplicaSet's selector, the ReplicaSet would orphan the pod and
 * start a replacement ({@code claimPods} in the ReplicaSet controller).
 */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_BATON = "baton";

  /** The Application a pool, Service or pod belongs to. */
  public static final String APPLICATION = "baton.dev/application";
  /** The version of the pool a Deployment or pod belongs to. */
  public static final String POOL_VERSION = "baton.dev/version";
  /** "true" while the pod may receive traffic; set to "false" when its drain starts. */
  public static final String SERVING = "baton.dev/serving";

  /** On a pool's pod template: the hash of the template Baton wrote, to see a change without comparing defaulted fields. */
  public static final String TEMPLATE_HASH_ANNOTATION = "baton.dev/template-hash";

  /**
   * On a pod of a pool retired whole: when Baton took it out of the Services ahead of its drain (RFC 3339), so
   * that the clients of the pods drained before it cannot reconnect to it. Removed if the pod goes back into the
   * Services before its drain started (its pool is kept again).
   */
  public static final String DRAIN_ISOLATED_ANNOTATION = "baton.dev/drain-isolated-at";
  /** On a pod: when its drain started (RFC 3339); the drain's timeout counts from here. */
  public static final String DRAIN_STARTED_ANNOTATION = "baton.dev/drain-started-at";
  /** On a pod: when the drain signal first succeeded (RFC 3339). */
  public static final String DRAIN_SIGNALLED_ANNOTATION = "baton.dev/drain-signalled-at";
  /** On a pod: how many signal attempts failed so far, for the retry backoff. */
  public static final String DRAIN_SIGNAL_FAILURES_ANNOTATION = "baton.dev/drain-signal-failures";
  /** On a pod: when the last signal attempt failed (RFC 3339). */
  public static final String DRAIN_SIGNAL_FAILED_ANNOTATION = "baton.dev/drain-signal-failed-at";
  /** On a pod: why and when its drain ended ("Empty 2026-…"); the pod may now be removed. */
  public static final String DRAIN_FINISHED_ANNOTATION = "baton.dev/drain-finished";
  /**
   * The ReplicaSet controller removes pods with a lower cost first (after unready ones):
   * https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-deletion-cost
   */
  public static final String POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
  /**
   * The cost an isolated pod gets (out of the Services, its drain not started): below any serving pod's, above a
   * draining pod's. Any scale-down, Baton's or someone else's, then takes the pod with the fewest clients to cut:
   * drained, then draining (its clients are leaving), then isolated (it holds its clients but gets no new ones),
   * serving last. Baton's own replica counts never remove a pod before its drain finished; the order matters when
   * the ReplicaSet's cache lags behind the last cost written (kubernetes#126138), or a person scales the pool.
   */
  public static final String ISOLATED_POD_DELETION_COST = "-500000";
  /** The cost a draining pod gets when its drain starts: below any serving or isolated pod's. */
  public static final String DRAINING_POD_DELETION_COST = "-1000000";
  /** The cost a drained pod gets: below a draining pod's, so a scale-down takes it and not one still draining. */
  public static final String DRAINED_POD_DELETION_COST = "-2000000";

  /** The label selector of every informer Baton runs: only what Baton manages, so memory follows Baton's objects. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_BATON;

  /** Prefix reserved for Baton in pod template labels. */
  public static final String RESERVED_PREFIX = "baton.dev/";

  private Labels() {}

  /** Labels of everything that belongs to an application as a whole (its Services). */
  public static Map<String, String> forApplication(String application) {
    return Map.of(NAME, application, MANAGED_BY, MANAGED_BY_BATON, APPLICATION, application);
  }

  /** Labels of one version's pool (its Deployment and PodDisruptionBudget). */
  public static Map<String, String> forPool(String application, String version) {
    return Map.of(
        NAME, application,
        VERSION, version,
        MANAGED_BY, MANAGED_BY_BATON,
        APPLICATION, application,
        POOL_VERSION, version);
  }

  /** The Deployment's selector: application and version, never the serving label. */
  public static Map<String, String> poolSelector(String application, String version) {
    return Map.of(APPLICATION, application, POOL_VERSION, version);
  }

  /** The stable Service's selector: every serving pod of the application, whatever its version. */
  public static Map<String, String> servingSelector(String application) {
    return Map.of(APPLICATION, application, SERVING, "true");
  }

  /** The serving pods of one version: what the router Services and a blue-green Service select. */
  public static Map<String, String> servingSelector(String application, String version) {
    return Map.of(APPLICATION, application, POOL_VERSION, version, SERVING, "true");
  }
}
