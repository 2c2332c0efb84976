package dev.baton.cli;

import dev.baton.BatonOperator;
import dev.baton.metrics.OperatorEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton run}: the operator against the cluster of the current kubeconfig, or the in-cluster
 * service account. What the Helm chart's Deployment runs.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the operator against a real cluster (kubeconfig or in-cluster service account).")
final class RunCommand implements Callable<Integer> {

  @Option(names = "--namespace", description = "Watch only this namespace (default: all namespaces).")
  String namespace;

  @Option(names = "--endpoints-port", defaultValue = "8080",
      description = "Port of /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE}).")
  int endpointsPort;

  @Option(names = "--leader-election", negatable = true, defaultValue = "true",
      description = "Hold the Lease baton-operator before reconciling, so several replicas run safely (default: ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(names = "--lease-namespace", description = "Namespace of the leader-election Lease (default: the pod's namespace).")
  String leaseNamespace;

  @Override
  public Integer call() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BatonOperator.Settings settings = BatonOperator.Settings.defaults().withMeterRegistry(registry);
    if (namespace != null) {
      settings = settings.withWatchNamespace(namespace);
    }
    if (leaderElection) {
      settings = settings.withLeaderElection(leaseNamespace == null
          ? new LeaderElectionConfiguration("baton-operator")
          : new LeaderElectionConfiguration("baton-operator", leaseNamespace));
    }
    UntilStopped lifetime = new UntilStopped();
    KubernetesClient client = lifetime.closeOnStop(new KubernetesClientBuilder().build());
    BatonOperator operator = lifetime.closeOnStop(BatonOperator.create(client, settings));
    lifetime.closeOnStop(OperatorEndpoints.start(new InetSocketAddress(endpointsPort), operator::isReady, registry));
    operator.start();
    lifetime.await();
    return 0;
  }
}
