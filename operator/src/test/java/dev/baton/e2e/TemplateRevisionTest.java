package dev.baton.e2e;

import static dev.baton.api.CanaryStep.pause;
import static dev.baton.api.CanaryStep.setWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.Application;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change of the pod template that keeps the version (an environment variable, same image tag) is released as a
 * revision of that version, with the strategy and draining, never rolled in place by the Deployment controller:
 * the drain invariants BatonTestCluster checks after each test would catch a serving pod removed undrained.
 */
class TemplateRevisionTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  @Test
  void anEnvironmentChangeIsReleasedAsARevisionAndTheOldPodsAreDrained() {
    Releases r = new Releases(cluster, cluster.newNamespace("revision"));
    r.createReady("1.0", 3, Releases.canary(null, null, setWeight(33), pause(null)));

    setEnvironment(r, "LOG_LEVEL", "debug");

    String revision = await().atMost(Releases.PATIENCE).until(() -> r.application().getStatus().version(),
        v -> v != null && v.startsWith("1.0-"));
    assertThat(revision).matches("1\\.0-[0-9a-f]{6}");
    String canary = "chat-" + revision;
    CanaryStatus paused = r.awaitCanary(canary, s -> s.phase() == CanaryPhase.Paused);
    assertThat(r.canary(canary).getSpec().fromVersion()).isEqualTo("1.0");
    assertThat(paused.currentWeight()).isEqualTo(33);
    assertThat(r.poolNames()).containsExactly("chat-1.0", canary);
    assertThat(r.pool("1.0")).get().satisfies(pool ->
        assertThat(pool.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).as("the stable pool untouched")
            .isNullOrEmpty());

    r.act(canary, "promote");

    r.awaitCanary(canary, s -> s.phase() == CanaryPhase.Succeeded);
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      Application app = r.application();
      assertThat(app.getStatus().stableVersion()).isEqualTo(revision);
      assertThat(r.poolNames()).containsExactly(canary);
      List<Pod> pods = r.client().pods().inNamespace(r.namespace()).withLabel("baton.dev/application", "chat").list()
          .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
      assertThat(pods).hasSize(3).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnv())
          .anySatisfy(e -> assertThat(e.getName()).isEqualTo("LOG_LEVEL")));
      assertThat(r.eventReasons()).contains("DrainStarted").doesNotContain("PoolTemplateUpdated");
    });

    // Reconciles after the release keep the revision: its pool runs the template.
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    assertThat(r.application().getStatus().version()).isEqualTo(revision);
  }

  /** {@code kubectl set env}-like: a JSON patch adding one variable to the first container. */
  private static void setEnvironment(Releases r, String name, String value) {
    r.client().resources(Application.class).inNamespace(r.namespace()).withName("chat").patch(
        PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/env\",\"value\":"
            + "[{\"name\":\"" + name + "\",\"value\":\"" + value + "\"}]}]");
  }
}
