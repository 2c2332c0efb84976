package dev.baton.plan;

import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where a pod is in its drain, read from its labels and annotations: the drain's memory lives on the pod
 * itself, so an operator restarted mid-drain neither signals a pod twice nor forgets one.
 */
record PodDrainState(Pod pod, Stage stage, Instant isolatedAt, Instant startedAt, Instant signalledAt,
    int signalFailures, Instant lastSignalFailure) {

  enum Stage {
    /** In the Services, no drain. */
    SERVING,
    /**
     * Out of the Services ahead of its drain (its pool is retired whole): it keeps the connections it has and gets
     * no new ones, waiting for a drain slot. Not draining: it does not count against {@code maxConcurrent}, and
     * the drain's clock (propagation delay, signal backoff, timeout) starts only when its drain does.
     */
    ISOLATED,
    /** Out of the Services; being signalled or watched. */
    DRAINING,
    /** Drained (or timed out): may be removed. */
    FINISHED
  }

  static PodDrainState of(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of()
        : pod.getMetadata().getAnnotations();
    Instant isolated = time(annotations.get(Labels.DRAIN_ISOLATED_ANNOTATION));
    Instant started = time(annotations.get(Labels.DRAIN_STARTED_ANNOTATION));
    Stage stage = started != null
        ? annotations.containsKey(Labels.DRAIN_FINISHED_ANNOTATION) ? Stage.FINISHED : Stage.DRAINING
        : isolated != null ? Stage.ISOLATED : Stage.SERVING;
    int failures = Optional.ofNullable(annotations.get(Labels.DRAIN_SIGNAL_FAILURES_ANNOTATION))
        .map(PodDrainState::parseInt).orElse(0);
    return new PodDrainState(pod, stage, isolated, started, time(annotations.get(Labels.DRAIN_SIGNALLED_ANNOTATION)), failures,
        time(annotations.get(Labels.DRAIN_SIGNAL_FAILED_ANNOTATION)));
  }

  String name() {
    return pod.getMetadata().getName();
  }

  /** Ready as the kubelet reports it (the Ready condition). */
  boolean ready() {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  String creationTimestamp() {
    return pod.getMetadata().getCreationTimestamp() == null ? "" : pod.getMetadata().getCreationTimestamp();
  }

  private static Instant time(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static int parseInt(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
