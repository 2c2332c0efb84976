package dev.baton;

import dev.baton.metrics.BatonMetrics;
import dev.baton.reconciler.ApplicationReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Baton's operator: the Java Operator SDK with Baton's reconcilers registered. One place builds it, for
 * the real cluster ({@code baton run}), dev mode and the tests alike.
 */
public final class BatonOperator implements AutoCloseable {

  private final Operator operator;

  private BatonOperator(Operator operator) {
    this.operator = operator;
  }

  /**
   * @param client the client to the cluster
   * @param settings how this instance runs
   */
  public static BatonOperator create(KubernetesClient client, Settings settings) {
    BatonMetrics metrics = new BatonMetrics(settings.meterRegistry());
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // Without per-resource meters: at 10,000 Applications they would be 10,000 time series each.
          // Baton's hook around them counts and times every reconcile and forgets deleted Applications' gauges.
          .withMetrics(metrics.around(MicrometerMetrics.withoutPerResourceMetrics(settings.meterRegistry())))
          .withCloseClientOnStop(false)
          // Create, JSON merge patch and JSON patch only: see ActionExecutor for why not server-side apply.
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withConcurrentReconciliationThreads(settings.reconcileThreads());
      settings.leaderElection().ifPresent(o::withLeaderElectionConfiguration);
    });
    operator.register(new ApplicationReconciler(settings.clock(), settings.listener(), metrics), c -> {
      settings.watchNamespace().ifPresent(c::settingNamespace);
      settings.maxReconcileInterval().ifPresent(c::withReconciliationMaxInterval);
    });
    return new BatonOperator(operator);
  }

  public BatonOperator start() {
    operator.start();
    return this;
  }

  /** Whether the operator started and every informer is healthy: the readiness probe. */
  public boolean isReady() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
  }

  /**
   * How an operator instance runs.
   *
   * @param clock the clock plans are made with
   * @param reconcileThreads how many Applications are reconciled at once
   * @param watchNamespace one namespace to watch, or all
   * @param maxReconcileInterval resync period: a reconcile at least this often even without events
   * @param leaderElection the Lease to hold before reconciling, for more than one replica
   * @param listener told of every reconcile (metrics, tests)
   * @param meterRegistry where the operator's metrics go
   */
  public record Settings(
      Clock clock,
      int reconcileThreads,
      Optional<String> watchNamespace,
      Optional<Duration> maxReconcileInterval,
      Optional<LeaderElectionConfiguration> leaderElection,
      ApplicationReconciler.ReconcileListener listener,
      MeterRegistry meterRegistry) {

    public static Settings defaults() {
      return new Settings(Clock.systemUTC(), 10, Optional.empty(), Optional.empty(), Optional.empty(),
          ApplicationReconciler.ReconcileListener.NONE, new SimpleMeterRegistry());
    }

    public Settings withListener(ApplicationReconciler.ReconcileListener listener) {
      return new Settings(clock, reconcileThreads, watchNamespace, maxReconcileInterval, leaderElection, listener,
          meterRegistry);
    }

    public Settings withMaxReconcileInterval(Duration interval) {
      return new Settings(clock, reconcileThreads, watchNamespace, Optional.of(interval), leaderElection, listener,
          meterRegistry);
    }

    public Settings withLeaderElection(LeaderElectionConfiguration config) {
      return new Settings(clock, reconcileThreads, watchNamespace, maxReconcileInterval, Optional.of(config), listener,
          meterRegistry);
    }

    public Settings withWatchNamespace(String namespace) {
      return new Settings(clock, reconcileThreads, Optional.of(namespace), maxReconcileInterval, leaderElection, listener,
          meterRegistry);
    }

    public Settings withMeterRegistry(MeterRegistry registry) {
      return new Settings(clock, reconcileThreads, watchNamespace, maxReconcileInterval, leaderElection, listener,
          registry);
    }
  }
}
