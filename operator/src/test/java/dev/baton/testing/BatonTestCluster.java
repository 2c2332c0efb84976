package dev.baton.testing;

import static org.awaitility.Awaitility.await;

import dev.baton.BatonOperator;
import dev.baton.api.Application;
import dev.baton.api.Crds;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.Kubelet;
import dev.baton.devcluster.sim.SimulationSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded Kubernetes (API + simulated cluster) and one Baton operator per test class, registered
 * with {@code @RegisterExtension static}. Tests isolate themselves by namespace ({@link #newNamespace}),
 * since start-up costs seconds and a reconcile milliseconds.
 */
public final class BatonTestCluster implements BeforeAllCallback, AfterAllCallback {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final Duration resync;
  private final ConcurrentHashMap<String, AtomicLong> reconciles = new ConcurrentHashMap<>();
  private EmbeddedKubernetes kubernetes;
  private BatonOperator.Settings settings;
  private BatonOperator operator;

  private BatonTestCluster(Duration resync) {
    this.resync = resync;
  }

  /** The default: no periodic resync, reconciles come from events. */
  public static BatonTestCluster create() {
    return new BatonTestCluster(null);
  }

  /** With a resync at least this often, for tests about what a reconcile without changes does. */
  public static BatonTestCluster withResyncEvery(Duration resync) {
    return new BatonTestCluster(resync);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    kubernetes = EmbeddedKubernetes.start(SimulationSettings.forTests());
    Crds.install(kubernetes.client());
    settings = BatonOperator.Settings.defaults()
        .withListener(app -> reconciles.computeIfAbsent(key(app), k -> new AtomicLong()).incrementAndGet());
    if (resync != null) {
      settings = settings.withMaxReconcileInterval(resync);
    }
    startOperator();
  }

  /**
   * Stops the operator, as a crashed or redeployed pod would be: the cluster and everything in it stay.
   * Until {@link #startOperator()} nothing reconciles.
   */
  public synchronized void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** Starts a new operator instance on the same cluster: it knows only what the cluster tells it. */
  public synchronized void startOperator() {
    if (operator == null) {
      operator = BatonOperator.create(kubernetes.client(), settings).start();
    }
  }

  /** Stops the operator and starts a new one on the same cluster. */
  public void restartOperator() {
    stopOperator();
    startOperator();
  }

  /** The simulated kubelet, to make images start slowly, never get ready or crash. */
  public Kubelet kubelet() {
    return kubernetes.cluster().kubelet();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopOperator();
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  public KubernetesClient client() {
    return kubernetes.client();
  }

  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  /** A fresh namespace for one test. */
  public String newNamespace(String prefix) {
    String name = prefix.toLowerCase(Locale.ROOT) + "-" + NAMESPACES.incrementAndGet();
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  /** How many reconciles of this Application the operator has started. */
  public long reconcilesOf(String namespace, String name) {
    AtomicLong count = reconciles.get(namespace + "/" + name);
    return count == null ? 0 : count.get();
  }

  public Application application(String namespace, String name) {
    return client().resources(Application.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until the Application's condition has the given status, and returns it. */
  public Condition awaitCondition(String namespace, String name, String type, String status) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> {
      Application app = application(namespace, name);
      return app == null || app.getStatus() == null ? null : app.getStatus().condition(type)
          .filter(c -> status.equals(c.getStatus())).orElse(null);
    }, java.util.Objects::nonNull);
  }

  private static String key(Application app) {
    return app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
  }
}
