package dev.baton.devcluster.apiserver;

import static dev.baton.devcluster.apiserver.ApiTestSupport.deployment;
import static dev.baton.devcluster.apiserver.ApiTestSupport.ownedBy;
import static dev.baton.devcluster.apiserver.ApiTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The write semantics of the front, through the real fabric8 client over HTTP. */
@org.junit.jupiter.api.Timeout(20)
class ResourceSemanticsTest {

  static EmbeddedApiServer api;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = EmbeddedApiServer.start("127.0.0.1", 0);
    client = api.newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void deploymentStatusSurvivesASpecWrite() {
    Deployment created = client.apps().deployments().resource(deployment("survivor")).create();
    created.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1)
        .withReadyReplicas(1).build());
    client.apps().deployments().resource(created).updateStatus();

    Deployment current = client.apps().deployments().withName("survivor").get();
    current.getSpec().setReplicas(3);
    current.setStatus(null);
    client.apps().deployments().resource(current).update();

    Deployment after = client.apps().deployments().withName("survivor").get();
    assertThat(after.getSpec().getReplicas()).isEqualTo(3);
    assertThat(after.getStatus().getReadyReplicas()).isEqualTo(1);
  }

  @Test
  void statusWriteChangesOnlyStatusAndNotGeneration() {
    Deployment created = client.apps().deployments().resource(deployment("status-only")).create();
    created.getSpec().setReplicas(7);
    created.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
        .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True").build()).build());

    client.apps().deployments().resource(created).updateStatus();

    Deployment after = client.apps().deployments().withName("status-only").get();
    assertThat(after.getSpec().getReplicas()).isEqualTo(1);
    assertThat(after.getStatus().getConditions()).extracting("type").containsExactly("Available");
    assertThat(after.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void generationBumpsOnSpecChangesOnly() {
    client.apps().deployments().resource(deployment("generations")).create();

    client.apps().deployments().withName("generations").edit(d -> {
      d.getMetadata().getLabels().put("touched", "yes");
      return d;
    });
    assertThat(client.apps().deployments().withName("generations").get().getMetadata().getGeneration()).isEqualTo(1L);

    client.apps().deployments().withName("generations").edit(d -> {
      d.getSpec().setReplicas(2);
      return d;
    });
    assertThat(client.apps().deployments().withName("generations").get().getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void staleResourceVersionIsAConflictOnUpdateAndOnStatus() {
    Deployment stale = client.apps().deployments().resource(deployment("locked")).create();
    client.apps().deployments().withName("locked").edit(d -> {
      d.getSpec().setReplicas(2);
      return d;
    });

    stale.getSpec().setReplicas(5);
    assertThatThrownBy(() -> client.apps().deployments().resource(stale).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
          assertThat(e.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on deployments.apps \"locked\": "
              + "the object has been modified; please apply your changes to the latest version and try again");
        });
    assertThatThrownBy(() -> client.apps().deployments().resource(stale).updateStatus())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void leasesSupportLeaderElectionWithOptimisticLocking() {
    Lease lease = client.leases().resource(new LeaseBuilder().withNewMetadata().withName("leader").endMetadata()
        .withNewSpec().withHolderIdentity("a").withLeaseDurationSeconds(15).endSpec().build()).create();
    lease.getSpec().setHolderIdentity("b");
    Lease taken = client.leases().resource(lease).update();

    lease.getSpec().setHolderIdentity("c");
    assertThatThrownBy(() -> client.leases().resource(lease).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.leases().withName("leader").get().getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(taken.getMetadata().getResourceVersion()).isNotEqualTo(lease.getMetadata().getResourceVersion());
  }

  @Test
  void generateNameGivesAFreshName() {
    ConfigMap created = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata()
        .withGenerateName("cfg-").endMetadata().build()).create();

    assertThat(created.getMetadata().getName()).matches("cfg-[a-z0-9]{5}");
  }

  @Test
  void dryRunWritesNothing() {
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("dry").endMetadata().build())
        .dryRun().create();

    assertThat(client.configMaps().withName("dry").get()).isNull();
  }

  @Test
  void deletingAPodMarksItForGracefulTermination() {
    client.pods().resource(pod("graceful", 45L)).create();

    client.pods().withName("graceful").delete();

    Pod terminating = client.pods().withName("graceful").get();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(45L);

    client.pods().withName("graceful").withGracePeriod(0).delete();
    assertThat(client.pods().withName("graceful").get()).isNull();
  }

  @Test
  void finalizersHoldADeletedObjectUntilRemoved() {
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("held")
        .withFinalizers("baton.dev/cleanup").endMetadata().build()).create();

    client.configMaps().withName("held").delete();
    ConfigMap held = client.configMaps().withName("held").get();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();

    client.configMaps().withName("held").edit(c -> {
      c.getMetadata().setFinalizers(List.of());
      return c;
    });
    assertThat(client.configMaps().withName("held").get()).isNull();
  }

  @Test
  void garbageCollectorDeletesDependentsAndTheirDependents() {
    Deployment owner = client.apps().deployments().resource(deployment("gc-owner")).create();
    ReplicaSet replicaSet = client.apps().replicaSets().resource(replicaSet("gc-owner-1", owner)).create();
    client.pods().resource(new PodBuilder(pod("gc-owner-1-pod", 0L)).editMetadata()
        .withOwnerReferences(ownedBy(replicaSet)).endMetadata().build()).create();

    client.apps().deployments().withName("gc-owner").delete();

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(client.apps().replicaSets().withName("gc-owner-1").get()).isNull();
      assertThat(client.pods().withName("gc-owner-1-pod").get()).isNull();
    });
  }

  @Test
  void garbageCollectorDeletesPodsGracefully() {
    Deployment owner = client.apps().deployments().resource(deployment("gc-graceful")).create();
    client.pods().resource(new PodBuilder(pod("gc-graceful-pod", 30L)).editMetadata()
        .withOwnerReferences(ownedBy(owner)).endMetadata().build()).create();

    client.apps().deployments().withName("gc-graceful").delete();

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(client.pods().withName("gc-graceful-pod").get().getMetadata().getDeletionTimestamp()).isNotNull());
  }

  @Test
  void orphanDeletionKeepsDependentsWithoutTheOwnerReference() {
    Deployment owner = client.apps().deployments().resource(deployment("orphaner")).create();
    client.apps().replicaSets().resource(replicaSet("orphaner-1", owner)).create();

    client.apps().deployments().withName("orphaner").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

    assertThat(client.apps().deployments().withName("orphaner").get()).isNull();
    ReplicaSet orphan = client.apps().replicaSets().withName("orphaner-1").get();
    assertThat(orphan).isNotNull();
    assertThat(orphan.getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void foregroundDeletionKeepsTheOwnerUntilDependentsAreGone() {
    Deployment owner = client.apps().deployments().resource(deployment("foreground")).create();
    client.apps().replicaSets().resource(replicaSet("foreground-1", owner)).create();

    client.apps().deployments().withName("foreground").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(client.apps().replicaSets().withName("foreground-1").get()).isNull();
      assertThat(client.apps().deployments().withName("foreground").get()).isNull();
    });
  }

  @Test
  void objectsCreatedForAVanishedOwnerAreCollected() {
    Deployment owner = client.apps().deployments().resource(deployment("vanished")).create();
    client.apps().deployments().withName("vanished").delete();

    client.apps().replicaSets().resource(replicaSet("vanished-1", owner)).create();

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(client.apps().replicaSets().withName("vanished-1").get()).isNull());
  }

  @Test
  void selfSubjectRulesReviewIsAnsweredAsAllowed() {
    SelfSubjectRulesReview review = client.resource(new SelfSubjectRulesReviewBuilder().withNewSpec()
        .withNamespace("default").endSpec().build()).create();

    assertThat(review.getStatus().getResourceRules()).anySatisfy(rule -> assertThat(rule.getVerbs()).contains("*"));
    assertThat(review.getStatus().getIncomplete()).isFalse();
  }

  @Test
  void scaleSubresourceReadsAndWritesReplicas() {
    client.apps().deployments().resource(deployment("scaled")).create();

    client.apps().deployments().withName("scaled").scale(4);

    assertThat(client.apps().deployments().withName("scaled").get().getSpec().getReplicas()).isEqualTo(4);
    JsonNode scale = Store.parse(send("GET", api.url() + "/apis/apps/v1/namespaces/default/deployments/scaled/scale",
        null, null, null).body());
    assertThat(scale.path("kind").asText()).isEqualTo("Scale");
    assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(4);
    assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=scaled");
  }

  @Test
  void strategicMergePatchMergesContainersByName() {
    Deployment two = deployment("smp");
    two.getSpec().getTemplate().getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
        .withName("sidecar").withImage("busybox:1").build());
    client.apps().deployments().resource(two).create();

    var response = send("PATCH", api.url() + "/apis/apps/v1/namespaces/default/deployments/smp",
        "application/strategic-merge-patch+json", null,
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox:2\"}]}}}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(client.apps().deployments().withName("smp").get().getSpec().getTemplate().getSpec().getContainers())
        .extracting("name", "image")
        .containsExactly(org.assertj.core.groups.Tuple.tuple("app", "nginx:1"),
            org.assertj.core.groups.Tuple.tuple("sidecar", "busybox:2"));
  }

  @Test
  void informersSeeChangesOverWebSocketWatches() {
    var seen = new java.util.concurrent.CopyOnWriteArrayList<String>();
    try (var informer = client.configMaps().inform(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap obj) {
        seen.add("add " + obj.getMetadata().getName());
      }

      @Override
      public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
        seen.add("update " + newObj.getMetadata().getName());
      }

      @Override
      public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
        seen.add("delete " + obj.getMetadata().getName());
      }
    }, 0)) {
      client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("informed").endMetadata().build())
          .create();
      client.configMaps().withName("informed").edit(c -> {
        c.setData(java.util.Map.of("k", "v"));
        return c;
      });
      client.configMaps().withName("informed").delete();

      await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
          assertThat(seen).containsSubsequence("add informed", "update informed", "delete informed"));
    }
  }

  private static Pod pod(String name, Long grace) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(grace)
        .addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec().build();
  }

  private static ReplicaSet replicaSet(String name, Deployment owner) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name).withOwnerReferences(ownedBy(owner)).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec().endTemplate()
        .endSpec().build();
  }
}
