package dev.baton.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events (core/v1) about Baton's objects, so {@code kubectl describe application} tells
 * the story of a release. An Event that cannot be written is logged, never fails a reconcile.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "baton";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata subject, String reason, String message) {
    record(subject, "Normal", reason, message);
  }

  public void warning(HasMetadata subject, String reason, String message) {
    record(subject, "Warning", reason, message);
  }

  private void record(HasMetadata subject, String type, String reason, String message) {
    LOG.debug("{} {}/{}: {} {}", subject.getKind(), subject.getMetadata().getNamespace(), subject.getMetadata().getName(),
        reason, message);
    String now = Instant.now(clock).toString();
    try {
      client.v1().events().inNamespace(subject.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
            .withName(subject.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT))
            .withNamespace(subject.getMetadata().getNamespace())
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(subject.getApiVersion())
              .withKind(subject.getKind())
              .withName(subject.getMetadata().getName())
              .withNamespace(subject.getMetadata().getNamespace())
              .withUid(subject.getMetadata().getUid())
              .withResourceVersion(subject.getMetadata().getResourceVersion())
              .build())
          .withType(type)
          .withReason(reason)
          .withMessage(message)
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.warn("Could not record event {} on {} {}: {}", reason, subject.getKind(), subject.getMetadata().getName(),
          e.getMessage());
    }
  }
}
