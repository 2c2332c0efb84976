package dev.baton.devcluster.sim;

import static dev.baton.devcluster.sim.MockApi.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EndpointSliceControllerTest {

    private static MockApi api;

    @BeforeAll
    static void startCluster() {
        api = new MockApi(SimulationSettings.forTests());
    }

    @AfterAll
    static void stopCluster() {
        api.close();
    }

    @Test
    void sliceListsTheServicePodsWithTheirNamedTargetPortResolved() {
        String ns = MockApi.freshNamespace();
        Service service = serviceWithPods(ns, 2);

        eventually().untilAsserted(() -> {
            EndpointSlice slice = slice(ns);
            assertThat(slice.getMetadata().getName()).matches("chat-[bcdfghjklmnpqrstvwxz2456789]{5}");
            assertThat(slice.getMetadata().getLabels())
                    .containsEntry("kubernetes.io/service-name", "chat")
                    .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
            assertThat(slice.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(service.getMetadata().getUid()));
            assertThat(slice.getAddressType()).isEqualTo("IPv4");
            assertThat(slice.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("ws");
                assertThat(p.getPort()).isEqualTo(8080);
            });
            assertThat(slice.getEndpoints()).hasSize(2).allSatisfy(e -> {
                assertThat(e.getConditions().getReady()).isTrue();
                assertThat(e.getConditions().getServing()).isTrue();
                assertThat(e.getConditions().getTerminating()).isFalse();
                assertThat(e.getTargetRef().getKind()).isEqualTo("Pod");
                Pod pod = api.client.pods().inNamespace(ns).withName(e.getTargetRef().getName()).get();
                assertThat(e.getAddresses()).containsExactly(pod.getStatus().getPodIP());
            });
            Endpoints legacy = api.client.endpoints().inNamespace(ns).withName("chat").get();
            assertThat(legacy.getSubsets()).singleElement().satisfies(s -> {
                assertThat(s.getAddresses()).hasSize(2);
                assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
            });
        });
    }

    @Test
    void endpointFollowsPodReadiness() {
        String ns = MockApi.freshNamespace();
        serviceWithPods(ns, 2);
        eventually().until(() -> slice(ns).getEndpoints().stream().filter(e -> e.getConditions().getReady()).count() == 2);
        String podName = slice(ns).getEndpoints().get(0).getTargetRef().getName();

        api.cluster.kubelet().setReady(ns, podName, false);

        eventually().untilAsserted(() -> {
            Endpoint endpoint = endpointOf(ns, podName);
            assertThat(endpoint.getConditions().getReady()).isFalse();
            assertThat(endpoint.getConditions().getServing()).isFalse();
            assertThat(endpoint.getConditions().getTerminating()).isFalse();
            Endpoints legacy = api.client.endpoints().inNamespace(ns).withName("chat").get();
            assertThat(legacy.getSubsets().get(0).getNotReadyAddresses()).singleElement()
                    .satisfies(a -> assertThat(a.getTargetRef().getName()).isEqualTo(podName));
        });

        api.cluster.kubelet().setReady(ns, podName, true);

        eventually().untilAsserted(() -> assertThat(endpointOf(ns, podName).getConditions().getReady()).isTrue());
    }

    @Test
    void terminatingPodStaysListedAsTerminatingAndNotReady() {
        String ns = MockApi.freshNamespace();
        serviceWithPods(ns, 2);
        eventually().until(() -> slice(ns).getEndpoints().stream().filter(e -> e.getConditions().getReady()).count() == 2);
        String podName = slice(ns).getEndpoints().get(0).getTargetRef().getName();
        api.client.pods().inNamespace(ns).withName(podName).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");

        api.client.pods().inNamespace(ns).withName(podName).delete();

        eventually().untilAsserted(() -> {
            Endpoint endpoint = endpointOf(ns, podName);
            assertThat(endpoint.getConditions().getTerminating()).isTrue();
            assertThat(endpoint.getConditions().getReady()).isFalse();
            assertThat(api.client.endpoints().inNamespace(ns).withName("chat").get().getSubsets())
                    .flatExtracting(s -> s.getAddresses() == null ? List.of() : s.getAddresses())
                    .noneSatisfy(a -> assertThat(((io.fabric8.kubernetes.api.model.EndpointAddress) a).getTargetRef().getName()).isEqualTo(podName));
        });
        api.client.pods().inNamespace(ns).withName(podName).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");
        eventually().untilAsserted(() -> assertThat(slice(ns).getEndpoints())
                .noneSatisfy(e -> assertThat(e.getTargetRef().getName()).isEqualTo(podName)));
    }

    @Test
    void nothingIsWrittenWhileNothingChanges() {
        String ns = MockApi.freshNamespace();
        serviceWithPods(ns, 3);
        eventually().until(() -> slice(ns).getEndpoints().stream().filter(e -> e.getConditions().getReady()).count() == 3);
        eventually().until(() -> api.deployment(ns, "chat").getStatus().getAvailableReplicas() == 3);

        long writes = api.cluster.apiWrites();

        org.awaitility.Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> api.cluster.apiWrites() == writes);
    }

    private static Service serviceWithPods(String ns, int replicas) {
        api.createDeployment(ns, "chat", replicas, "chat:1.0.0");
        return api.client.resource(new ServiceBuilder()
                .withNewMetadata().withNamespace(ns).withName("chat").endMetadata()
                .withNewSpec().addToSelector("app", "chat")
                .addNewPort().withName("ws").withPort(80).withTargetPort(new IntOrString("ws")).endPort()
                .endSpec().build()).create();
    }

    private static EndpointSlice slice(String ns) {
        List<EndpointSlice> slices = api.client.discovery().v1().endpointSlices().inNamespace(ns)
                .withLabel("kubernetes.io/service-name", "chat").list().getItems();
        assertThat(slices).hasSize(1);
        return slices.get(0);
    }

    private static Endpoint endpointOf(String ns, String podName) {
        return slice(ns).getEndpoints().stream().filter(e -> e.getTargetRef().getName().equals(podName))
                .findFirst().orElseThrow();
    }
}
