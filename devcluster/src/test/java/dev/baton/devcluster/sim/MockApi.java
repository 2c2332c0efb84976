package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.baton.devcluster.apiserver.EmbeddedApiServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Test fixture: the embedded API (fabric8's CRUD store behind the kube-apiserver-like front), a real client over
 * HTTP, and the simulated cluster.
 * One per test class; every test works in a namespace of its own.
 */
final class MockApi implements AutoCloseable {

    // Held so the JUL configuration is not garbage-collected: the mock logs every request at INFO
    // (-Dmock.log=INFO shows them).
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    final EmbeddedApiServer server;
    final KubernetesClient client;
    final SimulatedCluster cluster;

    MockApi(SimulationSettings settings) {
        MOCK_LOG.setLevel(Level.parse(System.getProperty("mock.log", "WARNING")));
        server = EmbeddedApiServer.start("127.0.0.1", 0);
        client = server.newClient();
        cluster = SimulatedCluster.start(client, settings);
    }

    /** Wait for a condition on the live API; exceptions (an object not there yet) count as "not yet". */
    static org.awaitility.core.ConditionFactory eventually() {
        return org.awaitility.Awaitility.await().ignoreExceptions().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(20));
    }

    static String freshNamespace() {
        return "sim-" + NAMESPACES.incrementAndGet();
    }

    Deployment createDeployment(String namespace, String name, int replicas, String image) {
        return client.resource(deployment(namespace, name, replicas, image)).create();
    }

    static Deployment deployment(String namespace, String name, int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).addToAnnotations("example.com/note", "kept").endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder().withName("main").withImage(image)
                        .withPorts(new ContainerPortBuilder().withName("ws").withContainerPort(8080).build()).build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    List<Pod> pods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems();
    }

    List<Pod> livePods(String namespace) {
        return pods(namespace).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    List<ReplicaSet> replicaSets(String namespace) {
        return client.apps().replicaSets().inNamespace(namespace).list().getItems();
    }

    Deployment deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    static boolean isReady(Pod pod) {
        return PodState.isReady(pod);
    }

    static Map<String, String> labels(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Override
    public void close() {
        cluster.close();
        client.close();
        server.close();
    }
}
