package dev.baton.drain;

import static dev.baton.testing.Applications.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Drain;
import dev.baton.resources.Labels;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ReplicaSet ranks readiness before deletion cost: when a sibling whose drain has not started (serving, or
 * isolated: the old pool is retired whole, so its pods wait for a drain slot out of the Services) turns not ready
 * while another pod drains, lowering the replicas would remove the sibling, not the drained pod. On the simulated
 * ranking, Baton holds the scale-down back and drains the sibling too; the drain invariant checker of
 * {@link BatonTestCluster} fails the test if any pod that served goes without a finished drain.
 */
class NotReadySiblingDrainTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  @Test
  void aSiblingThatTurnsNotReadyMidDrainIsDrainedItselfNotRemovedInThePodsPlace() {
    String ns = cluster.newNamespace("sibling");
    Application app = chat(ns, "registry.example.com/chat:1.0.0", 3);
    ApplicationSpec s = app.getSpec();
    // One pod at a time, each held 3 s after its signal: time to turn a sibling not ready meanwhile.
    app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), s.strategy(),
        new Drain(null, new Drain.Watch(null, null, new Drain.WaitWatch("3s")), "1m", 1, "0s"), s.analysis(),
        s.releaseHistoryLimit()));
    cluster.client().resource(app).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");

    cluster.client().resources(Application.class).inNamespace(ns).withName("chat").edit(a -> {
      a.getSpec().template().getSpec().getContainers().get(0).setImage("registry.example.com/chat:2.0.0");
      return a;
    });
    Pod draining = await().atMost(Duration.ofSeconds(60)).until(() -> oldPods(ns).stream()
        .filter(NotReadySiblingDrainTest::drainStarted).findFirst().orElse(null),
        java.util.Objects::nonNull);
    Pod sibling = oldPods(ns).stream()
        .filter(p -> !p.getMetadata().getName().equals(draining.getMetadata().getName()))
        .filter(p -> !drainStarted(p))
        .findFirst().orElseThrow();
    cluster.kubelet().setReady(ns, sibling.getMetadata().getName(), false);

    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(oldPods(ns)).isEmpty();
      assertThat(cluster.application(ns, "chat").getStatus().stableVersion()).isEqualTo("2.0.0");
    });
    assertThat(cluster.client().v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> e.getReason().startsWith("Drained")).hasSize(3);
  }

  private static boolean drainStarted(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(Labels.DRAIN_STARTED_ANNOTATION);
  }

  private static List<Pod> oldPods(String ns) {
    return cluster.client().pods().inNamespace(ns).withLabel(Labels.POOL_VERSION, "1.0.0").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }
}
