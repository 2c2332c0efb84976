package dev.baton.e2e;

import static dev.baton.e2e.Releases.blueGreen;
import static dev.baton.e2e.Releases.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.baton.api.Analysis;
import dev.baton.api.AnalysisTemplate;
import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.devcluster.sim.PodBehaviour;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Blue-green releases on the embedded cluster, as a user drives and watches them: the new pool comes up whole
 * while the Service {@code chat} still selects the old version, the switch is one selector change, the old pool
 * stays whole for scaleDownDelay (the rollback window) and is then drained away. What the Service selected, when
 * each pool was ready and when each pod started to drain are compared by the API's resourceVersions
 * ({@link ClusterHistory}), so no assertion depends on how fast this machine is.
 */
@Execution(ExecutionMode.CONCURRENT)
class BlueGreenReleaseTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  @Test
  void aPromotedReleaseSwitchesAtOnceAndKeepsTheOldPoolForTheWindow() {
    Releases r = new Releases(cluster, cluster.newNamespace("bg-promote"));
    r.createReady("1.0", 3, blueGreen(true, null, false, "2s", null));
    assertThat(r.selectedVersion("chat")).as("between releases the Service selects the stable version").contains("1.0");
    assertThat(r.selectedVersion("chat-preview")).as("and so does the preview").contains("1.0");

    CanaryStatus done;
    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false);
        Releases.CanaryRecorder seen = r.recordCanaries()) {
      r.release("2.0");

      CanaryStatus paused = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
      Canary canary = r.canary("chat-2.0");
      assertThat(canary.getSpec().strategy()).isEqualTo(CanarySpec.ReleaseStrategy.BlueGreen);
      assertThat(canary.getSpec().steps()).as("autoPromote: false is a pause").containsExactly(CanaryStep.pause(null));
      assertThat(paused.currentStep()).isZero();
      assertThat(paused.message()).contains("baton.dev/action=promote");
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.pool("1.0")).get().satisfies(p -> assertThat(ready(p)).isEqualTo(3));
        assertThat(r.pool("2.0")).get().satisfies(p -> assertThat(ready(p)).as("the new pool is up whole").isEqualTo(3));
        assertThat(r.selectedVersion("chat")).contains("1.0");
        assertThat(r.readyEndpointVersions("chat")).containsExactly("1.0", "1.0", "1.0");
        assertThat(r.selectedVersion("chat-preview")).contains("2.0");
        assertThat(r.readyEndpointVersions("chat-preview")).containsExactly("2.0", "2.0", "2.0");
        Application app = r.application();
        assertThat(app.getStatus().phase()).isEqualTo("Paused");
        assertThat(app.getStatus().weight()).as("2.0 gets no traffic before the switch").isZero();
      });

      r.act("chat-2.0", "promote");

      done = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
      await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-2.0")));

      assertThat(seen.of("chat-2.0")).extracting(s -> s.status().phase()).containsSubsequence(
          CanaryPhase.Progressing, CanaryPhase.Paused, CanaryPhase.Draining, CanaryPhase.Succeeded);
      assertThat(history.selectedVersions("chat")).as("one switch").containsExactly("1.0", "2.0");
      assertThat(history.desiredOf("chat-2.0")).as("the new pool is created whole").containsExactly(3);
      long switched = history.firstSelecting("chat", "2.0").orElseThrow();
      assertThat(history.readyBefore("chat-2.0", switched)).as("ready 2.0 pods when the Service switched").isEqualTo(3);
      assertThat(seen.of("chat-2.0")).filteredOn(s -> s.status().phase() == CanaryPhase.Promoting
              || s.status().phase() == CanaryPhase.Draining)
          .allSatisfy(s -> assertThat(s.status().lastAction()).startsWith("promote at "));

      // The rollback window: from the switch until scaleDownDelay after it, the old pool is whole and untouched.
      Instant windowStart = Instant.parse(seen.of("chat-2.0").stream()
          .filter(s -> s.status().phase() == CanaryPhase.Draining).findFirst().orElseThrow().status().stepStartedAt());
      List<ClusterHistory.DrainStart> oldDrains = history.drainStarts("1.0");
      assertThat(oldDrains).as("every old pod is drained").hasSize(3);
      assertThat(oldDrains).allSatisfy(d -> {
        assertThat(d.at()).as("drain start of %s", d.pod()).isAfterOrEqualTo(windowStart.plusSeconds(2));
        assertThat(d.resourceVersion()).isGreaterThan(switched);
      });
      long firstOldDrain = oldDrains.get(0).resourceVersion();
      assertThat(history.of("Deployment", "chat-1.0")).filteredOn(v -> v.resourceVersion() < firstOldDrain)
          .as("the old pool until its first drain").allSatisfy(v -> {
            assertThat(Releases.desired((Deployment) v.object())).isEqualTo(3);
            if (v.resourceVersion() > switched) {
              assertThat(ready((Deployment) v.object())).as("ready old pods in the window").isEqualTo(3);
            }
          });
      assertThat(history.drainStarts("2.0")).as("no new pod is drained").isEmpty();
      assertThat(history.readyEndpointCounts("chat")).as("the Service's ready endpoints, change by change")
          .isNotEmpty().doesNotContain(0);
    }
    assertThat(done.currentWeight()).isEqualTo(100);
    assertThat(done.finishedAt()).isNotNull();
    Condition ready = cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    assertThat(ready.getReason()).isEqualTo("PoolReady");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      Application app = r.application();
      assertThat(app.getStatus().stableVersion()).isEqualTo("2.0");
      assertThat(app.getStatus().weight()).isEqualTo(100);
      assertThat(r.selectedVersion("chat")).contains("2.0");
      assertThat(r.readyEndpointVersions("chat")).containsExactly("2.0", "2.0", "2.0");
      assertThat(r.selectedVersion("chat-preview")).contains("2.0");
      assertThat(r.eventReasons()).contains("ReleaseStarted", "ReleasePaused", "ReleaseActionTaken", "ServiceUpdated",
          "ReleaseDraining", "DrainStarted", "DrainedWaitElapsed", "PoolDeleted", "ReleaseSucceeded");
    });
  }

  @Test
  void abortInsideTheRollbackWindowSwitchesBackAndDrainsTheNewPool() {
    Releases r = new Releases(cluster, cluster.newNamespace("bg-abort"));
    r.createReady("1.0", 3, blueGreen(null, null, null, "10m", null));

    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false)) {
      r.release("2.0");

      // autoPromote (the default) and no analysis: no steps, the switch comes as soon as 2.0 is up whole.
      CanaryStatus switched = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Draining);
      assertThat(r.canary("chat-2.0").getSpec().steps()).isEmpty();
      assertThat(switched.message()).contains("rollback window");
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.selectedVersion("chat")).contains("2.0");
        assertThat(r.readyEndpointVersions("chat")).containsExactly("2.0", "2.0", "2.0");
        assertThat(r.pool("1.0")).get().satisfies(p -> {
          assertThat(Releases.desired(p)).isEqualTo(3);
          assertThat(ready(p)).as("the old pool is kept whole in the window").isEqualTo(3);
        });
        assertThat(r.application().getStatus().weight()).isEqualTo(100);
      });
      assertThat(r.service("chat-preview")).as("previewService defaults to false").isEmpty();

      r.act("chat-2.0", "abort");

      CanaryStatus aborted = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Aborted);
      assertThat(aborted.message()).contains("aborted by a user").contains("traffic went back to 1.0");
      assertThat(aborted.lastAction()).startsWith("abort at ");
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.selectedVersion("chat")).contains("1.0");
        assertThat(r.readyEndpointVersions("chat")).containsExactly("1.0", "1.0", "1.0");
        assertThat(r.poolNames()).containsExactly("chat-1.0");
        Application app = r.application();
        assertThat(app.getStatus().stableVersion()).isEqualTo("1.0");
        assertThat(app.getStatus().weight()).isZero();
        assertThat(app.getStatus().condition("Degraded")).get().satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("ReleaseAborted");
        });
        assertThat(r.eventReasons()).contains("ReleaseAborted", "DrainStarted", "PoolDeleted");
      });

      assertThat(history.selectedVersions("chat")).as("switched, and back").containsExactly("1.0", "2.0", "1.0");
      assertThat(history.drainStarts("1.0")).as("the old pool was never touched").isEmpty();
      assertThat(history.desiredOf("chat-1.0")).containsExactly(3);
      long switchedBack = switchedBack(history);
      assertThat(history.readyEndpointCounts("chat")).as("the Service's ready endpoints, change by change")
          .isNotEmpty().doesNotContain(0);
      assertThat(history.drainStarts("2.0")).as("every new pod is drained, once the Service selects 1.0 again")
          .hasSize(3)
          .allSatisfy(d -> assertThat(d.resourceVersion()).as("drain start of %s", d.pod()).isGreaterThan(switchedBack));
    }
  }

  @Test
  void settingTheVersionBackInsideTheWindowIsARollback() {
    Releases r = new Releases(cluster, cluster.newNamespace("bg-back"));
    r.createReady("1.0", 2, blueGreen(true, null, null, "10m", null));
    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false)) {
      r.release("2.0");
      r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Draining);
      await().atMost(Releases.PATIENCE).until(() -> r.selectedVersion("chat").equals(Optional.of("2.0")));

      r.release("1.0");

      CanaryStatus rolledBack = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.RolledBack);
      assertThat(rolledBack.message()).contains("stable version 1.0 again");
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.selectedVersion("chat")).contains("1.0");
        assertThat(r.readyEndpointVersions("chat")).containsExactly("1.0", "1.0");
        assertThat(r.selectedVersion("chat-preview")).contains("1.0");
        assertThat(r.poolNames()).containsExactly("chat-1.0");
        assertThat(r.application().getStatus().stableVersion()).isEqualTo("1.0");
        assertThat(r.application().getStatus().condition("Ready")).get().extracting(Condition::getStatus)
            .isEqualTo("True");
      });

      assertThat(history.selectedVersions("chat")).containsExactly("1.0", "2.0", "1.0");
      assertThat(history.drainStarts("1.0")).isEmpty();
      assertThat(history.readyEndpointCounts("chat")).as("the Service's ready endpoints, change by change")
          .isNotEmpty().doesNotContain(0);
      long switchedBack = switchedBack(history);
      assertThat(history.drainStarts("2.0")).hasSize(2)
          .allSatisfy(d -> assertThat(d.resourceVersion()).as("drain start of %s", d.pod()).isGreaterThan(switchedBack));
    }
  }

  @Test
  void aThirdVersionInsideTheWindowSupersedesTheReleaseWithoutLeavingTheServiceEmpty() {
    Releases r = new Releases(cluster, cluster.newNamespace("bg-supersede"));
    r.createReady("1.0", 2, blueGreen(null, null, null, "10m", null));
    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false)) {
      r.release("2.0");
      r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Draining);

      r.release("3.0");

      CanaryStatus superseded = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Aborted);
      assertThat(superseded.message()).contains("superseded by version 3.0");
      r.awaitCanary("chat-3.0", s -> s.phase() == CanaryPhase.Draining);
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.poolNames()).containsExactly("chat-1.0", "chat-3.0");
        assertThat(r.readyEndpointVersions("chat")).containsExactly("3.0", "3.0");
      });
      assertThat(r.canary("chat-3.0").getSpec().fromVersion()).isEqualTo("1.0");

      assertThat(history.selectedVersions("chat")).as("2.0 is left for the stable version, then 3.0 switches in")
          .containsExactly("1.0", "2.0", "1.0", "3.0");
      assertThat(history.readyEndpointCounts("chat")).as("the Service's ready endpoints, change by change")
          .isNotEmpty().doesNotContain(0);
      long switchedBack = switchedBack(history);
      assertThat(history.drainStarts("2.0")).hasSize(2)
          .allSatisfy(d -> assertThat(d.resourceVersion()).as("drain start of %s", d.pod()).isGreaterThan(switchedBack));
      assertThat(history.drainStarts("1.0")).as("3.0's rollback window keeps 1.0").isEmpty();
    }
  }

  /** When the Service chat selected 1.0 again after selecting 2.0. */
  private static long switchedBack(ClusterHistory history) {
    long switched = history.firstSelecting("chat", "2.0").orElseThrow();
    return history.of("Service", "chat").stream()
        .filter(v -> v.resourceVersion() > switched)
        .filter(v -> "1.0".equals(ClusterHistory.selectedVersion((Service) v.object())))
        .findFirst().orElseThrow().resourceVersion();
  }

  @Test
  void aFailedPrePromotionAnalysisRollsBackWithoutEverSwitching() throws IOException {
    List<String> measured = new CopyOnWriteArrayList<>();
    HttpServer metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metrics.createContext("/error-rate", exchange -> {
      measured.add(exchange.getRequestURI().getQuery());
      byte[] body = "{\"errorRate\": 0.25}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    metrics.start();
    try {
      Releases r = new Releases(cluster, cluster.newNamespace("bg-analysis"));
      String url = "http://127.0.0.1:" + metrics.getAddress().getPort() + "/error-rate?version={{version}}";
      Analysis analysis = new Analysis(List.of(new AnalysisTemplate("error-rate", null,
          new AnalysisTemplate.WebQuery(url, "/errorRate"), "result < 0.01", null, "1s", 1, 0, 0)));
      r.createReady("1.0", 3, blueGreen(true, "error-rate", false, "2s", null), analysis, null);

      try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false)) {
        r.release("2.0");

        CanaryStatus rolledBack = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.RolledBack);
        assertThat(r.canary("chat-2.0").getSpec().steps()).as("the analysis, then the hold")
            .containsExactly(CanaryStep.analysis("error-rate"), CanaryStep.pause(null));
        assertThat(rolledBack.currentStep()).isZero();
        assertThat(rolledBack.currentWeight()).isZero();
        assertThat(rolledBack.message()).contains("analysis error-rate failed").contains("traffic went back to 1.0");
        assertThat(rolledBack.analysis()).singleElement().satisfies(result -> {
          assertThat(result.template()).isEqualTo("error-rate");
          assertThat(result.phase()).isEqualTo("Failed");
          assertThat(result.measurements()).isEqualTo(1);
          assertThat(result.failed()).isEqualTo(1);
          assertThat(result.lastValue()).isEqualTo("0.25");
        });
        assertThat(measured).as("the analysis measured the new version").contains("version=2.0");
        await().atMost(Releases.PATIENCE).untilAsserted(() -> {
          assertThat(r.poolNames()).containsExactly("chat-1.0");
          assertThat(r.readyEndpointVersions("chat")).containsExactly("1.0", "1.0", "1.0");
          Application app = r.application();
          assertThat(app.getStatus().stableVersion()).isEqualTo("1.0");
          assertThat(app.getStatus().condition("Degraded")).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("ReleaseRolledBack");
            assertThat(c.getMessage()).contains("analysis error-rate failed");
          });
          assertThat(r.eventReasons()).contains("ReleaseRolledBack");
        });

        assertThat(history.selectedVersions("chat")).as("the Service never switched").containsExactly("1.0");
        assertThat(history.drainStarts("1.0")).isEmpty();
        // The analysis judged the pool only once it was up whole: the first status that records it came after.
        long judged = history.first("Canary", "chat-2.0",
            c -> ((Canary) c).getStatus() != null && ((Canary) c).getStatus().analysis() != null).orElseThrow();
        assertThat(history.readyBefore("chat-2.0", judged)).as("ready 2.0 pods when the analysis started").isEqualTo(3);
      }
    } finally {
      metrics.stop(0);
    }
  }

  @Test
  void aNewPoolThatNeverGetsReadyIsRolledBackWithoutSwitching() {
    cluster.kubelet().behaveFor(":2.0-bg-broken", PodBehaviour.NEVER_READY);
    Releases r = new Releases(cluster, cluster.newNamespace("bg-never-ready"));
    r.createReady("1.0", 3, blueGreen(true, null, true, "2s", "3s"));

    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), false)) {
      r.release("2.0-bg-broken");

      CanaryStatus waiting = r.awaitCanary("chat-2.0-bg-broken", s -> s.phase() == CanaryPhase.Progressing
          && s.message() != null && s.message().contains("waiting for 3 ready pods"));
      assertThat(waiting.message()).contains("the Service still selects 1.0");
      CanaryStatus rolledBack = r.awaitCanary("chat-2.0-bg-broken", s -> s.phase() == CanaryPhase.RolledBack);
      assertThat(rolledBack.message()).contains("progress deadline (3s)").contains("traffic went back to 1.0");
      assertThat(rolledBack.currentStep()).isZero();
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(r.poolNames()).containsExactly("chat-1.0");
        assertThat(r.readyEndpointVersions("chat")).containsExactly("1.0", "1.0", "1.0");
        Application app = r.application();
        assertThat(app.getStatus().stableVersion()).isEqualTo("1.0");
        assertThat(app.getStatus().condition("Degraded")).get().satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("ReleaseRolledBack");
        });
      });

      assertThat(history.selectedVersions("chat")).as("the Service never switched").containsExactly("1.0");
      assertThat(history.selectedVersions("chat-preview")).as("the preview showed the new pool, then the stable one")
          .containsExactly("1.0", "2.0-bg-broken", "1.0");
      assertThat(history.drainStarts("1.0")).isEmpty();
      assertThat(history.of("Deployment", "chat-2.0-bg-broken")).extracting(v -> ready((Deployment) v.object()))
          .as("the broken pool never had a ready pod").containsOnly(0);
      assertThat(Objects.requireNonNull(r.canary("chat-2.0-bg-broken")).getStatus().finishedAt()).isNotNull();
    }
  }
}
