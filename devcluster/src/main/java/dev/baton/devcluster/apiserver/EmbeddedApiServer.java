package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.devcluster.validation.CustomResourceValidator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.util.List;

/**
 * An embedded Kubernetes API server for tests and dev mode: fabric8's CRUD mock store behind a front that behaves
 * like kube-apiserver where Baton, its tests and kubectl need it (discovery, tables, chunked and WebSocket watches
 * with resourceVersion semantics, strategic merge and apply patches, status and scale subresources, optimistic
 * locking, graceful deletion, garbage collection, CRD validation). See {@code docs/dev-cluster.md} for what it
 * does not do.
 *
 * <pre>{@code
 * try (EmbeddedApiServer api = EmbeddedApiServer.start("127.0.0.1", 0);
 *      KubernetesClient client = api.newClient()) { ... }
 * }</pre>
 */
public final class EmbeddedApiServer implements AutoCloseable {

  /** The namespaces every cluster starts with. */
  private static final List<String> INITIAL_NAMESPACES = List.of("default", "kube-system", "kube-public",
      "kube-node-lease");

  private final Store store;
  private final ApiFront front;
  private final GarbageCollector garbageCollector;
  private final HttpHost host;
  private final RequestLog requests = new RequestLog();
  private final String url;

  private EmbeddedApiServer(String bindHost, int port) {
    if (!isLoopback(bindHost)) {
      throw new IllegalArgumentException("the embedded API server binds loopback addresses only, not " + bindHost);
    }
    store = new Store();
    ResourceCatalog catalog = new ResourceCatalog(store);
    WatchHub watches = new WatchHub(store);
    front = new ApiFront(store, catalog, watches, bindHost + ":" + port);
    garbageCollector = new GarbageCollector(store, front);
    front.setGarbageCollector(garbageCollector);
    host = new HttpHost(front, requests);
    int actualPort = host.start(bindHost, port);
    url = "http://" + (bindHost.contains(":") ? "[" + bindHost + "]" : bindHost) + ":" + actualPort;
    createInitialNamespaces();
  }

  /**
   * Starts a server on {@code host} (a loopback address, e.g. {@code "127.0.0.1"}) and {@code port} (0 picks a free
   * one).
   */
  public static EmbeddedApiServer start(String host, int port) {
    return new EmbeddedApiServer(host, port);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** A fabric8 client (JDK HTTP client) for this server, namespace {@code default}. The caller closes it. */
  public KubernetesClient newClient() {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("default")
        .withTrustCerts(true)
        .withRequestRetryBackoffLimit(0)
        .build();
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  /** A kubeconfig for kubectl: cluster, user and context {@code baton-dev}, namespace {@code default}. */
  public String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: baton-dev
          cluster:
            server: %s
        users:
        - name: baton-dev
          user:
            token: baton-dev
        contexts:
        - name: baton-dev
          context:
            cluster: baton-dev
            user: baton-dev
            namespace: default
        current-context: baton-dev
        preferences: {}
        """.formatted(url);
  }

  /** Every request received so far (bounded to the last 100,000). */
  public RequestLog requests() {
    return requests;
  }

  /**
   * Sets the validator custom resources pass through on create, update and patch (main and status); {@code null}
   * stores them unvalidated.
   */
  public void setCustomResourceValidator(CustomResourceValidator validator) {
    front.setValidator(validator);
  }

  @Override
  public void close() {
    host.close();
    garbageCollector.close();
  }

  private void createInitialNamespaces() {
    for (String namespace : INITIAL_NAMESPACES) {
      ObjectNode object = Store.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
      object.putObject("metadata").put("name", namespace);
      ApiResponse response = front.handle(ApiRequest.of("POST", "/api/v1/namespaces", java.util.Map.of(),
          object.toString()));
      if (response.code() != 201) {
        throw new IllegalStateException("could not create namespace " + namespace + ": " + response.body());
      }
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
