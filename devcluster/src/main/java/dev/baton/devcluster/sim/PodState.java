package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Reading a pod's state the way the controllers do (k8s.io/kubernetes/pkg/api/v1/pod/util.go). */
final class PodState {

    private PodState() {
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** IsPodReady: the Ready condition is True. */
    static boolean isReady(Pod pod) {
        return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** When the pod last became ready, or empty when it is not ready (podReadyTime in controller_utils.go). */
    static Optional<Instant> readySince(Pod pod) {
        return condition(pod, "Ready")
                .filter(c -> "True".equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime)
                .flatMap(Times::parse);
    }

    /** IsPodAvailable: ready for at least minReadySeconds. */
    static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        return readySince(pod).map(t -> !t.plusSeconds(minReadySeconds).isAfter(now)).orElse(false);
    }

    /** When a ready pod becomes available, for a timer; empty if it is not ready or already available. */
    static Optional<Duration> untilAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (minReadySeconds <= 0 || !isReady(pod)) {
            return Optional.empty();
        }
        return readySince(pod)
                .map(t -> Duration.between(now, t.plusSeconds(minReadySeconds)))
                .filter(d -> !d.isNegative() && !d.isZero());
    }

    /** IsPodActive: not finished and not being deleted (FilterActivePods in controller_utils.go). */
    static boolean isActive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !Ownership.isTerminating(pod);
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    static int maxRestarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getRestartCount)
                .filter(java.util.Objects::nonNull)
                .mapToInt(Integer::intValue)
                .max().orElse(0);
    }

    static boolean isAssigned(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }
}
