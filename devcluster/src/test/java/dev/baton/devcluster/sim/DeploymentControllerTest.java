package dev.baton.devcluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.baton.devcluster.sim.MockApi.eventually;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {

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
    void deploymentCreatesReplicaSetNamedByTemplateHashWhosePodsCarryTemplateLabelsAnnotationsAndOwners() {
        String ns = MockApi.freshNamespace();

        Deployment d = api.createDeployment(ns, "chat", 3, "registry.example.com/chat:1.0.0");

        eventually().untilAsserted(() -> assertThat(api.pods(ns)).hasSize(3));
        ReplicaSet rs = api.replicaSets(ns).get(0);
        String hash = rs.getMetadata().getLabels().get("pod-template-hash");
        assertThat(rs.getMetadata().getName()).isEqualTo("chat-" + hash);
        assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("app", "chat").containsEntry("pod-template-hash", hash);
        assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("Deployment");
            assertThat(ref.getUid()).isEqualTo(d.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        for (Pod pod : api.pods(ns)) {
            assertThat(pod.getMetadata().getName()).matches("chat-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
            assertThat(pod.getMetadata().getLabels()).containsEntry("app", "chat").containsEntry("pod-template-hash", hash);
            assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/note", "kept");
            OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
            assertThat(owner.getKind()).isEqualTo("ReplicaSet");
            assertThat(owner.getName()).isEqualTo(rs.getMetadata().getName());
            assertThat(owner.getController()).isTrue();
        }
    }

    @Test
    void statusReportsReadyAndAvailableReplicasAndCompleteRollout() {
        String ns = MockApi.freshNamespace();

        api.createDeployment(ns, "chat", 2, "chat:1.0.0");

        eventually().untilAsserted(() -> {
            Deployment d = api.deployment(ns, "chat");
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(d.getStatus().getReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getReadyReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getUnavailableReplicas()).isZero();
            assertThat(condition(d, "Available")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("MinimumReplicasAvailable");
            });
            assertThat(condition(d, "Progressing")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
            });
        });
        ReplicaSet rs = api.replicaSets(ns).get(0);
        assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(rs.getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(rs.getStatus().getFullyLabeledReplicas()).isEqualTo(2);
        assertThat(rs.getStatus().getObservedGeneration()).isEqualTo(rs.getMetadata().getGeneration());
    }

    @Test
    void availabilityWaitsForMinReadySeconds() {
        String ns = MockApi.freshNamespace();
        Deployment d = MockApi.deployment(ns, "chat", 1, "chat:1.0.0");
        d.getSpec().setMinReadySeconds(2);

        api.client.resource(d).create();

        eventually().untilAsserted(() -> assertThat(api.deployment(ns, "chat").getStatus().getReadyReplicas()).isEqualTo(1));
        assertThat(api.deployment(ns, "chat").getStatus().getAvailableReplicas()).isZero();
        eventually().atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertThat(api.deployment(ns, "chat").getStatus().getAvailableReplicas()).isEqualTo(1));
    }

    @Test
    void scalingTheDeploymentScalesItsReplicaSetUpAndDown() {
        String ns = MockApi.freshNamespace();
        api.createDeployment(ns, "chat", 2, "chat:1.0.0");
        eventually().untilAsserted(() -> assertThat(api.deployment(ns, "chat").getStatus().getAvailableReplicas()).isEqualTo(2));

        scale(ns, "chat", 5);
        eventually().untilAsserted(() -> {
            assertThat(api.livePods(ns)).hasSize(5);
            assertThat(api.deployment(ns, "chat").getStatus().getAvailableReplicas()).isEqualTo(5);
        });

        scale(ns, "chat", 1);
        eventually().untilAsserted(() -> {
            assertThat(api.livePods(ns)).hasSize(1);
            assertThat(api.replicaSets(ns)).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isEqualTo(1));
            assertThat(api.deployment(ns, "chat").getStatus().getReplicas()).isEqualTo(1);
        });
    }

    @Test
    void rollingUpdateNeverExceedsMaxSurgeNorDropsBelowMaxUnavailable() {
        String ns = MockApi.freshNamespace();
        Deployment d = new DeploymentBuilder(MockApi.deployment(ns, "chat", 4, "chat:1.0.0"))
                .editSpec().withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString("25%"))
                .endRollingUpdate().endStrategy().endSpec().build();
        api.client.resource(d).create();
        eventually().untilAsserted(() -> assertThat(api.deployment(ns, "chat").getStatus().getAvailableReplicas()).isEqualTo(4));

        List<int[]> observed = new CopyOnWriteArrayList<>(); // {live pods, ready live pods}
        ScheduledExecutorService observer = Executors.newSingleThreadScheduledExecutor();
        observer.scheduleAtFixedRate(() -> {
            List<Pod> live = api.livePods(ns);
            observed.add(new int[] {live.size(), (int) live.stream().filter(MockApi::isReady).count()});
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            setImage(ns, "chat", "chat:2.0.0");

            eventually().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Deployment now = api.deployment(ns, "chat");
                assertThat(now.getStatus().getUpdatedReplicas()).isEqualTo(4);
                assertThat(now.getStatus().getAvailableReplicas()).isEqualTo(4);
                assertThat(now.getStatus().getReplicas()).isEqualTo(4);
                assertThat(api.livePods(ns)).hasSize(4)
                        .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("chat:2.0.0"));
            });
        } finally {
            observer.shutdownNow();
        }
        // maxSurge 1 → at most 5 pods; maxUnavailable 25% of 4 → at least 3 ready at every moment.
        assertThat(observed).isNotEmpty().allSatisfy(sample -> {
            assertThat(sample[0]).as("live pods").isLessThanOrEqualTo(5);
            assertThat(sample[1]).as("ready pods").isGreaterThanOrEqualTo(3);
        });
        assertThat(observed).anySatisfy(sample -> assertThat(sample[0]).isEqualTo(5));
        List<ReplicaSet> replicaSets = api.replicaSets(ns);
        assertThat(replicaSets).hasSize(2);
        assertThat(replicaSets).anySatisfy(rs -> {
            assertThat(rs.getSpec().getReplicas()).isZero();
            assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        });
        assertThat(replicaSets).anySatisfy(rs -> {
            assertThat(rs.getSpec().getReplicas()).isEqualTo(4);
            assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        });
    }

    @Test
    void recreateRemovesOldPodsBeforeStartingNewOnes() {
        String ns = MockApi.freshNamespace();
        Deployment d = new DeploymentBuilder(MockApi.deployment(ns, "chat", 2, "chat:1.0.0"))
                .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec().build();
        api.client.resource(d).create();
        eventually().untilAsserted(() -> assertThat(api.deployment(ns, "chat").getStatus().getAvailableReplicas()).isEqualTo(2));

        setImage(ns, "chat", "chat:2.0.0");

        eventually().untilAsserted(() -> {
            assertThat(api.livePods(ns)).hasSize(2)
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("chat:2.0.0"));
            assertThat(api.deployment(ns, "chat").getStatus().getAvailableReplicas()).isEqualTo(2);
        });
    }

    @Test
    void progressDeadlineExceededWhenNewPodsNeverBecomeReady() {
        String ns = MockApi.freshNamespace();
        api.cluster.kubelet().behaveFor("chat:9.9.9-broken", PodBehaviour.NEVER_READY);
        Deployment d = MockApi.deployment(ns, "chat", 2, "chat:1.0.0");
        d.getSpec().setProgressDeadlineSeconds(2);
        api.client.resource(d).create();
        eventually().untilAsserted(() -> assertThat(condition(api.deployment(ns, "chat"), "Progressing"))
                .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable")));

        setImage(ns, "chat", "chat:9.9.9-broken");

        eventually().untilAsserted(() -> assertThat(condition(api.deployment(ns, "chat"), "Progressing"))
                .hasValueSatisfying(c -> assertThat(c.getReason()).isIn("NewReplicaSetCreated", "ReplicaSetUpdated")));
        eventually().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            Deployment now = api.deployment(ns, "chat");
            assertThat(condition(now, "Progressing")).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
            });
            // maxUnavailable 25% of 2 rounds down to 0: the old pods stay and keep serving.
            assertThat(now.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(condition(now, "Available")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
        });
    }

    private static Optional<DeploymentCondition> condition(Deployment d, String type) {
        if (d.getStatus() == null || d.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static void scale(String ns, String name, int replicas) {
        api.client.apps().deployments().inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    private static void setImage(String ns, String name, String image) {
        api.client.apps().deployments().inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]");
    }
}
