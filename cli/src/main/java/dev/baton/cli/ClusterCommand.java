package dev.baton.cli;

import dev.baton.api.Crds;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.SimulationSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton cluster}: the embedded Kubernetes alone, with Baton's CRDs installed, for kubectl. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Start the embedded Kubernetes (API + simulated controllers) without the operator.")
final class ClusterCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "0", description = "API port on 127.0.0.1 (default: any free port).")
  int port;

  @Option(names = "--kubeconfig", defaultValue = ".baton/kubeconfig", description = "Where to write the kubeconfig (default: ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Override
  public Integer call() throws Exception {
    UntilStopped lifetime = new UntilStopped();
    EmbeddedKubernetes kubernetes = lifetime.closeOnStop(EmbeddedKubernetes.start(port, SimulationSettings.forDevMode()));
    Crds.install(kubernetes.client());
    Path written = kubernetes.writeKubeconfig(kubeconfig).toAbsolutePath();
    System.out.println("Embedded Kubernetes at " + kubernetes.apiServer().url() + " (Ctrl-C stops it)");
    System.out.println("  export KUBECONFIG=" + written);
    System.out.println("  kubectl get all");
    lifetime.await();
    return 0;
  }
}
