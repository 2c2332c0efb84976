package dev.baton.devcluster.sim;

import static dev.baton.devcluster.sim.MockApi.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {

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
    void scaleDownRemovesLowerDeletionCostFirst() {
        String ns = MockApi.freshNamespace();
        List<Pod> pods = readyReplicaSet(ns, 3);
        annotateCost(ns, pods.get(0), "100");
        annotateCost(ns, pods.get(1), "-10");
        annotateCost(ns, pods.get(2), "50");

        scale(ns, 2);

        eventually().untilAsserted(() -> assertThat(names(api.livePods(ns)))
                .containsExactlyInAnyOrder(name(pods.get(0)), name(pods.get(2))));
    }

    @Test
    void scaleDownRemovesNotReadySiblingBeforeLowerCostPod() {
        String ns = MockApi.freshNamespace();
        List<Pod> pods = readyReplicaSet(ns, 3);
        annotateCost(ns, pods.get(0), "-100"); // the pod a drain would mark for removal
        api.cluster.kubelet().setReady(ns, name(pods.get(2)), false);
        eventually().until(() -> !PodState.isReady(api.cluster.cachedPod(ns, name(pods.get(2))).orElseThrow()));

        scale(ns, 2);

        // Readiness is ranked before pod-deletion-cost: the not-ready sibling goes, the low-cost pod stays.
        eventually().untilAsserted(() -> assertThat(names(api.livePods(ns)))
                .containsExactlyInAnyOrder(name(pods.get(0)), name(pods.get(1))));
    }

    @Test
    void podWhoseLabelsStopMatchingIsReleasedAndReplaced() {
        String ns = MockApi.freshNamespace();
        List<Pod> pods = readyReplicaSet(ns, 2);
        Pod relabelled = pods.get(0);

        api.client.pods().inNamespace(ns).withName(name(relabelled))
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"app\":\"quarantined\"}}}");

        eventually().untilAsserted(() -> {
            Pod released = api.client.pods().inNamespace(ns).withName(name(relabelled)).get();
            assertThat(released.getMetadata().getOwnerReferences()).isNullOrEmpty();
            List<Pod> owned = api.livePods(ns).stream().filter(p -> p.getMetadata().getOwnerReferences() != null
                    && !p.getMetadata().getOwnerReferences().isEmpty()).toList();
            assertThat(owned).hasSize(2).noneMatch(p -> name(p).equals(name(relabelled)));
            assertThat(api.livePods(ns)).hasSize(3);
        });
    }

    @Test
    void terminatingPodsDoNotCountTowardReplicas() {
        String ns = MockApi.freshNamespace();
        List<Pod> pods = readyReplicaSet(ns, 2);
        Pod leaving = pods.get(0);

        api.client.pods().inNamespace(ns).withName(name(leaving)).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");
        api.client.pods().inNamespace(ns).withName(name(leaving)).delete();

        eventually().untilAsserted(() -> {
            assertThat(api.livePods(ns)).hasSize(2).noneMatch(p -> name(p).equals(name(leaving)));
            assertThat(api.client.pods().inNamespace(ns).withName(name(leaving)).get().getMetadata().getDeletionTimestamp())
                    .isNotNull();
        });
        api.client.pods().inNamespace(ns).withName(name(leaving)).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");
    }

    private static List<Pod> readyReplicaSet(String ns, int replicas) {
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata().withNamespace(ns).withName("web").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("web:1.0.0").endContainer().endSpec()
                .endTemplate().endSpec().build();
        api.client.resource(rs).create();
        eventually().untilAsserted(() -> assertThat(api.pods(ns)).hasSize(replicas).allMatch(MockApi::isReady));
        List<Pod> pods = api.pods(ns);
        eventually().until(() -> pods.stream().allMatch(p -> api.cluster.cachedPod(ns, name(p)).map(PodState::isReady).orElse(false)));
        return pods;
    }

    private static void annotateCost(String ns, Pod pod, String cost) {
        api.client.pods().inNamespace(ns).withName(name(pod)).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + ScaleDownRanking.POD_DELETION_COST + "\":\"" + cost + "\"}}}");
        // kubernetes#126138: a cost set just before a scale-down must reach the controller's cache first.
        eventually().until(() -> cost.equals(api.cluster.cachedPod(ns, name(pod)).orElseThrow()
                .getMetadata().getAnnotations().get(ScaleDownRanking.POD_DELETION_COST)));
    }

    private static void scale(String ns, int replicas) {
        api.client.apps().replicaSets().inNamespace(ns).withName("web")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    private static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(ReplicaSetControllerTest::name).toList();
    }
}
