package dev.baton.ha;

import dev.baton.BatonOperator;
import dev.baton.devcluster.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replica of the Baton Deployment, as in production: its own client (its own connections and watches), its own
 * identity, and leader election on the shared Lease. Killing it stops the operator and closes its client without
 * releasing the Lease, as when a pod dies: the others must wait for the Lease to expire.
 */
final class OperatorReplica implements AutoCloseable {

  /**
   * How long a Lease lasts without renewal, how long the holder keeps trying to renew it, and how often every
   * replica tries.
   */
  record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    /** JOSDK's defaults, which {@code baton run} uses: no renewal stall of a loaded test machine moves the Lease. */
    static final LeaseTimings STEADY = new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofSeconds(2));
    /**
     * Short enough that a failover takes seconds, long enough that a busy 2-core machine (load 12 seen) does not
     * stall a renewal past the deadline: 2s / 1.5s was seen to move the Lease between two live replicas.
     */
    static final LeaseTimings FAST = new LeaseTimings(Duration.ofSeconds(4), Duration.ofSeconds(3),
        Duration.ofMillis(300));
  }

  private final String identity;
  private final KubernetesClient client;
  private final BatonOperator operator;
  private final AtomicLong reconciles = new AtomicLong();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicInteger leaderships = new AtomicInteger();
  private final AtomicBoolean killed = new AtomicBoolean();

  private OperatorReplica(EmbeddedKubernetes kubernetes, String identity, String leaseName, String leaseNamespace,
      String watchNamespace, LeaseTimings timings) {
    this.identity = identity;
    this.client = kubernetes.apiServer().newClient();
    LeaderElectionConfiguration election = new LeaderElectionConfiguration(leaseName, leaseNamespace,
        timings.leaseDuration(), timings.renewDeadline(), timings.retryPeriod(), identity,
        new LeaderCallbacks(this::startedLeading, () -> leading.set(false), newLeader -> {}),
        // In a test, losing the Lease must not System.exit the JVM. Note that JOSDK then keeps reconciling.
        false);
    BatonOperator.Settings settings = BatonOperator.Settings.defaults()
        .withWatchNamespace(watchNamespace)
        .withLeaderElection(election)
        .withListener(app -> reconciles.incrementAndGet());
    this.operator = BatonOperator.create(client, settings);
  }

  /** Starts a replica that competes for the Lease {@code leaseNamespace/leaseName} and watches one namespace. */
  static OperatorReplica start(EmbeddedKubernetes kubernetes, String identity, String leaseName, String leaseNamespace,
      String watchNamespace, LeaseTimings timings) {
    OperatorReplica replica = new OperatorReplica(kubernetes, identity, leaseName, leaseNamespace, watchNamespace,
        timings);
    replica.operator.start();
    return replica;
  }

  String identity() {
    return identity;
  }

  /** Reconciles this replica started. */
  long reconciles() {
    return reconciles.get();
  }

  private void startedLeading() {
    leaderships.incrementAndGet();
    leading.set(true);
  }

  /** How many times this replica acquired the Lease. */
  int leaderships() {
    return leaderships.get();
  }

  /** Whether leader election told this replica it leads (and has not told it since that it stopped). */
  boolean isLeading() {
    return leading.get() && !killed.get();
  }

  /** The pod dies: the operator stops, its connections close, the Lease is not released. */
  void kill() {
    if (killed.compareAndSet(false, true)) {
      operator.close();
      client.close();
    }
  }

  @Override
  public void close() {
    kill();
  }

  @Override
  public String toString() {
    return identity;
  }
}
