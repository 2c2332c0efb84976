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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded Kubernetes (API + simulated cluster) and one Baton operator per test class, registered
 * with {@code @RegisterExtension static}. Tests isolate themselves by namespace ({@link #newNamespace}),
 * since start-up costs seconds and a reconcile milliseconds.
 *
 * <p>Every test runs under {@link DrainInvariants}: a test fails if, in a namespace it created, a pod that served
 * was removed before its drain finished or a pod started to drain while no pod that stays was Ready. Violations
 * seen after their test ended fail the class.
 */
public final class BatonTestCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final Duration resync;
  private final ConcurrentHashMap<String, AtomicLong> reconciles = new ConcurrentHashMap<>();
  private EmbeddedKubernetes kubernetes;
  private BatonOperator.Settings settings;
  private BatonOperator operator;
  private DrainInvariants invariants;
  /** The namespaces each running test created, by test; tests may run concurrently, each on its own thread. */
  private final ConcurrentHashMap<String, Set<String>> namespacesByTest = new ConcurrentHashMap<>();
  private final ThreadLocal<String> currentTest = new ThreadLocal<>();

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
    invariants = DrainInvariants.watch(kubernetes.client());
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
  public void beforeEach(ExtensionContext context) {
    currentTest.set(context.getUniqueId());
    namespacesByTest.put(context.getUniqueId(), ConcurrentHashMap.newKeySet());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    currentTest.remove();
    Set<String> namespaces = namespacesByTest.remove(context.getUniqueId());
    List<DrainInvariants.Violation> seen = invariants.take(namespaces == null ? Set.of() : namespaces);
    if (!seen.isEmpty()) {
      throw new AssertionError(report("Drain invariants broken during this test", seen));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<DrainInvariants.Violation> late = invariants == null ? List.of() : invariants.takeAll();
    if (invariants != null) {
      invariants.close();
    }
    stopOperator();
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (!late.isEmpty()) {
      throw new AssertionError(report("Drain invariants broken outside a test (after it ended, or in a namespace no test created)", late));
    }
  }

  /** The drain invariant checker, for a test that breaks an invariant on purpose and takes what it expects. */
  public DrainInvariants invariants() {
    return invariants;
  }

  private static String report(String title, List<DrainInvariants.Violation> violations) {
    StringBuilder s = new StringBuilder(title).append(" (").append(violations.size()).append("):");
    violations.forEach(v -> s.append("\n  - ").append(v));
    return s.toString();
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
    String test = currentTest.get();
    if (test != null && namespacesByTest.containsKey(test)) {
      namespacesByTest.get(test).add(name);
    }
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
    // Generous: classes run tests concurrently on a 2-core CI machine; a condition that holds comes in seconds.
    return await().atMost(Duration.ofSeconds(120)).until(() -> {
      Application app = application(namespace, name);
      return app == null || app.getStatus() == null ? null : app.getStatus().condition(type)
          .filter(c -> status.equals(c.getStatus())).orElse(null);
    }, java.util.Objects::nonNull);
  }

  private static String key(Application app) {
    return app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
  }
}
