package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.BatonOperator;
import dev.baton.api.Canary;
import dev.baton.api.Crds;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.Kubectl;
import dev.baton.devcluster.sim.SimulationSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start as a user runs it: what {@code baton dev} starts (the embedded Kubernetes, the CRDs, the
 * operator), driven by the real {@code kubectl} with a kubeconfig file, from apply to delete. The steps
 * build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlDevModeTest {

  static final Path QUICKSTART = Path.of("../examples/quickstart.yaml");
  static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static EmbeddedKubernetes kubernetes;
  static BatonOperator operator;
  static Path kubeconfig;

  static Kubectl kubectl;

  @BeforeAll
  static void startWhatBatonDevStarts() throws IOException {
    Assumptions.assumeTrue(Kubectl.onPath(), "no kubectl on PATH: the dev-mode kubectl test needs the real binary");
    kubernetes = EmbeddedKubernetes.start(SimulationSettings.forTests());
    Crds.install(kubernetes.client());
    operator = BatonOperator.create(kubernetes.client(), BatonOperator.Settings.defaults()).start();
    kubeconfig = kubernetes.writeKubeconfig(dir.resolve(".baton/kubeconfig"));
    kubectl = new Kubectl(kubeconfig, PROCESS_TIMEOUT);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @Test
  @Order(1)
  void theQuickStartAppliesAndBecomesReady() {
    assertThat(kubectl("apply", "-f", QUICKSTART.toString()).out()).contains("application.baton.dev/chat created");

    assertThat(kubectl("wait", "--for=condition=Ready", "application/chat", "--timeout=60s").out())
        .contains("condition met");
  }

  @Test
  @Order(2)
  void getApplicationsShowsVersionReadyWeightAndPhase() {
    String table = kubectl("get", "applications").out();

    List<String> header = List.of(table.lines().findFirst().orElseThrow().trim().split("\\s+"));
    assertThat(header).contains("NAME", "VERSION", "READY", "WEIGHT", "PHASE");
    String row = table.lines().filter(l -> l.startsWith("chat ")).findFirst().orElseThrow();
    assertThat(column(header, row, "VERSION")).isEqualTo("1.0.0");
    assertThat(column(header, row, "READY")).isEqualTo("3/3");
    assertThat(column(header, row, "WEIGHT")).isEqualTo("100");
    assertThat(column(header, row, "PHASE")).isEqualTo("Ready");
  }

  @Test
  @Order(3)
  void patchingReplicasScalesThePool() {
    kubectl("patch", "application", "chat", "--type", "merge", "-p", "{\"spec\":{\"replicas\":4}}");

    kubectl("wait", "--for=jsonpath={.status.ready}=4/4", "application/chat", "--timeout=60s");
    kubectl("wait", "--for=condition=Ready", "application/chat", "--timeout=60s");
    assertThat(kubectl("get", "deployment", "chat-1.0.0", "-o", "jsonpath={.spec.replicas} {.status.readyReplicas}").out())
        .isEqualTo("4 4");
  }

  @Test
  @Order(4)
  void anInvalidSpecIsRefusedWithTheRulesMessageAndNothingChanges() throws IOException {
    String generation = kubectl("get", "application", "chat", "-o", "jsonpath={.metadata.generation}").out();
    Path latest = Files.writeString(dir.resolve("latest.yaml"),
        Files.readString(QUICKSTART).replace("registry.example.com/chat:1.0.0", "registry.example.com/chat:latest"));

    Kubectl.Result refused = kubectlMayFail("apply", "-f", latest.toString());

    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("spec.template.spec.containers[0].image must name an explicit tag other than 'latest'");
    assertThat(kubectl("get", "application", "chat", "-o",
        "jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image} {.spec.replicas}").out())
        .isEqualTo(generation + " registry.example.com/chat:1.0.0 4");
  }

  @Test
  @Order(5)
  void aNewTagIsReleasedStepByStepAndPromotedWithAnAnnotation() {
    kubectl("patch", "application", "chat", "--type", "json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example.com/chat:1.1.0\"}]");
    await().atMost(Duration.ofSeconds(60)).until(() -> client().resources(Canary.class).withName("chat-1.1.0").get() != null);

    // The quick start pauses 20 s after the first step: promote ends that pause early, as it ends any pause.
    kubectl("wait", "--for=jsonpath={.status.currentStep}=1", "canary/chat-1.1.0", "--timeout=60s");
    kubectl("annotate", "canary", "chat-1.1.0", "baton.dev/action=promote");
    kubectl("wait", "--for=jsonpath={.status.phase}=Paused", "canary/chat-1.1.0", "--timeout=60s");
    String canaries = kubectl("get", "canaries").out();
    assertThat(canaries).containsPattern("FROM").containsPattern("TO").containsPattern("STEP").containsPattern("PHASE");
    assertThat(canaries.lines().filter(l -> l.startsWith("chat-1.1.0")).findFirst().orElseThrow())
        .contains("1.0.0", "1.1.0", "Paused", "66");

    kubectl("annotate", "canary", "chat-1.1.0", "baton.dev/action=promote");

    kubectl("wait", "--for=jsonpath={.status.phase}=Succeeded", "canary/chat-1.1.0", "--timeout=60s");
    kubectl("wait", "--for=condition=Ready", "application/chat", "--timeout=60s");
    kubectl("wait", "--for=jsonpath={.status.stableVersion}=1.1.0", "application/chat", "--timeout=60s");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(kubectl("get", "deployments", "-o", "name").out()).isEqualTo("deployment.apps/chat-1.1.0"));
    assertThat(kubectl("get", "application", "chat", "-o", "jsonpath={.status.version} {.status.ready}").out())
        .isEqualTo("1.1.0 4/4");
  }

  @Test
  @Order(6)
  void deletingTheApplicationRemovesEverythingItOwns() {
    assertThat(kubectl("delete", "application", "chat").out()).contains("\"chat\" deleted");

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(kubectl("get", "deployments,services,poddisruptionbudgets,canaries,pods", "-o", "name").out()
          .lines().filter(l -> !l.equals("service/kubernetes")).toList()).isEmpty();
    });
  }

  // ------------------------------------------------------------------ running kubectl

  private static KubernetesClient client() {
    return kubernetes.client();
  }

  private static String column(List<String> header, String row, String name) {
    return row.trim().split("\\s+")[header.indexOf(name)];
  }

  /** Runs kubectl to completion (or fails the test after the timeout) and insists on exit code 0. */
  private static Kubectl.Result kubectl(String... args) {
    return kubectl.run(args);
  }

  private static Kubectl.Result kubectlMayFail(String... args) {
    return kubectl.runMayFail(args);
  }
}
