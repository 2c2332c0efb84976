package dev.baton.devcluster.sim;

import static dev.baton.devcluster.sim.MockApi.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KubeletTest {

    private static MockApi api;
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() {
        api = new MockApi(SimulationSettings.forTests());
        api.cluster.kubelet()
                .behaveFor("*:crash", PodBehaviour.CRASH_LOOP)
                .behaveFor("slow:*", PodBehaviour.slowStart(Duration.ofMillis(1500)))
                .addListener(new KubeletListener() {
                    @Override
                    public void podStarted(String namespace, String name, String podIp) {
                        events.add("started " + name + " " + podIp);
                    }

                    @Override
                    public void podTerminating(String namespace, String name, String podIp) {
                        events.add("terminating " + name);
                    }

                    @Override
                    public void podStopped(String namespace, String name, String podIp) {
                        events.add("stopped " + name);
                    }
                });
    }

    @AfterAll
    static void stopCluster() {
        api.close();
    }

    @Test
    void everyPodRunsOnTheNodeWithItsOwnLoopbackAddress() {
        String ns = MockApi.freshNamespace();

        IntStream.range(0, 6).forEach(i -> createPod(ns, "p" + i, "web:1.0.0"));

        eventually().untilAsserted(() -> assertThat(api.pods(ns)).hasSize(6).allSatisfy(p -> {
            assertThat(p.getSpec().getNodeName()).isEqualTo("baton-dev-node");
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getHostIP()).isEqualTo("127.0.0.1");
            assertThat(p.getStatus().getPodIP()).startsWith("127.").isNotEqualTo("127.0.0.1").doesNotStartWith("127.0.");
            assertThat(p.getStatus().getPodIPs()).singleElement().satisfies(ip -> assertThat(ip.getIp()).isEqualTo(p.getStatus().getPodIP()));
            assertThat(p.getStatus().getStartTime()).isNotNull();
            assertThat(p.getStatus().getContainerStatuses()).singleElement().satisfies(c -> assertThat(c.getState().getRunning()).isNotNull());
        }));
        assertThat(api.pods(ns).stream().map(p -> p.getStatus().getPodIP()).distinct()).hasSize(6);
        assertThat(api.cluster.kubelet().podIp(ns, "p0")).contains(api.client.pods().inNamespace(ns).withName("p0").get().getStatus().getPodIP());
        eventually().untilAsserted(() -> assertThat(events).contains("started p0 " + api.cluster.kubelet().podIp(ns, "p0").orElseThrow()));
    }

    @Test
    void podBecomesReadyOnlyAfterItsStartDelay() {
        String ns = MockApi.freshNamespace();
        Instant created = Instant.now();

        createPod(ns, "warming", "slow:1.0.0");

        eventually().untilAsserted(() -> {
            Pod pod = api.client.pods().inNamespace(ns).withName("warming").get();
            assertThat(pod.getStatus().getPodIP()).isNotNull();
            assertThat(condition(pod, "PodScheduled")).isEqualTo("True");
            assertThat(condition(pod, "Initialized")).isEqualTo("True");
            assertThat(condition(pod, "Ready")).isEqualTo("False");
        });
        eventually().untilAsserted(() -> assertThat(MockApi.isReady(api.client.pods().inNamespace(ns).withName("warming").get())).isTrue());
        assertThat(Duration.between(created, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(condition(api.client.pods().inNamespace(ns).withName("warming").get(), "ContainersReady")).isEqualTo("True");
    }

    @Test
    void setReadyFlipsReadinessUntilFlippedBack() {
        String ns = MockApi.freshNamespace();
        createPod(ns, "web", "web:1.0.0");
        eventually().until(() -> MockApi.isReady(api.client.pods().inNamespace(ns).withName("web").get()));

        api.cluster.kubelet().setReady(ns, "web", false);
        eventually().until(() -> !MockApi.isReady(api.client.pods().inNamespace(ns).withName("web").get()));

        api.cluster.kubelet().setReady(ns, "web", true);
        eventually().until(() -> MockApi.isReady(api.client.pods().inNamespace(ns).withName("web").get()));
    }

    @Test
    void crashLoopingImageRestartsAndNeverBecomesReady() {
        String ns = MockApi.freshNamespace();

        createPod(ns, "broken", "registry.example.com/web:crash");

        eventually().untilAsserted(() -> {
            Pod pod = api.client.pods().inNamespace(ns).withName("broken").get();
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(condition(pod, "Ready")).isEqualTo("False");
            assertThat(pod.getStatus().getContainerStatuses()).singleElement().satisfies(c -> {
                assertThat(c.getRestartCount()).isGreaterThanOrEqualTo(2);
                assertThat(c.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
                assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
            });
        });
    }

    @Test
    void readinessGateHoldsReadyUntilItsConditionIsTrue() {
        String ns = MockApi.freshNamespace();
        api.client.resource(new PodBuilder(pod(ns, "gated", "web:1.0.0"))
                .editSpec().addNewReadinessGate().withConditionType("baton.dev/in-rotation").endReadinessGate().endSpec()
                .build()).create();
        eventually().untilAsserted(() -> {
            Pod pod = api.client.pods().inNamespace(ns).withName("gated").get();
            assertThat(condition(pod, "ContainersReady")).isEqualTo("True");
            assertThat(condition(pod, "Ready")).isEqualTo("False");
        });

        Pod pod = api.client.pods().inNamespace(ns).withName("gated").get();
        api.client.pods().inNamespace(ns).withName("gated").subresource("status").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/status/conditions/-\",\"value\":{\"type\":\"baton.dev/in-rotation\",\"status\":\"True\"}}]");

        eventually().untilAsserted(() -> {
            Pod now = api.client.pods().inNamespace(ns).withName("gated").get();
            assertThat(condition(now, "Ready")).isEqualTo("True");
            assertThat(condition(now, "baton.dev/in-rotation")).isEqualTo("True");
        });
        assertThat(pod).isNotNull();
    }

    @Test
    void terminatingPodTurnsNotReadyAtOnceAndIsDeletedAfterTheTerminationDelay() {
        String ns = MockApi.freshNamespace();
        createPod(ns, "leaving", "web:1.0.0");
        eventually().until(() -> MockApi.isReady(api.client.pods().inNamespace(ns).withName("leaving").get()));

        // The embedded API turns the delete into a graceful one: the pod stays, terminating, until the kubelet's
        // final delete with grace period 0 (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination).
        Instant deleted = Instant.now();
        api.client.pods().inNamespace(ns).withName("leaving").delete();

        eventually().untilAsserted(() -> {
            Pod pod = api.client.pods().inNamespace(ns).withName("leaving").get();
            assertThat(pod.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(condition(pod, "Ready")).isEqualTo("False");
            assertThat(events).contains("terminating leaving");
        });
        eventually().untilAsserted(() -> {
            assertThat(api.client.pods().inNamespace(ns).withName("leaving").get()).isNull();
            assertThat(events).containsSubsequence("terminating leaving", "stopped leaving");
        });
        // A lower bound only: a loaded machine makes it later, never earlier.
        assertThat(Duration.between(deleted, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    private static void createPod(String ns, String name, String image) {
        api.client.resource(pod(ns, name, image)).create();
    }

    private static Pod pod(String ns, String name, String image) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage(image).endContainer().endSpec().build();
    }

    private static String condition(Pod pod, String type) {
        return PodState.condition(pod, type).map(c -> c.getStatus()).orElse(null);
    }
}
