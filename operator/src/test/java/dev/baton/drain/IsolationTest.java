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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Isolation on a cluster: once the new pool is ready, the whole old pool leaves the Services and waits for its drain
 * slots; the pods go back into the Services if the old version is set again before their drain started, and an
 * operator restarted meanwhile carries on from the pods' annotations. The drain invariant checker of
 * {@link BatonTestCluster} judges every isolation, drain start and removal.
 */
class IsolationTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  static final Duration PATIENCE = Duration.ofSeconds(90);

  @Test
  void settingTheVersionBackPutsTheIsolatedOldPodsBackInTheServices() {
    String ns = cluster.newNamespace("isolate-back");
    create(ns, "1.0.0");
    setVersion(ns, "2.0.0");
    await().atMost(PATIENCE).until(() -> isolated(ns, "1.0.0").size() == 3);
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(cluster.application(ns, "chat").getStatus().draining())
        .isNotNull().filteredOn(d -> d.stage().equals("Isolated")).isNotEmpty());

    List<String> wereIsolated = isolated(ns, "1.0.0").stream().map(p -> p.getMetadata().getName()).toList();

    setVersion(ns, "1.0.0");

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(isolated(ns, "1.0.0")).as("back in the Services").isEmpty();
      // One drain takes over 2 s: at least two were still waiting for their slot when the version came back.
      assertThat(pods(ns, "1.0.0")).filteredOn(p -> wereIsolated.contains(p.getMetadata().getName()) && !drainStarted(p))
          .hasSizeGreaterThanOrEqualTo(2).allSatisfy(p -> {
        assertThat(annotations(p)).doesNotContainKey(Labels.DRAIN_ISOLATED_ANNOTATION);
        assertThat(p.getMetadata().getLabels()).containsEntry(Labels.SERVING, "true");
        assertThat(p.getMetadata().getAnnotations()).doesNotContainKey(Labels.POD_DELETION_COST_ANNOTATION);
      });
    });
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(pods(ns, "2.0.0")).as("the abandoned new pool drained away").isEmpty();
      assertThat(pods(ns, "1.0.0")).hasSize(4)
          .allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry(Labels.SERVING, "true"));
    });
    assertThat(eventReasons(ns)).contains("PodIsolated", "PodRestored");
  }

  @Test
  void aRestartWhileTheOldPoolIsIsolatedFinishesItsDrain() {
    String ns = cluster.newNamespace("isolate-restart");
    create(ns, "1.0.0");
    setVersion(ns, "2.0.0");
    await().atMost(PATIENCE).until(() -> isolated(ns, "1.0.0").size() == 3);

    cluster.restartOperator();

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(pods(ns, "1.0.0")).isEmpty();
      assertThat(cluster.application(ns, "chat").getStatus().stableVersion()).isEqualTo("2.0.0");
    });
    assertThat(cluster.client().v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> e.getReason().startsWith("Drained")).hasSize(4);
  }

  /** Four pods, one drain at a time, each held 2 s after its signal: time to see the old pool isolated. */
  private static void create(String ns, String version) {
    Application app = chat(ns, "registry.example.com/chat:" + version, 4);
    ApplicationSpec s = app.getSpec();
    app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), s.strategy(),
        new Drain(null, new Drain.Watch(null, null, new Drain.WaitWatch("2s")), "1m", 1, "0s"), s.analysis(),
        s.releaseHistoryLimit()));
    cluster.client().resource(app).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");
  }

  private static void setVersion(String ns, String version) {
    cluster.client().resources(Application.class).inNamespace(ns).withName("chat").edit(a -> {
      a.getSpec().template().getSpec().getContainers().get(0).setImage("registry.example.com/chat:" + version);
      return a;
    });
  }

  private static List<Pod> isolated(String ns, String version) {
    return pods(ns, version).stream()
        .filter(p -> annotations(p).containsKey(Labels.DRAIN_ISOLATED_ANNOTATION) && !drainStarted(p))
        .filter(p -> "false".equals(p.getMetadata().getLabels().get(Labels.SERVING)))
        .toList();
  }

  private static boolean drainStarted(Pod pod) {
    return annotations(pod).containsKey(Labels.DRAIN_STARTED_ANNOTATION);
  }

  private static Map<String, String> annotations(Pod pod) {
    return pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
  }

  private static List<Pod> pods(String ns, String version) {
    return cluster.client().pods().inNamespace(ns).withLabel(Labels.POOL_VERSION, version).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static List<String> eventReasons(String ns) {
    return cluster.client().v1().events().inNamespace(ns).list().getItems().stream().map(e -> e.getReason()).toList();
  }
}
