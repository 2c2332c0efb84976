package dev.baton.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.Drain;
import dev.baton.devcluster.traffic.FleetOptions;
import dev.baton.devcluster.traffic.LoadBalancer;
import dev.baton.devcluster.traffic.PodServers;
import dev.baton.devcluster.traffic.PodServersConfig;
import dev.baton.devcluster.traffic.ServerBehaviour;
import dev.baton.devcluster.traffic.TrafficReport;
import dev.baton.devcluster.traffic.WebsocketFleet;
import dev.baton.resources.Labels;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Baton's reason to exist, with real traffic: 1,000 websocket clients connected through a kube-proxy-like
 * load balancer to real servers behind the simulated pods of v1, then a release to v2. Once v2 is ready, the
 * whole old pool leaves the Service at once (isolation), then every old pod is signalled over HTTP and watched
 * until its connections are gone before it is removed, at most {@code maxConcurrent} at a time.
 */
class WebsocketDrainTest {

  private static final Logger LOG = LoggerFactory.getLogger(WebsocketDrainTest.class);

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  static final int CLIENTS = 1000;
  static final int MAX_CONCURRENT = 2;
  static final int REPLICAS = 4;

  @Test
  void aReleaseDrainsAThousandWebsocketsToTheNewVersionWithoutOneAbruptClose() throws Exception {
    String ns = cluster.newNamespace("websockets");
    try (PodServers servers = PodServers.start(cluster.kubernetes(), PodServersConfig.forApp(ns, Map.of(Labels.APPLICATION, "chat")))) {
      client().resource(chat(ns, "1.0.0", "30s")).create();
      cluster.awaitCondition(ns, "chat", "Ready", "True");
      try (LoadBalancer balancer = LoadBalancer.start(client(), ns, "chat", "ws")) {
        await().atMost(Duration.ofSeconds(20)).until(() -> balancer.readyPods().size() == REPLICAS);
        FleetOptions options = FleetOptions.of(CLIENTS);
        WebsocketFleet fleet = WebsocketFleet.connect(balancer.websocketUri(), options);
        try (fleet) {
          fleet.awaitAllConnected(Duration.ofSeconds(60));
          assertThat(fleet.connectedByVersion()).containsOnly(Map.entry("1.0.0", CLIENTS));

          releaseVersion(ns, "2.0.0");

          await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(canaryPhase(ns, "chat-2.0.0")).isEqualTo(CanaryPhase.Succeeded);
            assertThat(fleet.connectedByVersion()).containsOnly(Map.entry("2.0.0", CLIENTS));
          });
          TrafficReport report = TrafficReport.of(fleet, servers);
          LOG.info("websocket drain figures:\n{}", report.toMarkdown());
          servers.stats().forEach(st -> LOG.info("pod {} {}: {} closed gracefully, signalled {}, drained {}", st.pod(),
              st.version(), st.closedGracefully(), st.drainSignalledAt().orElse(null), st.drainedAt().orElse(null)));
          writeFigures(report);

          assertThat(fleet.abruptCloses()).as("every close is a close frame sent after the signal; abrupt by pod: %s,"
              + " events: %s", fleet.abruptClosesByPod(), events(ns)).isZero();
          assertThat(fleet.gaveUp()).isEmpty();
          // Isolation: every old pod left the Service before the first signal (endpointPropagationDelay after), so a
          // signalled pod's clients reconnect to 2.0.0 only, which is never drained: each client reconnects exactly
          // once. Without isolation, clients of the first drained pods landed on old pods drained later (1,166).
          assertThat(fleet.reconnects()).as("reconnects: one per client, none drained twice").isEqualTo(CLIENTS);
          assertThat(fleet.gracefulCloses()).as("sessions ended by a drain").isEqualTo(CLIENTS);
          assertThat(servers.peakConcurrentDrains()).as("pods draining at once").isBetween(1, MAX_CONCURRENT);
          // Each drained pod lets its clients go over its drain period (1 s), and the next pod in the same drain slot
          // is signalled only once the watch has counted the previous one empty: in any one second at most
          // maxConcurrent pods' worth of sessions close. An isolated pod left the endpoints long before and is
          // signalled as soon as its slot frees, with no propagation wait in between, so a client that waits its
          // reconnect jitter (up to 100 ms) may reconnect in the same second as the next pod's first clients: the
          // reconnects of one second come from the closes of at most drain period + jitter.
          long busiestDrainedPod = servers.stats().stream().filter(st -> st.version().equals("1.0.0"))
              .mapToLong(st -> st.closedGracefully()).max().orElseThrow();
          double closesPerWindow = 1 + (double) options.reconnectJitter().toMillis()
              / PodServersConfig.DEFAULT_DRAIN_PERIOD.toMillis();
          assertThat(fleet.peakReconnectsPerSecond()).as("peak reconnects per second")
              .isLessThanOrEqualTo((int) Math.ceil(MAX_CONCURRENT * busiestDrainedPod * closesPerWindow));
        }
      }
    }
  }

  @Test
  void aPodThatIgnoresTheSignalIsRemovedAtTheTimeoutAndItsClientsAreCutAbruptly() throws Exception {
    String ns = cluster.newNamespace("ignoring");
    try (PodServers servers = PodServers.start(cluster.kubernetes(), PodServersConfig.forApp(ns, Map.of(Labels.APPLICATION, "chat")))) {
      servers.behaveForVersion("1.0.0", ServerBehaviour.ignoresDrainSignal());
      client().resource(chat(ns, "1.0.0", "3s")).create();
      cluster.awaitCondition(ns, "chat", "Ready", "True");
      try (LoadBalancer balancer = LoadBalancer.start(client(), ns, "chat", "ws")) {
        await().atMost(Duration.ofSeconds(20)).until(() -> balancer.readyPods().size() == REPLICAS);
        WebsocketFleet fleet = WebsocketFleet.connect(balancer.websocketUri(), 200);
        try (fleet) {
          fleet.awaitAllConnected(Duration.ofSeconds(30));

          releaseVersion(ns, "2.0.0");

          await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(canaryPhase(ns, "chat-2.0.0")).isEqualTo(CanaryPhase.Succeeded);
            assertThat(fleet.connectedByVersion()).containsOnly(Map.entry("2.0.0", 200));
          });
          assertThat(fleet.abruptCloses()).as("the clients of pods that never let go are cut when the timeout ends")
              .isEqualTo(200);
          assertThat(client().v1().events().inNamespace(ns).list().getItems())
              .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("DrainedTimedOut"));
        }
      }
    }
  }

  private static List<String> events(String ns) {
    return client().v1().events().inNamespace(ns).list().getItems().stream()
        .sorted(java.util.Comparator.comparing(e -> e.getLastTimestamp()))
        .map(e -> e.getLastTimestamp() + " " + e.getReason() + ": " + e.getMessage()).toList();
  }

  private static KubernetesClient client() {
    return cluster.client();
  }

  private static void releaseVersion(String ns, String version) {
    client().resources(Application.class).inNamespace(ns).withName("chat").edit(app -> {
      app.getSpec().template().getSpec().getContainers().get(0).setImage("registry.example.com/chat:" + version);
      return app;
    });
  }

  private static CanaryPhase canaryPhase(String ns, String name) {
    Canary canary = client().resources(Canary.class).inNamespace(ns).withName(name).get();
    return canary == null || canary.getStatus() == null ? null : canary.getStatus().phase();
  }

  /** A chat server: websockets on "ws", the drain hook and connection count on "admin". */
  static Application chat(String ns, String version, String drainTimeout) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("chat").withNamespace(ns).build());
    app.setSpec(new ApplicationSpec(null, REPLICAS,
        new PodTemplateSpecBuilder().withNewSpec()
            .addNewContainer().withName("chat").withImage("registry.example.com/chat:" + version)
              .addNewPort().withName("ws").withContainerPort(8080).endPort()
              .addNewPort().withName("admin").withContainerPort(9090).endPort()
            .endContainer()
            .endSpec().build(),
        new ApplicationService(ApplicationService.ServiceType.ClusterIP, List.of(
            new ServicePortBuilder().withName("ws").withPort(80).withTargetPort(new IntOrString("ws")).build())),
        null,
        new Drain(
            new Drain.Signal(null, new Drain.HttpSignal(new IntOrString("admin"), "/drain", null), null),
            new Drain.Watch(new Drain.HttpWatch(new IntOrString("admin"), "/connections", "/connections", "500ms"),
                null, null),
            drainTimeout, MAX_CONCURRENT, "1s"),
        null, null));
    return app;
  }

  /** The figures go to docs/ when asked (-Dbaton.updateDocs=true), so a normal build leaves the tree clean. */
  private static void writeFigures(TrafficReport report) throws IOException {
    if (Boolean.getBoolean("baton.updateDocs")) {
      Files.writeString(Path.of("../docs/draining-figures.md"), "# Draining 1,000 websockets: measured figures\n\n"
          + "Written by `WebsocketDrainTest` (`./mvnw -B verify -Dbaton.updateDocs=true`): a release of a 4-pod chat"
          + " server from 1.0.0 to 2.0.0 with 1,000 clients, drain by HTTP signal and HTTP connection count,"
          + " `maxConcurrent: 2`, `endpointPropagationDelay: 1s`, each pod closing its sessions over 1 s, on the"
          + " embedded cluster of a 2-core machine.\n\n" + report.toMarkdown() + "\n");
    }
  }
}
