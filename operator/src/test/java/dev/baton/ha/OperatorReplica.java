package dev.baton.ha;

import dev.baton.BatonOperator;
import dev.baton.devcluster.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replica of the Baton Deployment, as in production: its own client (its own connections and watches), its own
 * identity, and leader election on the shared Lease. Killing it stops the operator and closes its client without
 * releasing the Lease, as when a pod dies: the others must wait for the Lease to expire.
 */
final class OperatorReplica implements AutoCloseable {

  /** Short timings so a failover takes seconds: the Lease expires 2s after the last renewal. */
  static final Duration LEASE_DURATION = Duration.ofSeconds(2);
  static final Duration RENEW_DEADLINE = Duration.ofMillis(1500);
  static final Duration RETRY_PERIOD = Duration.ofMillis(300);

  private final String identity;
  private final KubernetesClient client;
  private final BatonOperator operator;
  private final AtomicLong reconciles = new AtomicLong();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean killed = new AtomicBoolean();

  private OperatorReplica(EmbeddedKubernetes kubernetes, String identity, String leaseName, String leaseNamespace,
      String watchNamespace) {
    this.identity = identity;
    this.client = kubernetes.apiServer().newClient();
    LeaderElectionConfiguration election = new LeaderElectionConfiguration(leaseName, leaseNamespace,
        LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD, identity,
        new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), newLeader -> {}),
        false);
    BatonOperator.Settings settings = BatonOperator.Settings.defaults()
        .withWatchNamespace(watchNamespace)
        .withLeaderElection(election)
        .withListener(app -> reconciles.incrementAndGet());
    this.operator = BatonOperator.create(client, settings);
  }

  /** Starts a replica that competes for the Lease {@code leaseNamespace/leaseName} and watches one namespace. */
  static OperatorReplica start(EmbeddedKubernetes kubernetes, String identity, String leaseName, String leaseNamespace,
      String watchNamespace) {
    OperatorReplica replica = new OperatorReplica(kubernetes, identity, leaseName, leaseNamespace, watchNamespace);
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
