package dev.baton.devcluster.apiserver;

import dev.baton.devcluster.Kubectl;

import static dev.baton.devcluster.apiserver.ApiTestSupport.ownedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the embedded API server: a user's session, step by step. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlEndToEndTest {

  static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static EmbeddedApiServer api;
  static KubernetesClient client;
  static Path kubeconfig;

  static Kubectl kubectl;

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(Kubectl.onPath(), "no kubectl on PATH: the kubectl end-to-end test needs the real binary");
    api = EmbeddedApiServer.start("127.0.0.1", 0);
    client = api.newClient();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), api.kubeconfig());
    kubectl = new Kubectl(kubeconfig, PROCESS_TIMEOUT);
    Files.writeString(dir.resolve("deployment.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: app, image: "nginx:1.25", ports: [{containerPort: 80}]}
              - {name: sidecar, image: "busybox:1"}
        """);
    Files.writeString(dir.resolve("crd.yaml"), """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Phase, type: string, jsonPath: .status.phase}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """);
    Files.writeString(dir.resolve("widget.yaml"), """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w1}
        spec: {size: 3}
        """);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      client.close();
      api.close();
    }
  }

  @Test
  @Order(1)
  void applyCreatesADeploymentACrdAndACustomResource() {
    assertThat(kubectl("apply", "-f", file("deployment.yaml")).out()).contains("deployment.apps/web created");
    assertThat(kubectl("apply", "-f", file("crd.yaml")).out()).contains("widgets.example.com created");
    assertThat(kubectl("apply", "-f", file("widget.yaml")).out()).contains("widget.example.com/w1 created");
  }

  @Test
  @Order(2)
  void applyUpdatesWithAStrategicMergePatch() throws IOException {
    Files.writeString(dir.resolve("deployment.yaml"),
        Files.readString(dir.resolve("deployment.yaml")).replace("nginx:1.25", "nginx:1.26"));

    assertThat(kubectl("apply", "-f", file("deployment.yaml")).out()).contains("deployment.apps/web configured");
    assertThat(kubectl("get", "deployment", "web", "-o",
        "jsonpath={.spec.template.spec.containers[*].image} {.metadata.generation}").out())
        .isEqualTo("nginx:1.26 busybox:1 2");
  }

  @Test
  @Order(3)
  void getPrintsTablesWithPrinterColumns() {
    assertThat(kubectl("get", "deployments").out()).containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
        .containsPattern("web\\s+0/2\\s+0\\s+0\\s+\\d+s");
    assertThat(kubectl("get", "wd").out()).containsPattern("NAME\\s+SIZE\\s+PHASE").containsPattern("w1\\s+3");
    assertThat(kubectl("get", "widget", "w1", "-o", "yaml").out()).contains("kind: Widget", "size: 3", "uid:");
  }

  @Test
  @Order(4)
  void getWatchStreamsChanges() throws Exception {
    Process watch = start("get", "widgets", "-w");
    try {
      List<String> lines = new CopyOnWriteArrayList<>();
      CompletableFuture.runAsync(() -> new BufferedReader(new InputStreamReader(watch.getInputStream(),
          StandardCharsets.UTF_8)).lines().forEach(lines::add));
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() >= 2);

      kubectl("patch", "widget", "w1", "--type", "merge", "-p", "{\"spec\":{\"size\":4}}");

      await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.matches("w1\\s+4.*")));
      assertThat(lines.get(0)).containsPattern("NAME\\s+SIZE\\s+PHASE");
    } finally {
      watch.destroy();
      watch.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  void describeAnnotateLabelAndPatch() {
    assertThat(kubectl("describe", "deployment", "web").out()).contains("Name:", "web", "nginx:1.26");
    kubectl("annotate", "deployment", "web", "team=checkout");
    kubectl("label", "deployment", "web", "tier=front");
    kubectl("patch", "deployment", "web", "--type", "merge", "-p", "{\"spec\":{\"replicas\":3}}");
    kubectl("patch", "deployment", "web", "--type", "json", "-p",
        "[{\"op\":\"add\",\"path\":\"/spec/minReadySeconds\",\"value\":5}]");
    kubectl("patch", "deployment", "web", "--type", "strategic", "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox:2\"}]}}}}");

    Deployment web = client.apps().deployments().withName("web").get();
    assertThat(web.getMetadata().getAnnotations()).containsEntry("team", "checkout");
    assertThat(web.getMetadata().getLabels()).containsEntry("tier", "front");
    assertThat(web.getSpec().getReplicas()).isEqualTo(3);
    assertThat(web.getSpec().getMinReadySeconds()).isEqualTo(5);
    assertThat(web.getSpec().getTemplate().getSpec().getContainers()).extracting("image")
        .containsExactly("nginx:1.26", "busybox:2");
  }

  @Test
  @Order(6)
  void scaleSetsReplicas() {
    assertThat(kubectl("scale", "deployment", "web", "--replicas=5").out()).contains("scaled");

    assertThat(client.apps().deployments().withName("web").get().getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  @Order(7)
  void waitReturnsWhenTheConditionIsWritten() throws Exception {
    Process waiting = start("wait", "--for=condition=Available", "deployment/web", "--timeout=15s");

    client.apps().deployments().withName("web").editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withConditions(new DeploymentConditionBuilder()
          .withType("Available").withStatus("True").withReason("MinimumReplicasAvailable").build()).build());
      return d;
    });

    assertThat(waiting.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(new String(waiting.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("condition met");
    assertThat(waiting.exitValue()).isZero();
  }

  @Test
  @Order(8)
  void deleteCollectsOwnedObjects() {
    Deployment web = client.apps().deployments().withName("web").get();
    client.apps().replicaSets().resource(new ReplicaSetBuilder().withNewMetadata().withName("web-1")
        .withOwnerReferences(ownedBy(web)).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();

    assertThat(kubectl("delete", "deployment", "web").out()).contains("deployment.apps \"web\" deleted");
    assertThat(kubectl("delete", "-f", file("widget.yaml")).out()).contains("deleted");

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(client.apps().replicaSets().withName("web-1").get()).isNull());
    assertThat(kubectl("get", "widgets").err()).contains("No resources found");
  }

  // ------------------------------------------------------------------ running kubectl

  private static String file(String name) {
    return dir.resolve(name).toString();
  }

  private static Process start(String... args) throws IOException {
    return kubectl.start(args);
  }

  private static Kubectl.Result kubectl(String... args) {
    return kubectl.run(args);
  }
}
