package dev.baton.drain;

import static dev.baton.drain.TestPods.NAMESPACE;
import static dev.baton.drain.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The annotation signal through the real fabric8 client against a Kubernetes API (fabric8's, in CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class AnnotationSignalTest {

  static final Instant DRAIN_STARTED = Instant.parse("2026-11-22T10:15:30.250Z");

  static KubernetesClient client;

  AnnotationSignal signalAt(Instant now) {
    return new AnnotationSignal(client, Clock.fixed(now, ZoneOffset.UTC));
  }

  Pod created(String name) {
    Pod pod = new PodBuilder(pod(name)).editMetadata().addToAnnotations("team", "realtime").endMetadata().build();
    return client.pods().inNamespace(NAMESPACE).resource(pod).create();
  }

  Pod fromApi(String name) {
    return client.pods().inNamespace(NAMESPACE).withName(name).get();
  }

  @Test
  void annotationSignalSetsTheDrainStartInRfc3339AndKeepsOtherAnnotations() {
    Pod pod = created("chat-1");

    SignalResult result = signalAt(DRAIN_STARTED).send(pod, Drains.annotationSignal());

    assertThat(result.sent()).as(result.message()).isTrue();
    assertThat(fromApi("chat-1").getMetadata().getAnnotations())
        .containsEntry(AnnotationSignal.ANNOTATION, "2026-11-22T10:15:30Z")
        .containsEntry("team", "realtime");
  }

  @Test
  void annotationSignalLeavesAnAnnotatedPodAloneSoAResendKeepsTheOriginalTime() {
    Pod pod = created("chat-2");
    signalAt(DRAIN_STARTED).send(pod, Drains.annotationSignal());
    Pod annotated = fromApi("chat-2");

    SignalResult resent = signalAt(DRAIN_STARTED.plusSeconds(600)).send(annotated, Drains.annotationSignal());

    assertThat(resent.sent()).isTrue();
    assertThat(resent.message()).contains("already has baton.dev/drain=2026-11-22T10:15:30Z");
    Pod after = fromApi("chat-2");
    assertThat(after.getMetadata().getAnnotations()).containsEntry(AnnotationSignal.ANNOTATION, "2026-11-22T10:15:30Z");
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(annotated.getMetadata().getResourceVersion());
  }

  @Test
  void annotationSignalIsADefaultDrainsSignal() {
    Pod pod = created("chat-3");

    SignalResult result = signalAt(DRAIN_STARTED).send(pod, dev.baton.api.Drain.DEFAULT);

    assertThat(result.sent()).isTrue();
    assertThat(fromApi("chat-3").getMetadata().getAnnotations()).containsKey(AnnotationSignal.ANNOTATION);
  }

  @Test
  void annotationSignalFailsWithAMessageForAPodThatIsGone() {
    SignalResult result = signalAt(DRAIN_STARTED).send(pod("chat-gone"), Drains.annotationSignal());

    assertThat(result).isInstanceOf(SignalResult.Failed.class);
    assertThat(result.message()).isEqualTo("pod realtime/chat-gone no longer exists, so it cannot be annotated");
  }
}
