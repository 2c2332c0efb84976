package dev.baton.devcluster;

import dev.baton.devcluster.apiserver.EmbeddedApiServer;
import dev.baton.devcluster.sim.SimulatedCluster;
import dev.baton.devcluster.sim.SimulationSettings;
import dev.baton.devcluster.validation.CrdSchemaValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Kubernetes in one process, for tests, benchmarks and {@code baton dev}: the API (fabric8's CRUD store
 * behind a kubectl-compatible front that validates custom resources like a real API server) plus the
 * simulated controllers (Deployments, ReplicaSets, kubelet, EndpointSlices). Binds loopback only.
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  private final EmbeddedApiServer apiServer;
  private final KubernetesClient client;
  private final SimulatedCluster cluster;

  private EmbeddedKubernetes(EmbeddedApiServer apiServer, KubernetesClient client, SimulatedCluster cluster) {
    this.apiServer = apiServer;
    this.client = client;
    this.cluster = cluster;
  }

  /** Starts on a free loopback port with the given simulation settings. */
  public static EmbeddedKubernetes start(SimulationSettings settings) {
    return start(0, settings);
  }

  /** Starts on the given loopback port (0: any free port). */
  public static EmbeddedKubernetes start(int port, SimulationSettings settings) {
    EmbeddedApiServer apiServer = EmbeddedApiServer.start("127.0.0.1", port);
    apiServer.setCustomResourceValidator(new CrdSchemaValidator());
    KubernetesClient client = apiServer.newClient();
    SimulatedCluster cluster = SimulatedCluster.start(client, settings);
    return new EmbeddedKubernetes(apiServer, client, cluster);
  }

  /** A client for this cluster, shared: do not close it. */
  public KubernetesClient client() {
    return client;
  }

  public EmbeddedApiServer apiServer() {
    return apiServer;
  }

  public SimulatedCluster cluster() {
    return cluster;
  }

  /** Writes a kubeconfig for kubectl and returns its path. */
  public Path writeKubeconfig(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, apiServer.kubeconfig());
    return file;
  }

  @Override
  public void close() {
    cluster.close();
    client.close();
    apiServer.close();
  }
}
