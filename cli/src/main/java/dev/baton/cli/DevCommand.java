package dev.baton.cli;

import dev.baton.BatonOperator;
import dev.baton.api.Crds;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.SimulationSettings;
import dev.baton.metrics.OperatorEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton dev}: Baton's main job with no cluster at hand. Starts the embedded Kubernetes, installs
 * the CRDs, starts the operator, applies the quick start and prints what happens, until Ctrl-C.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
    description = "Run Baton on the embedded simulated cluster, apply the quick start and show what happens.")
final class DevCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "0", description = "API port on 127.0.0.1 (default: any free port).")
  int port;

  @Option(names = "--kubeconfig", defaultValue = ".baton/kubeconfig", description = "Where to write the kubeconfig (default: ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Option(names = "--apply", defaultValue = "examples/quickstart.yaml",
      description = "YAML to apply once the operator runs (default: ${DEFAULT-VALUE}); --apply= applies nothing.")
  String apply;

  @Option(names = "--endpoints-port", defaultValue = "0", description = "Port of /healthz, /readyz, /metrics (default: any free port).")
  int endpointsPort;

  @Override
  public Integer call() throws Exception {
    UntilStopped lifetime = new UntilStopped();
    EmbeddedKubernetes kubernetes = lifetime.closeOnStop(EmbeddedKubernetes.start(port, SimulationSettings.forDevMode()));
    KubernetesClient client = kubernetes.client();
    Crds.install(client);
    Path written = kubernetes.writeKubeconfig(kubeconfig).toAbsolutePath();

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BatonOperator operator = lifetime.closeOnStop(
        BatonOperator.create(client, BatonOperator.Settings.defaults().withMeterRegistry(registry)));
    operator.start();
    OperatorEndpoints endpoints = lifetime.closeOnStop(OperatorEndpoints.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), endpointsPort), operator::isReady, registry));
    DevConsole console = lifetime.closeOnStop(new DevConsole(client, System.out).start());

    System.out.println();
    System.out.println("Baton dev mode: embedded Kubernetes at " + kubernetes.apiServer().url()
        + ", metrics at http://127.0.0.1:" + endpoints.port() + "/metrics (Ctrl-C stops everything)");
    System.out.println("In another terminal:");
    System.out.println("  export KUBECONFIG=" + written);
    System.out.println("  kubectl get applications,deployments,pods");
    System.out.println("  kubectl patch application chat --type merge -p '{\"spec\":{\"replicas\":5}}'");
    System.out.println();
    if (!apply.isBlank()) {
      applyFile(client, Path.of(apply), console);
    }
    lifetime.await();
    return 0;
  }

  private static void applyFile(KubernetesClient client, Path file, DevConsole console) throws Exception {
    if (!Files.exists(file)) {
      console.print("apply", file.toString(), "not found, nothing applied");
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      for (var item : client.load(in).items()) {
        client.resource(item).createOr(NonDeletingOperation::update);
      }
    }
    console.print("apply", file.toString(), "applied");
  }
}
