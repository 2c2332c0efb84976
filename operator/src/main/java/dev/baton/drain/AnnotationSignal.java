package dev.baton.drain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Sets the annotation {@value #ANNOTATION} on the pod to the time the drain started, in RFC 3339
 * ({@code 2026-11-22T10:15:30Z}). The app reads it through a downward-API volume:
 *
 * <pre>
 * volumes:
 * - name: baton
 *   downwardAPI:
 *     items:
 *     - path: drain
 *       fieldRef: {fieldPath: "metadata.annotations['baton.dev/drain']"}
 * </pre>
 *
 * The kubelet refreshes downward-API volume files when annotations change, while environment variables are
 * fixed at container start, so only the volume works for a signal
 * (https://kubernetes.io/docs/concepts/workloads/pods/downward-api/). The file is empty until the drain starts;
 * the app polls it (or watches it with inotify: the kubelet swaps it atomically through a symlink, so watch
 * the directory). docs/draining-app-samples.md has a copyable example.
 *
 * <p>Idempotent: a pod that already carries the annotation is left alone, so a resend after a restart keeps
 * the original time.
 */
public final class AnnotationSignal implements DrainSignal {

  public static final String ANNOTATION = "baton.dev/drain";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Clock clock;

  public AnnotationSignal(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public SignalResult send(Pod pod, Drain drain) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(ANNOTATION)) {
      return SignalResult.sent("pod " + PodUrl.name(pod) + " already has " + ANNOTATION + "=" + annotations.get(ANNOTATION));
    }
    String startedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    try {
      // A JSON merge patch (RFC 7386) touches only this key: other annotations, and writes by other
      // controllers to the rest of the pod, are kept.
      String patch = JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", Map.of(ANNOTATION, startedAt))));
      client.pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return SignalResult.sent("annotated pod " + PodUrl.name(pod) + " with " + ANNOTATION + "=" + startedAt);
    } catch (KubernetesClientException e) {
      return SignalResult.failed(describe(pod, e));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  private static String describe(Pod pod, KubernetesClientException e) {
    return switch (e.getCode()) {
      case 404 -> "pod " + PodUrl.name(pod) + " no longer exists, so it cannot be annotated";
      case 403 -> "Baton may not patch pod " + PodUrl.name(pod) + " (HTTP 403): its role needs the patch verb on pods";
      default -> "annotating pod " + PodUrl.name(pod) + " failed"
          + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "") + ": " + HttpProblems.excerpt(e.getMessage());
    };
  }
}
