package dev.baton.devcluster.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.SimulationSettings;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic harness on its own, no operator: real websocket clients through a kube-proxy-like load balancer to
 * real servers behind simulated pods, and one pod drained by hand the way Baton drains it (out of the Service, drain
 * signal, watch the connections leave, delete).
 */
class HarnessTest {

    private static final Logger LOG = LoggerFactory.getLogger(HarnessTest.class);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final Map<String, String> SELECTOR = Map.of("app", "chat", "serving", "true");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKubernetes kubernetes;
    private static final HttpClient ADMIN = HttpClient.newHttpClient();

    @BeforeAll
    static void startCluster() {
        kubernetes = EmbeddedKubernetes.start(SimulationSettings.forTests());
    }

    @AfterAll
    static void stopCluster() {
        kubernetes.close();
    }

    @Test
    void aDrainedPodLetsItsThousandClientsReconnectElsewhereWithoutOneAbruptClose() throws Exception {
        String ns = "harness-" + NAMESPACES.incrementAndGet();
        createChat(ns, 4);
        try (PodServers servers = PodServers.start(kubernetes, PodServersConfig.forApp(ns, Map.of("app", "chat")));
             LoadBalancer balancer = LoadBalancer.start(kubernetes.client(), ns, "chat", "ws")) {
            awaitReadyPods(servers, balancer, 4);

            WebsocketFleet fleet = WebsocketFleet.connect(balancer.websocketUri(), 1000);
            try (fleet) {
                fleet.awaitAllConnected(CONNECT_TIMEOUT);
                // Round-robin: 250 each, give or take a connect that timed out and was retried on a busy machine.
                assertThat(fleet.connectedByPod()).hasSize(4)
                        .allSatisfy((pod, clients) -> assertThat(clients).isBetween(200, 300));
                assertThat(fleet.connectedByVersion()).containsOnly(Map.entry("1.0.0", 1000));

                String victim = fleet.connectedByPod().firstKey();
                Set<Integer> victimClients = fleet.clientsOn(victim);
                PodServer server = servers.server(victim).orElseThrow();

                // What Baton does for one pod: out of the Service first, so no new connection lands on it...
                setServingLabel(ns, victim, false);
                await().atMost(Duration.ofSeconds(10)).until(() -> !balancer.readyPods().contains(victim));
                // ...then the drain signal, then watch its connections leave, then delete it.
                assertThat(post(server, "/drain")).isEqualTo(202);
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> get(server, "/connections"), body -> body.equals("{\"connections\": 0}"));
                assertThat(get(server, "/connections/count")).isEqualTo("0");
                kubernetes.client().pods().inNamespace(ns).withName(victim).delete();
                await().atMost(Duration.ofSeconds(10)).until(() -> !server.isRunning());

                fleet.awaitAllConnected(CONNECT_TIMEOUT);
                TrafficReport report = TrafficReport.of(fleet, servers);
                LOG.info("One pod of four drained by hand:\n{}", report.toMarkdown());

                assertThat(fleet.abruptCloses()).as("abrupt closes by pod %s", fleet.abruptClosesByPod()).isZero();
                assertThat(fleet.gracefulCloses()).isEqualTo(victimClients.size());
                assertThat(fleet.connectedCount()).isEqualTo(1000);
                assertThat(victimClients).allSatisfy(id ->
                        assertThat(fleet.podOf(id)).hasValueSatisfying(pod -> assertThat(pod).isNotEqualTo(victim)));
                assertThat(fleet.connectedByPod()).doesNotContainKey(victim).hasSize(3);
                assertThat(server.stats()).satisfies(stats -> {
                    assertThat(stats.closedGracefully()).isEqualTo(victimClients.size());
                    assertThat(stats.open()).isZero();
                    assertThat(stats.cutAbruptly()).isZero();
                    assertThat(stats.drainSignalledAt()).isPresent();
                    assertThat(stats.drainedAt()).isPresent();
                });
                // The pod closed its sessions over about a second: clients came back gradually, not all at once.
                assertThat(report.peakReconnectsPerSecond()).isBetween(1, victimClients.size());
                assertThat(report.peakConcurrentDrains()).isEqualTo(1);
                assertThat(report.drainWallTime()).isBetween(PodServersConfig.DEFAULT_DRAIN_PERIOD.multipliedBy(9).dividedBy(10),
                        Duration.ofSeconds(10));
                assertThat(servers.startFailures()).isEmpty();
            }
            assertThat(fleet.abruptCloses()).as("closing the fleet is not abrupt").isZero();
        }
    }

    @Test
    void aPodThatIgnoresTheSignalCutsItsClientsAbruptlyWhenKilled() throws Exception {
        String ns = "harness-" + NAMESPACES.incrementAndGet();
        createChat(ns, 2);
        try (PodServers servers = PodServers.start(kubernetes, PodServersConfig.forApp(ns, Map.of("app", "chat")));
             LoadBalancer balancer = LoadBalancer.start(kubernetes.client(), ns, "chat", "ws");
             WebsocketFleet fleet = connectWhenReady(servers, balancer, 2, 200)) {
            fleet.awaitAllConnected(CONNECT_TIMEOUT);
            String stubborn = fleet.connectedByPod().firstKey();
            int itsClients = fleet.connectedByPod().get(stubborn);
            PodServer server = servers.server(stubborn).orElseThrow();
            server.behaveAs(ServerBehaviour.ignoresDrainSignal());

            setServingLabel(ns, stubborn, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> !balancer.readyPods().contains(stubborn));
            assertThat(post(server, "/drain")).isEqualTo(202);
            // It says it heard, and keeps every session.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> get(server, "/connections/count"), body -> body.equals(Integer.toString(itsClients)));
            kubernetes.client().pods().inNamespace(ns).withName(stubborn).delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.isRunning());

            fleet.awaitAllConnected(CONNECT_TIMEOUT);
            LOG.info("A pod that ignored the drain signal, killed:\n{}", TrafficReport.of(fleet, servers).toMarkdown());
            assertThat(fleet.abruptCloses()).isEqualTo(itsClients);
            assertThat(fleet.abruptClosesByPod()).containsOnly(Map.entry(stubborn, (long) itsClients));
            assertThat(fleet.gracefulCloses()).isZero();
            assertThat(server.stats().cutAbruptly()).isEqualTo(itsClients);
            assertThat(server.stats().drainSignalledAt()).isPresent();
            assertThat(fleet.connectedByPod()).doesNotContainKey(stubborn)
                    .containsOnlyKeys(balancer.readyPods().toArray(String[]::new));
        }
    }

    @Test
    void clientsRetryWhileNoEndpointIsReadyAndConnectOnceOneIs() {
        String ns = "harness-" + NAMESPACES.incrementAndGet();
        createChat(ns, 1);
        try (PodServers servers = PodServers.start(kubernetes, PodServersConfig.forApp(ns, Map.of("app", "chat")));
             LoadBalancer balancer = LoadBalancer.start(kubernetes.client(), ns, "chat", "ws")) {
            awaitReadyPods(servers, balancer, 1);
            String only = balancer.readyPods().get(0);
            setServingLabel(ns, only, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> balancer.readyPods().isEmpty());

            try (WebsocketFleet fleet = WebsocketFleet.connect(balancer.websocketUri(), 20)) {
                // Refused like a Service without endpoints: every client backs off and tries again.
                await().atMost(Duration.ofSeconds(10)).until(() -> fleet.failedConnects() >= 20);
                assertThat(fleet.connectedCount()).isZero();
                assertThat(balancer.refusedConnections()).isGreaterThanOrEqualTo(20);

                setServingLabel(ns, only, true);
                fleet.awaitAllConnected(CONNECT_TIMEOUT);
                assertThat(fleet.connectedByPod()).containsOnly(Map.entry(only, 20));
                assertThat(fleet.gaveUp()).isEmpty();
                assertThat(fleet.abruptCloses()).isZero();
            }
        }
    }

    private static WebsocketFleet connectWhenReady(PodServers servers, LoadBalancer balancer, int pods, int clients) {
        awaitReadyPods(servers, balancer, pods);
        return WebsocketFleet.connect(balancer.websocketUri(), clients);
    }

    private static void awaitReadyPods(PodServers servers, LoadBalancer balancer, int pods) {
        await().atMost(Duration.ofSeconds(10)).until(() -> balancer.readyPods().size() == pods
                && servers.running().size() == pods);
    }

    /** A Service selecting app=chat, serving=true (so flipping serving takes a pod out) and Deployment v1. */
    private static void createChat(String ns, int replicas) {
        kubernetes.client().resource(new ServiceBuilder()
                .withNewMetadata().withNamespace(ns).withName("chat").endMetadata()
                .withNewSpec().withSelector(SELECTOR)
                .addNewPort().withName("ws").withPort(80).withTargetPort(new IntOrString("ws")).endPort()
                .endSpec().build()).create();
        kubernetes.client().resource(new DeploymentBuilder()
                .withNewMetadata().withNamespace(ns).withName("chat-1.0.0").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "chat").addToMatchLabels("version", "1.0.0").endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels(SELECTOR).addToLabels("version", "1.0.0").endMetadata()
                .withNewSpec().addNewContainer().withName("chat").withImage("registry.example.com/chat:1.0.0")
                .addNewPort().withName("ws").withContainerPort(8080).endPort()
                .addNewPort().withName("admin").withContainerPort(9090).endPort()
                .endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    private static void setServingLabel(String ns, String pod, boolean serving) {
        kubernetes.client().pods().inNamespace(ns).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"serving\":\"" + serving + "\"}}}");
    }

    private static int post(PodServer server, String path) throws Exception {
        return ADMIN.send(HttpRequest.newBuilder(adminUri(server, path)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String get(PodServer server, String path) throws Exception {
        return ADMIN.send(HttpRequest.newBuilder(adminUri(server, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static URI adminUri(PodServer server, String path) {
        return URI.create("http://" + server.ip() + ":9090" + path);
    }
}
