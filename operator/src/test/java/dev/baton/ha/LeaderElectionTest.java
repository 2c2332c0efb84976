package dev.baton.ha;

import static dev.baton.testing.Applications.chat;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toCollection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
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
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Baton replicas with leader election against one embedded Kubernetes, as the Helm chart runs them: only the
 * holder of the Lease reconciles, and when it dies the other takes the Lease and carries a release on from where the
 * cluster says it is.
 */
class LeaderElectionTest {

  static final String LEASE = "baton-operator";
  static final String V1 = "registry.example.com/chat:1.0.0";
  static final String V2 = "registry.example.com/chat:2.0.0";
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final AtomicInteger NAMESPACES = new AtomicInteger();

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
  void stopReplicas() {
    informers.forEach(SharedIndexInformer::close);
    replicas.forEach(OperatorReplica::close);
  }

  @Test
  void onlyTheLeaderReconciles() {
    // given two replicas competing for one Lease
    String ns = newNamespace("leader");
    OperatorReplica a = replica("baton-a", ns);
    OperatorReplica b = replica("baton-b", ns);

    // when an Application is created
    client().resource(chat(ns, V1, 2)).create();

    // then it becomes Ready, reconciled by exactly one replica: the one the Lease names
    awaitReady(ns);
    OperatorReplica leader = await().atMost(PATIENCE).until(() -> leader(a, b), r -> r != null);
    OperatorReplica standby = leader == a ? b : a;
    assertThat(leader.reconciles()).isPositive();
    assertThat(standby.reconciles()).isZero();
    assertThat(standby.isLeading()).isFalse();
    assertThat(holderOf(ns)).isEqualTo(leader.identity());
  }

  @Test
  void theOtherInstanceTakesOverAReleaseWhenTheLeaderDiesAndRepeatsNoStep() {
    // given two replicas, an Application at v1 with a stepped canary and fast drains, and a record of every step
    String ns = newNamespace("failover");
    OperatorReplica a = replica("baton-a", ns);
    OperatorReplica b = replica("baton-b", ns);
    client().resource(steppedChat(ns)).create();
    awaitReady(ns);
    OperatorReplica leader = await().atMost(PATIENCE).until(() -> leader(a, b), r -> r != null);
    OperatorReplica standby = leader == a ? b : a;
    assertThat(holderOf(ns)).isEqualTo(leader.identity());
    List<StepSeen> seen = recordCanarySteps(ns);

    // when v2 is released and the leader dies during the timed pause (step 1)
    client().resources(Application.class).inNamespace(ns).withName("chat").edit(app -> withImage(app, V2));
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> status(ns) != null && Integer.valueOf(1).equals(status(ns).currentStep()));
    leader.kill();

    // then the standby takes the Lease and carries the release on to the open pause
    await().atMost(PATIENCE).until(() -> standby.identity().equals(holderOf(ns)));
    await().atMost(PATIENCE).until(() -> status(ns) != null && status(ns).phase() == CanaryPhase.Paused
        && Integer.valueOf(3).equals(status(ns).currentStep()));

    // and, promoted, finishes it
    client().resources(Canary.class).inNamespace(ns).withName(canaryName(ns))
        .edit(c -> {
          c.getMetadata().getAnnotations().put(Canary.ACTION_ANNOTATION, "promote");
          return c;
        });
    await().atMost(PATIENCE).until(() -> status(ns) != null && status(ns).phase() == CanaryPhase.Succeeded);

    assertThat(standby.reconciles()).isPositive();
    assertThat(holderOf(ns)).isEqualTo(standby.identity()).isNotEqualTo(leader.identity());
    assertThat(seen).extracting(StepSeen::step).isSortedAccordingTo(Integer::compare).contains(0, 1, 2, 3);
    Map<Integer, Set<String>> startsPerStep = seen.stream().collect(groupingBy(StepSeen::step, TreeMap::new,
        mapping(StepSeen::stepStartedAt, toCollection(java.util.LinkedHashSet::new))));
    assertThat(startsPerStep).allSatisfy((step, starts) -> assertThat(starts)
        .as("stepStartedAt of step %d (seen: %s)", step, seen).hasSize(1));
  }

  // --- fixture -------------------------------------------------------------------------------------------------

  /** One observation of the Canary: the step it was at and when that step started. */
  record StepSeen(int step, String stepStartedAt, CanaryPhase phase) {}

  KubernetesClient client() {
    return kubernetes.client();
  }

  String newNamespace(String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet();
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  /** A replica watching {@code ns}, holding (or waiting for) the Lease baton-operator in the same namespace. */
  OperatorReplica replica(String identity, String ns) {
    OperatorReplica replica = OperatorReplica.start(kubernetes, identity, LEASE, ns, ns);
    replicas.add(replica);
    return replica;
  }

  static OperatorReplica leader(OperatorReplica a, OperatorReplica b) {
    if (a.isLeading() == b.isLeading()) {
      return null;
    }
    return a.isLeading() ? a : b;
  }

  String holderOf(String ns) {
    Lease lease = client().resources(Lease.class).inNamespace(ns).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  void awaitReady(String ns) {
    await().atMost(PATIENCE).until(() -> {
      Application app = client().resources(Application.class).inNamespace(ns).withName("chat").get();
      return app != null && app.getStatus() != null
          && app.getStatus().condition("Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    });
  }

  Canary canary(String ns) {
    return client().resources(Canary.class).inNamespace(ns).list().getItems().stream().findFirst().orElse(null);
  }

  String canaryName(String ns) {
    return canary(ns).getMetadata().getName();
  }

  CanaryStatus status(String ns) {
    Canary canary = canary(ns);
    return canary == null ? null : canary.getStatus();
  }

  /** Every (currentStep, stepStartedAt) the Canaries of {@code ns} show, in the order the watch delivers them. */
  List<StepSeen> recordCanarySteps(String ns) {
    List<StepSeen> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Canary> informer = client().resources(Canary.class).inNamespace(ns)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Canary canary) {
            record(canary);
          }

          @Override
          public void onUpdate(Canary before, Canary canary) {
            record(canary);
          }

          @Override
          public void onDelete(Canary canary, boolean unknownFinalState) {}

          private void record(Canary canary) {
            CanaryStatus s = canary.getStatus();
            if (s != null && s.currentStep() != null) {
              StepSeen step = new StepSeen(s.currentStep(), s.stepStartedAt(), s.phase());
              if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(step)) {
                seen.add(step);
              }
            }
          }
        });
    informers.add(informer);
    return seen;
  }

  /** 3 replicas; steps setWeight 34, pause 2s, setWeight 67, pause until promoted; pods drain at once. */
  static Application steppedChat(String ns) {
    Application app = chat(ns, V1, 3);
    ApplicationSpec s = app.getSpec();
    Strategy strategy = new Strategy(new CanaryStrategy(List.of(
        CanaryStep.setWeight(34), CanaryStep.pause("2s"), CanaryStep.setWeight(67), CanaryStep.pause(null)), null),
        null, null, null);
    Drain drain = new Drain(null, new Drain.Watch(null, null, new Drain.WaitWatch("0s")), null, 3, "0s");
    app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), strategy, drain, s.analysis(),
        s.releaseHistoryLimit()));
    return app;
  }

  static Application withImage(Application app, String image) {
    app.getSpec().template().getSpec().getContainers().get(0).setImage(image);
    return app;
  }
}
