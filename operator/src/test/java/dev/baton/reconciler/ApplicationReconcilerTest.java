package dev.baton.reconciler;

import static dev.baton.testing.Applications.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import dev.baton.api.ApplicationSpec;
import dev.baton.resources.Labels;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Application reconciler on the embedded API and simulated cluster, end to end. */
class ApplicationReconcilerTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  static final String IMAGE = "registry.example.com/chat:1.4.2";

  KubernetesClient client() {
    return cluster.client();
  }

  @Test
  void firstReleaseCreatesThePoolTheServiceAndABudgetAndBecomesReady() {
    String ns = cluster.newNamespace("first");

    client().resource(chat(ns, IMAGE, 3)).create();

    Condition ready = cluster.awaitCondition(ns, "chat", "Ready", "True");
    assertThat(ready.getReason()).isEqualTo("PoolReady");
    Application app = cluster.application(ns, "chat");
    assertThat(app.getStatus().observedGeneration()).isEqualTo(app.getMetadata().getGeneration());
    assertThat(app.getStatus().stableVersion()).isEqualTo("1.4.2");
    assertThat(app.getStatus().ready()).isEqualTo("3/3");
    assertThat(app.getStatus().weight()).isEqualTo(100);

    Deployment pool = client().apps().deployments().inNamespace(ns).withName("chat-1.4.2").get();
    assertThat(pool.getMetadata().getLabels())
        .containsEntry(Labels.NAME, "chat")
        .containsEntry(Labels.VERSION, "1.4.2")
        .containsEntry(Labels.MANAGED_BY, "baton");
    assertThat(pool.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(app.getMetadata().getUid()));
    assertThat(client().policy().v1().podDisruptionBudget().inNamespace(ns).withName("chat-1.4.2").get()).isNotNull();

    // The stable Service routes to the pool's three ready pods, as kube-proxy sees it.
    Service service = client().services().inNamespace(ns).withName("chat").get();
    assertThat(service.getSpec().getSelector()).containsEntry(Labels.SERVING, "true");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(readyEndpoints(ns, "chat")).isEqualTo(3));
  }

  @Test
  void scalingReplicasScalesTheLivePool() {
    String ns = cluster.newNamespace("scale");
    client().resource(chat(ns, IMAGE, 2)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");

    client().resources(Application.class).inNamespace(ns).withName("chat")
        .edit(app -> withReplicas(app, 4));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Application app = cluster.application(ns, "chat");
      assertThat(app.getStatus().ready()).isEqualTo("4/4");
      assertThat(app.getStatus().condition("Ready")).get().extracting(Condition::getStatus).isEqualTo("True");
    });
    assertThat(pods(ns)).hasSize(4);
  }

  /** A lower spec.replicas removes pods through the drain; the cluster's drain invariants check how. */
  @Test
  void scalingReplicasDownDrainsThePodsItRemoves() {
    String ns = cluster.newNamespace("scaledown");
    client().resource(chat(ns, IMAGE, 4)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");

    client().resources(Application.class).inNamespace(ns).withName("chat")
        .edit(app -> withReplicas(app, 2));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(client().pods().inNamespace(ns).withLabel(Labels.APPLICATION, "chat").list().getItems()).hasSize(2)
          .allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry(Labels.SERVING, "true"));
      assertThat(cluster.application(ns, "chat").getStatus().ready()).isEqualTo("2/2");
    });
  }

  @Test
  void deletingTheApplicationDeletesEverythingItOwns() {
    String ns = cluster.newNamespace("delete");
    client().resource(chat(ns, IMAGE, 2)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");

    client().resources(Application.class).inNamespace(ns).withName("chat").delete();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(client().apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(client().services().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(client().policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(pods(ns)).isEmpty();
    });
  }

  @Test
  void anInvalidSpecIsReportedAndTheHealthyPoolKeepsRunning() {
    String ns = cluster.newNamespace("invalid");
    client().resource(chat(ns, IMAGE, 2)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");
    String poolVersion = client().apps().deployments().inNamespace(ns).withName("chat-1.4.2").get()
        .getMetadata().getResourceVersion();

    client().resources(Application.class).inNamespace(ns).withName("chat").edit(app -> withTargetPort(app, "websocket"));

    Condition ready = cluster.awaitCondition(ns, "chat", "Ready", "False");
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage()).contains("spec.service.ports[0].targetPort").contains("'websocket'");
    assertThat(client().apps().deployments().inNamespace(ns).withName("chat-1.4.2").get().getMetadata().getResourceVersion())
        .isEqualTo(poolVersion);
    assertThat(readyEndpoints(ns, "chat")).isEqualTo(2);
  }

  @Test
  void aDeploymentSomeoneElseOwnsIsNeverOverwritten() {
    String ns = cluster.newNamespace("conflict");
    Deployment foreign = new DeploymentBuilder()
        .withNewMetadata().withName("chat-1.4.2").withNamespace(ns).endMetadata()
        .withNewSpec()
          .withReplicas(1)
          .withNewSelector().withMatchLabels(Map.of("app", "legacy")).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(Map.of("app", "legacy")).endMetadata()
            .withNewSpec().addNewContainer().withName("legacy").withImage("legacy:1").endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .build();
    client().resource(foreign).create();

    client().resource(chat(ns, IMAGE, 2)).create();

    Condition ready = cluster.awaitCondition(ns, "chat", "Ready", "False");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.application(ns, "chat").getStatus().condition("Ready").orElseThrow().getReason())
            .isEqualTo("Conflict"));
    assertThat(cluster.application(ns, "chat").getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("Deployment chat-1.4.2 already exists").contains("no owner");
    Deployment after = client().apps().deployments().inNamespace(ns).withName("chat-1.4.2").get();
    assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("legacy:1");
    assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(ready).isNotNull();
  }

  @Test
  void everyActionIsRecordedAsAnEvent() {
    String ns = cluster.newNamespace("events");
    client().resource(chat(ns, IMAGE, 2)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        client().v1().events().inNamespace(ns).list().getItems().stream().map(Event::getReason))
        .contains("PoolCreated", "ServiceCreated", "DisruptionBudgetCreated", "PoolReady"));
  }

  private int readyEndpoints(String ns, String service) {
    return client().discovery().v1().endpointSlices().inNamespace(ns)
        .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
        .flatMap(slice -> slice.getEndpoints() == null ? java.util.stream.Stream.empty() : slice.getEndpoints().stream())
        .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))
        .mapToInt(e -> 1).sum();
  }

  private List<Pod> pods(String ns) {
    return client().pods().inNamespace(ns).withLabel(Labels.APPLICATION, "chat").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static Application withReplicas(Application app, int replicas) {
    ApplicationSpec s = app.getSpec();
    app.setSpec(new ApplicationSpec(s.version(), replicas, s.template(), s.service(), s.strategy(), s.drain(), s.analysis(),
        s.releaseHistoryLimit()));
    return app;
  }

  static Application withTargetPort(Application app, String targetPort) {
    ApplicationSpec s = app.getSpec();
    app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), new ApplicationService(
        s.service().type(), List.of(new ServicePortBuilder().withName("ws").withPort(80)
            .withTargetPort(new IntOrString(targetPort)).build())), s.strategy(), s.drain(), s.analysis(),
        s.releaseHistoryLimit()));
    return app;
  }
}
