package dev.baton.e2e;

import static dev.baton.api.CanaryStep.pause;
import static dev.baton.api.CanaryStep.setWeight;
import static dev.baton.e2e.Releases.blueGreen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.baton.api.Analysis;
import dev.baton.api.AnalysisTemplate;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.devcluster.sim.PodBehaviour;
import dev.baton.e2e.ClusterHistory.RouteState;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator is stopped and a new one started at every stage of a blue-green release and of a Gateway API
 * release: the Canary's status, the Services and the route are the release's only memory, so the new operator
 * continues where the old one stopped, runs no step twice, never moves traffic backwards and does not restart the
 * rollback window. The tests run one after the other: a restart stops the operator for every namespace.
 */
class RoutedRestartSafetyTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  @Test
  void aBlueGreenReleaseContinuesAcrossRestartsAtEveryStage() throws IOException {
    HttpServer metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metrics.createContext("/error-rate", exchange -> {
      byte[] body = "{\"errorRate\": 0.001}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    metrics.start();
    Releases r = new Releases(cluster, cluster.newNamespace("bg-restart"));
    try {
      Analysis analysis = new Analysis(List.of(new AnalysisTemplate("error-rate", null,
          new AnalysisTemplate.WebQuery("http://127.0.0.1:" + metrics.getAddress().getPort() + "/error-rate", "/errorRate"),
          "result < 0.01", null, "1s", 2, 0, 0)));
      r.createReady("1.0", 3, blueGreen(true, "error-rate", false, "2s", null), analysis, null);
      cluster.kubelet().behaveFor("chat:2.0", PodBehaviour.slowStart(Duration.ofSeconds(1)));

      try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false);
          Releases.CanaryRecorder seen = r.recordCanaries()) {
        r.release("2.0");

        // While the new pool comes up (its pods take a second to get ready).
        r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Progressing);
        cluster.restartOperator();

        // During the analysis: two measurements a second apart.
        r.awaitCanary("chat-2.0", s -> s.analysis() != null && s.analysis().get(0).measurements() >= 1);
        cluster.restartOperator();

        // At the hold: the promote arrives while no operator runs.
        r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
        cluster.stopOperator();
        r.act("chat-2.0", "promote");
        cluster.startOperator();

        // Inside the rollback window, and down until it would have ended: the new operator sees it is over.
        CanaryStatus window = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Draining);
        cluster.stopOperator();
        Instant windowEnds = Instant.parse(window.stepStartedAt()).plusSeconds(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(windowEnds));
        assertThat(r.pool("1.0")).get().as("nothing moves without an operator")
            .satisfies(p -> assertThat(Releases.desired(p)).isEqualTo(3));
        cluster.startOperator();

        // While the old pool drains.
        await().atMost(Releases.PATIENCE).until(() -> !history.drainStarts("1.0").isEmpty());
        cluster.restartOperator();

        CanaryStatus done = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
        await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-2.0")));

        assertThat(done.analysis()).singleElement().satisfies(result -> {
          assertThat(result.phase()).isEqualTo("Successful");
          assertThat(result.measurements()).as("measured as often as asked, restarts or not").isEqualTo(2);
        });
        assertThat(seen.of("chat-2.0").stream().filter(s -> s.status().phase() != CanaryPhase.Draining
                && s.status().phase() != CanaryPhase.Succeeded)
            .map(s -> new Releases.StepRun(s.step(), s.status().stepStartedAt())).distinct().toList())
            .extracting(Releases.StepRun::step).as("the analysis, the hold, the switch: each once")
            .containsExactly(0, 1, 2);
        assertThat(seen.of("chat-2.0")).filteredOn(s -> s.status().phase() == CanaryPhase.Draining)
            .extracting(s -> s.status().stepStartedAt()).as("the window started once, restarts or not").containsOnly(
                window.stepStartedAt());
        assertThat(seen.of("chat-2.0")).extracting(Releases.Seen::step).as("the step never goes back").isSorted();
        assertThat(seen.of("chat-2.0")).extracting(s -> s.status().currentWeight()).isSorted();
        assertThat(history.selectedVersions("chat")).as("one switch").containsExactly("1.0", "2.0");
        assertThat(history.readyEndpointCounts("chat")).isNotEmpty().doesNotContain(0);
        assertThat(history.desiredOf("chat-2.0")).containsExactly(3);
        long switched = history.firstSelecting("chat", "2.0").orElseThrow();
        assertThat(history.readyBefore("chat-2.0", switched)).isEqualTo(3);
        assertThat(history.drainStarts("1.0")).hasSize(3).allSatisfy(d ->
            assertThat(d.at()).isAfterOrEqualTo(windowEnds));
        assertThat(history.drainStarts("2.0")).isEmpty();
      }
    } finally {
      metrics.stop(0);
    }
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    assertThat(r.application().getStatus().stableVersion()).isEqualTo("2.0");
    assertThat(r.canaryNames()).as("one release, one Canary").containsExactly("chat-2.0");
    assertThat(r.eventReasons()).filteredOn("ReleaseStarted"::equals).hasSize(1);
    assertThat(r.eventReasons()).filteredOn("ReleaseSucceeded"::equals).hasSize(1);
  }

  @Test
  void aGatewayApiReleaseContinuesAcrossRestartsAtEveryStage() {
    Releases r = new Releases(cluster, cluster.newNamespace("gw-restart"));
    GatewayApiReleaseTest.createRoute(r);
    JsonNode asWritten = GatewayApiReleaseTest.rawRoute(r);
    r.createReady("1.0", 3, Releases.gatewayCanary(GatewayApiReleaseTest.ROUTE, null,
        setWeight(33), pause(null), setWeight(66), pause("1s")));

    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), true);
        Releases.CanaryRecorder seen = r.recordCanaries()) {
      r.release("3.0");

      // After step 0: one pod of 3.0 ready and 33% on the route.
      await().atMost(Releases.PATIENCE).until(() -> GatewayApiReleaseTest.weights(r, 0).contains("chat-canary:33"));
      cluster.restartOperator();

      // At the hold: the promote arrives while no operator runs; the next pods of 3.0 get ready slowly.
      r.awaitCanary("chat-3.0", s -> s.phase() == CanaryPhase.Paused && s.currentStep() == 1);
      cluster.kubelet().behaveFor("chat:3.0", PodBehaviour.slowStart(Duration.ofSeconds(1)));
      cluster.stopOperator();
      r.act("chat-3.0", "promote");
      cluster.startOperator();

      // Step 2 (66%) waits for its second pod.
      r.awaitCanary("chat-3.0", s -> s.currentStep() == 2);
      cluster.restartOperator();

      // During the timed pause, and down until it would have ended.
      CanaryStatus pausing = r.awaitCanary("chat-3.0", s -> s.currentStep() >= 3);
      cluster.stopOperator();
      if (pausing.currentStep() == 3) {
        Instant pauseEnds = Instant.parse(pausing.stepStartedAt()).plusSeconds(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(pauseEnds));
        assertThat(r.canary("chat-3.0").getStatus().currentStep()).as("nothing moves without an operator").isEqualTo(3);
      }
      cluster.startOperator();

      // Promoting: the third pod starts slowly, so the restart falls while the route is not at 100% yet.
      r.awaitCanary("chat-3.0", s -> s.currentStep() == 4);
      cluster.restartOperator();

      // Draining: chat-stable is handed to 3.0, the canary ref goes, the old pool drains.
      r.awaitCanary("chat-3.0", s -> s.phase() == CanaryPhase.Draining || s.phase() == CanaryPhase.Succeeded);
      cluster.restartOperator();

      CanaryStatus done = r.awaitCanary("chat-3.0", s -> s.phase() == CanaryPhase.Succeeded);
      await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-3.0")));
      assertThat(done.currentStep()).isEqualTo(4);

      List<Releases.StepRun> runs = seen.steps("chat-3.0");
      assertThat(runs).extracting(Releases.StepRun::step).as("every step once, in order").containsExactly(0, 1, 2, 3, 4);
      assertThat(runs).extracting(run -> Instant.parse(run.startedAt())).as("stepStartedAt only moves forward")
          .isSorted().doesNotHaveDuplicates();
      assertThat(seen.of("chat-3.0")).extracting(s -> s.status().currentWeight()).as("Canary weights").isSorted()
          .containsSubsequence(33, 66, 100);

      List<RouteState> states = history.routeStates(GatewayApiReleaseTest.ROUTE, "chat-stable", "chat-canary");
      GatewayApiReleaseTest.assertWeightsOnlyMoveForward(states);
      assertThat(states).extracting(RouteState::canaryShare).as("route canary share, write by write")
          .containsSubsequence(33, 66, 100);
      GatewayApiReleaseTest.assertCanaryWeightOnlyOnReadyPods(history, states, "chat-3.0", "3.0", 3);
      assertThat(history.selectedVersions("chat-stable")).containsExactly("1.0", "3.0");
      assertThat(history.desiredOf("chat-1.0")).as("the stable pool only shrinks, through drains")
          .startsWith(3).endsWith(0).isSortedAccordingTo(java.util.Comparator.reverseOrder());
      assertThat(history.of("Deployment", "chat-3.0")).extracting(v -> Releases.desired((Deployment) v.object()))
          .as("the canary pool only grows").isSorted();
    }
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    assertThat(GatewayApiReleaseTest.rawRoute(r).toString()).isEqualTo(asWritten.toString());
    assertThat(r.application().getStatus().stableVersion()).isEqualTo("3.0");
    assertThat(r.canaryNames()).containsExactly("chat-3.0");
    assertThat(r.eventReasons()).filteredOn("ReleaseStarted"::equals).hasSize(1);
    assertThat(r.eventReasons()).filteredOn("ReleaseSucceeded"::equals).hasSize(1);
  }
}
