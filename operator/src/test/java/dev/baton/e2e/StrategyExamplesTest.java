package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.e2e.ClusterHistory.RouteState;
import dev.baton.testing.Applications;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The strategy examples a user copies, released end to end: {@code examples/blue-green.yaml} and
 * {@code examples/canary-gateway-api.yaml} are applied as written (ExamplesTest only takes them to Ready), the image
 * gets a new tag, and the release is driven with the Canary annotations the examples' comments name until it has
 * Succeeded, checking what each strategy is for.
 *
 * <p>One thing is changed on the way in: the examples set no spec.drain, so each old pod would wait the default 30 s
 * for its connections, one at a time; the test's Applications drain quickly ({@link Applications#QUICK_DRAIN}).
 * Drains are not what these examples show.
 */
@Execution(ExecutionMode.CONCURRENT)
class StrategyExamplesTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  @Test
  void theBlueGreenExampleReleasesBehindItsPreviewAndSwitchesOnPromote() throws IOException {
    Releases r = new Releases(cluster, cluster.newNamespace("example-blue-green"), "chat-bluegreen");
    apply(r, "blue-green.yaml");
    cluster.awaitCondition(r.namespace(), "chat-bluegreen", "Ready", "True");

    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false)) {
      r.release("1.1.0");

      // autoPromote: false holds the release with the new pool up whole behind the preview Service.
      r.awaitCanary("chat-bluegreen-1.1.0", s -> s.phase() == CanaryPhase.Paused);
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.selectedVersion("chat-bluegreen-preview")).contains("1.1.0");
        assertThat(r.readyEndpointVersions("chat-bluegreen-preview")).containsExactly("1.1.0", "1.1.0", "1.1.0");
        assertThat(r.selectedVersion("chat-bluegreen")).contains("1.0.0");
        assertThat(r.readyEndpointVersions("chat-bluegreen")).containsExactly("1.0.0", "1.0.0", "1.0.0");
      });

      r.act("chat-bluegreen-1.1.0", "promote");

      // The switch, and the example's two-minute rollback window with the old pool whole.
      CanaryStatus window = r.awaitCanary("chat-bluegreen-1.1.0", s -> s.phase() == CanaryPhase.Draining);
      Instant windowEnds = Instant.parse(window.stepStartedAt()).plusSeconds(120);
      assertThat(window.message()).contains("1.0.0 stays ready until " + windowEnds);
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.readyEndpointVersions("chat-bluegreen")).containsExactly("1.1.0", "1.1.0", "1.1.0");
        assertThat(r.pool("1.0.0")).get().satisfies(p -> assertThat(Releases.ready(p)).isEqualTo(3));
      });
      assertThat(history.drainStarts("1.0.0")).isEmpty();

      // The user ends the window early, as kubectl patch would: two minutes is long for a test.
      r.client().resources(Application.class).inNamespace(r.namespace()).withName("chat-bluegreen")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"strategy\":{\"blueGreen\":{\"scaleDownDelay\":\"1s\"}}}}");

      r.awaitCanary("chat-bluegreen-1.1.0", s -> s.phase() == CanaryPhase.Succeeded);
      await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-bluegreen-1.1.0")));
      assertThat(history.selectedVersions("chat-bluegreen")).containsExactly("1.0.0", "1.1.0");
      assertThat(history.selectedVersions("chat-bluegreen-preview")).containsExactly("1.0.0", "1.1.0");
      assertThat(history.readyEndpointCounts("chat-bluegreen")).isNotEmpty().doesNotContain(0);
      assertThat(history.drainStarts("1.0.0")).hasSize(3);
    }
    cluster.awaitCondition(r.namespace(), "chat-bluegreen", "Ready", "True");
    assertThat(r.application().getStatus().stableVersion()).isEqualTo("1.1.0");
    assertThat(r.selectedVersion("chat-bluegreen-preview")).contains("1.1.0");
  }

  @Test
  void theGatewayApiExampleSetsItsWeightsOnTheRoute() throws IOException {
    Releases r = new Releases(cluster, cluster.newNamespace("example-gateway"), "chat-gateway");
    apply(r, "canary-gateway-api.yaml");
    cluster.awaitCondition(r.namespace(), "chat-gateway", "Ready", "True");
    JsonNode asWritten = GatewayApiReleaseTest.rawRoute(r, "chat-gateway");

    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), true)) {
      r.release("1.1.0");

      // setWeight 5, then the ten-minute pause: promote ends it.
      r.awaitCanary("chat-gateway-1.1.0", s -> s.currentStep() == 1);
      await().atMost(Releases.PATIENCE).until(() -> GatewayApiReleaseTest.weights(r, "chat-gateway", 0)
          .equals(List.of("chat-gateway-stable:95", "chat-gateway-canary:5")));
      r.act("chat-gateway-1.1.0", "promote");

      // setWeight 25, then the open pause: promote-full goes to 100%.
      CanaryStatus paused = r.awaitCanary("chat-gateway-1.1.0", s -> s.phase() == CanaryPhase.Paused);
      assertThat(paused.currentStep()).isEqualTo(3);
      await().atMost(Releases.PATIENCE).until(() -> GatewayApiReleaseTest.weights(r, "chat-gateway", 0)
          .equals(List.of("chat-gateway-stable:75", "chat-gateway-canary:25")));
      assertThat(r.application().getStatus().weight()).isEqualTo(25);
      r.act("chat-gateway-1.1.0", "promote-full");

      r.awaitCanary("chat-gateway-1.1.0", s -> s.phase() == CanaryPhase.Succeeded);
      await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-gateway-1.1.0")));

      List<RouteState> states = history.routeStates("chat-gateway", "chat-gateway-stable", "chat-gateway-canary");
      GatewayApiReleaseTest.assertWeightsOnlyMoveForward(states);
      assertThat(states).extracting(RouteState::canaryShare).containsSubsequence(5, 25, 100);
      assertThat(states.get(states.size() - 1).canaryRef()).isFalse();
      GatewayApiReleaseTest.assertCanaryWeightOnlyOnReadyPods(history, states, "chat-gateway-1.1.0",
          "chat-gateway-canary", "1.1.0", 3);
      assertThat(history.selectedVersions("chat-gateway-stable")).containsExactly("1.0.0", "1.1.0");
    }
    cluster.awaitCondition(r.namespace(), "chat-gateway", "Ready", "True");
    assertThat(r.application().getStatus().stableVersion()).isEqualTo("1.1.0");
    assertThat(r.application().getStatus().weight()).isEqualTo(100);
    // The example's stable ref carries no weight, as docs/releases.md asks: Baton removes its own weight after the
    // release, so the route reads exactly as written (a GitOps tool sees no diff between releases).
    assertThat(asWritten.at("/spec/rules/0/backendRefs/0").has("weight")).isFalse();
    assertThat(GatewayApiReleaseTest.rawRoute(r, "chat-gateway").toString())
        .as("the example's route as written").isEqualTo(asWritten.toString());
  }

  /** Creates every object of the example in the namespace, in file order; Applications get a quick drain. */
  private static void apply(Releases r, String example) throws IOException {
    List<HasMetadata> items;
    try (InputStream in = Files.newInputStream(ExamplesTest.EXAMPLES.resolve(example))) {
      items = r.client().load(in).items();
    }
    for (HasMetadata item : items) {
      HasMetadata object = item;
      if ("Application".equals(item.getKind())) {
        Application app = Serialization.jsonMapper().convertValue(item, Application.class);
        ApplicationSpec s = app.getSpec();
        app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), s.strategy(),
            Applications.QUICK_DRAIN, s.analysis(), s.releaseHistoryLimit()));
        assertThat(s.drain()).as("the example sets no drain of its own").isNull();
        object = app;
      }
      object.getMetadata().setNamespace(r.namespace());
      r.client().resource(object).inNamespace(r.namespace()).create();
    }
  }
}
