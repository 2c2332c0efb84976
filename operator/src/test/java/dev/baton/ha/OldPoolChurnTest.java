package dev.baton.ha;

import static dev.baton.testing.Applications.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.CanaryPhase;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Found while proving failover: retiring the old pool makes its ReplicaSet create pods of the old version again and
 * again. Not about HA (one replica shows it); kept here, disabled, as the reproduction for the fix in the planner.
 */
class OldPoolChurnTest extends HaFixture {

  @Test
  void retiringTheOldPoolCreatesNoNewPodsOfIt() {
    // given one operator and an Application at v1 with 3 pods that drain at once
    String ns = newNamespace("churn");
    replica("baton-a", ns, OperatorReplica.LeaseTimings.STEADY);
    client().resource(withStrategy(chat(ns, V1, 3), null)).create();
    awaitReady(ns);
    Set<String> v1Pods = ConcurrentHashMap.newKeySet();
    informers.add(client().pods().inNamespace(ns).withLabel(Labels.VERSION, "1.0.0").inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        v1Pods.add(pod.getMetadata().getName());
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {
        v1Pods.add(pod.getMetadata().getName());
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {}
    }));
    await().atMost(PATIENCE).until(() -> v1Pods.size() == 3);

    // when v2 is released (no steps: the new pool comes up whole, then the old one is drained away)
    client().resources(Application.class).inNamespace(ns).withName("chat").edit(a -> withImage(a, V2));
    await().atMost(PATIENCE).until(() -> v1Pods.size() > 3
        || status(ns) != null && status(ns).phase() == CanaryPhase.Succeeded);

    // then the old pool lost its 3 pods and never got a new one, and the release ended
    assertThat(v1Pods).as("pods of 1.0.0 ever seen").hasSize(3);
    assertThat(status(ns).phase()).isEqualTo(CanaryPhase.Succeeded);
  }
}
