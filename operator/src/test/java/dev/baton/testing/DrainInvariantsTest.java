package dev.baton.testing;

import static dev.baton.testing.Applications.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Drain;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The checker every {@link BatonTestCluster} test runs under catches each broken invariant when a test breaks it
 * behind Baton's back, and leaves alone what is not Baton removing pods: an Application's deletion.
 */
class DrainInvariantsTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  static final String IMAGE = "registry.example.com/chat:1.4.2";
  static final Duration PATIENCE = Duration.ofSeconds(30);

  KubernetesClient client() {
    return cluster.client();
  }

  @Test
  void aServingReadyPodDeletedThroughTheApiIsCaught() {
    String ns = cluster.newNamespace("invariant-delete");
    client().resource(chat(ns, IMAGE, 2)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");
    String victim = pods(ns).get(0).getMetadata().getName();

    client().pods().inNamespace(ns).withName(victim).delete();

    List<DrainInvariants.Violation> seen = awaitViolations(ns);
    assertThat(seen).singleElement().satisfies(v -> {
      assertThat(v.pod()).isEqualTo(ns + "/" + victim);
      assertThat(v.message()).startsWith("pod " + ns + "/" + victim + " removed without a finished drain");
    });
    deleteApplication(ns);
  }

  @Test
  void aPodTakenOutOfServiceWhileNoOtherPodIsReadyIsCaught() {
    String ns = cluster.newNamespace("invariant-drain");
    client().resource(chat(ns, IMAGE, 1)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");
    String only = pods(ns).get(0).getMetadata().getName();

    client().pods().inNamespace(ns).withName(only).edit(p -> {
      p.getMetadata().getLabels().put(Labels.SERVING, "false");
      return p;
    });

    // Whatever Baton then does with a pod it did not isolate is not this test's subject: only the flip is.
    List<DrainInvariants.Violation> seen = awaitViolations(ns);
    assertThat(seen).anySatisfy(v -> {
      assertThat(v.pod()).isEqualTo(ns + "/" + only);
      assertThat(v.message()).startsWith("pod " + ns + "/" + only + " started to drain while no other pod");
    });
    deleteApplication(ns);
  }

  @Test
  void aPodIsolatedWhileNoPodOfAnotherVersionIsReadyIsCaught() {
    String ns = cluster.newNamespace("invariant-isolate");
    client().resource(chat(ns, IMAGE, 2)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");
    String isolated = pods(ns).get(0).getMetadata().getName();

    // Its pool is the only one, and kept: nothing could take its clients (Baton then puts it back).
    client().pods().inNamespace(ns).withName(isolated).edit(p -> {
      p.getMetadata().getLabels().put(Labels.SERVING, "false");
      p.getMetadata().getAnnotations().put(Labels.DRAIN_ISOLATED_ANNOTATION, java.time.Instant.now().toString());
      return p;
    });

    List<DrainInvariants.Violation> seen = awaitViolations(ns);
    assertThat(seen).singleElement().satisfies(v -> {
      assertThat(v.pod()).isEqualTo(ns + "/" + isolated);
      assertThat(v.message()).startsWith("pod " + ns + "/" + isolated + " was isolated while no pod of another version");
    });
    deleteApplication(ns);
  }

  @Test
  void aPodPutBackInTheServicesAfterItsDrainStartedIsCaught() {
    String ns = cluster.newNamespace("invariant-back");
    Application app = chat(ns, IMAGE, 2);
    ApplicationSpec s = app.getSpec();
    // A long propagation delay: the drain is still waiting to signal when the pod is put back.
    app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), s.strategy(),
        new Drain(null, new Drain.Watch(null, null, new Drain.WaitWatch("0s")), "1m", 3, "1m"), s.analysis(),
        s.releaseHistoryLimit()));
    client().resource(app).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");
    String pod = pods(ns).get(0).getMetadata().getName();

    client().pods().inNamespace(ns).withName(pod).edit(p -> {
      p.getMetadata().getLabels().put(Labels.SERVING, "false");
      p.getMetadata().getAnnotations().put(Labels.DRAIN_STARTED_ANNOTATION, java.time.Instant.now().toString());
      return p;
    });
    client().pods().inNamespace(ns).withName(pod).edit(p -> {
      p.getMetadata().getLabels().put(Labels.SERVING, "true");
      return p;
    });

    List<DrainInvariants.Violation> seen = awaitViolations(ns);
    assertThat(seen).anySatisfy(v -> {
      assertThat(v.pod()).isEqualTo(ns + "/" + pod);
      assertThat(v.message()).startsWith("pod " + ns + "/" + pod + " was put back in the Services after its drain started");
    });
    deleteApplication(ns);
  }

  @Test
  void deletingTheApplicationRemovesItsPodsWithoutAViolation() {
    String ns = cluster.newNamespace("invariant-gc");
    client().resource(chat(ns, IMAGE, 2)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");

    deleteApplication(ns);

    // The garbage collector's pod deletions reach the checker a moment after the API shows them.
    await().during(Duration.ofSeconds(1)).atMost(PATIENCE)
        .until(() -> cluster.invariants().violations().stream().noneMatch(v -> v.namespace().equals(ns)));
  }

  private List<DrainInvariants.Violation> awaitViolations(String ns) {
    await().atMost(PATIENCE)
        .until(() -> cluster.invariants().violations().stream().anyMatch(v -> v.namespace().equals(ns)));
    return cluster.invariants().take(Set.of(ns));
  }

  /** Deletes the Application and waits until its pods are gone; what broke before is taken by then. */
  private void deleteApplication(String ns) {
    client().resources(Application.class).inNamespace(ns).withName("chat").delete();
    await().atMost(PATIENCE).until(() -> client().pods().inNamespace(ns).list().getItems().isEmpty());
  }

  private List<Pod> pods(String ns) {
    return client().pods().inNamespace(ns).withLabel(Labels.APPLICATION, "chat").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }
}
