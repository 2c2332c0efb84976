package dev.baton.ha;

import static dev.baton.testing.Applications.chat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Canary;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.api.CanaryStrategy;
import dev.baton.api.Crds;
import dev.baton.api.Drain;
import dev.baton.api.Strategy;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.SimulationSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * One embedded Kubernetes per test class and Baton replicas per test, each test in its own namespace with its own
 * Lease. Replicas and informers a test starts are closed after it.
 */
abstract class HaFixture {

  static final String LEASE = "baton-operator";
  static final String V1 = "registry.example.com/chat:1.0.0";
  static final String V2 = "registry.example.com/chat:2.0.0";
  static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  static EmbeddedKubernetes kubernetes;

  final List<OperatorReplica> replicas = new ArrayList<>();
  final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  @BeforeAll
  static void startKubernetes() {
    kubernetes = EmbeddedKubernetes.start(SimulationSettings.forTests());
    Crds.install(kubernetes.client());
  }

  @AfterAll
  static void stopKubernetes() {
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @AfterEach
  void stopReplicasAndInformers() {
    informers.forEach(SharedIndexInformer::close);
    replicas.forEach(OperatorReplica::close);
  }

  /** The test's own client, shared: not one of the replicas'. */
  static KubernetesClient client() {
    return kubernetes.client();
  }

  static String newNamespace(String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet();
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  /** A replica watching {@code ns} and holding (or waiting for) the Lease baton-operator in the same namespace. */
  OperatorReplica replica(String identity, String ns, OperatorReplica.LeaseTimings timings) {
    OperatorReplica replica = OperatorReplica.start(kubernetes, identity, LEASE, ns, ns, timings);
    replicas.add(replica);
    return replica;
  }

  /** The one replica that leads, or null while none or both think they do. */
  static OperatorReplica leader(OperatorReplica a, OperatorReplica b) {
    if (a.isLeading() == b.isLeading()) {
      return null;
    }
    return a.isLeading() ? a : b;
  }

  /** {@code spec.holderIdentity} of the Lease coordination.k8s.io/v1 baton-operator in {@code ns}. */
  static String holderOf(String ns) {
    Lease lease = client().resources(Lease.class).inNamespace(ns).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  static void awaitReady(String ns) {
    await().atMost(PATIENCE).until(() -> {
      Application app = client().resources(Application.class).inNamespace(ns).withName("chat").get();
      return app != null && app.getStatus() != null
          && app.getStatus().condition("Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    });
  }

  /** The Canary of the one release in {@code ns}. */
  static Canary canary(String ns) {
    return client().resources(Canary.class).inNamespace(ns).list().getItems().stream().findFirst().orElse(null);
  }

  static CanaryStatus status(String ns) {
    Canary canary = canary(ns);
    return canary == null ? null : canary.getStatus();
  }

  /** chat at v1 on 3 replicas, steps setWeight 34, pause 2s, setWeight 67, pause until promoted; fast drains. */
  static Application steppedChat(String ns) {
    return withStrategy(chat(ns, V1, 3), new Strategy(new CanaryStrategy(List.of(
        CanaryStep.setWeight(34), CanaryStep.pause("2s"), CanaryStep.setWeight(67), CanaryStep.pause(null)), null),
        null, null, null));
  }

  /** Pods drain at once: no endpoint delay, a wait watch of 0s, all 3 together. */
  static Application withStrategy(Application app, Strategy strategy) {
    ApplicationSpec s = app.getSpec();
    Drain fast = new Drain(null, new Drain.Watch(null, null, new Drain.WaitWatch("0s")), null, 3, "0s");
    app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), strategy, fast, s.analysis(),
        s.releaseHistoryLimit()));
    return app;
  }

  static Application withImage(Application app, String image) {
    app.getSpec().template().getSpec().getContainers().get(0).setImage(image);
    return app;
  }
}
