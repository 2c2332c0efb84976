package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's status from its ReplicaSets, with the {@code Available} and {@code Progressing} conditions
 * (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status; {@code calculateStatus}
 * in sync.go, {@code syncRolloutStatus} and {@code requeueStuckDeployment} in progress.go, {@code DeploymentComplete},
 * {@code DeploymentProgressing}, {@code DeploymentTimedOut} in util/deployment_util.go).
 *
 * <p>Like the real controller, the progress deadline is only checked while a rollout is under way: once the
 * Deployment has reached NewReplicaSetAvailable, later unavailability does not make it time out (kubernetes#106054).
 */
final class DeploymentStatusCalculator {

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";

    record Result(DeploymentStatus status, Optional<Duration> recheckAfter) {
    }

    private final Clock clock;

    DeploymentStatusCalculator(Clock clock) {
        this.clock = clock;
    }

    Result calculate(Deployment d, ReplicaSet newRs, List<ReplicaSet> all, boolean createdNewRs) {
        Instant now = clock.instant();
        String nowText = Times.format(now);
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int replicas = DeploymentController.replicas(d);
        int available = all.stream().mapToInt(DeploymentController::available).sum();
        List<DeploymentCondition> conditions = new ArrayList<>(Objects.requireNonNullElse(old.getConditions(), List.of()));
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(all.stream().mapToInt(rs -> statusReplicas(rs)).sum())
                .withUpdatedReplicas(newRs == null ? 0 : statusReplicas(newRs))
                .withReadyReplicas(all.stream().mapToInt(DeploymentStatusCalculator::ready).sum())
                .withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, replicas - available))
                .withCollisionCount(old.getCollisionCount())
                .build();

        int minAvailable = replicas - RollingUpdateBounds.of(d).maxUnavailable();
        if (available >= minAvailable) {
            set(conditions, condition(AVAILABLE, "True", "MinimumReplicasAvailable",
                    "Deployment has minimum availability.", nowText));
        } else {
            set(conditions, condition(AVAILABLE, "False", "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.", nowText));
        }

        String rsName = newRs == null ? "" : newRs.getMetadata().getName();
        DeploymentCondition progressing = find(old.getConditions(), PROGRESSING);
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (paused) {
            // checkPausedConditions in sync.go: a paused Deployment cannot time out.
            if (progressing == null || !"DeploymentPaused".equals(progressing.getReason())) {
                set(conditions, condition(PROGRESSING, "Unknown", "DeploymentPaused", "Deployment is paused", nowText));
            }
            status.setConditions(conditions);
            return new Result(status, Optional.empty());
        }
        if (progressing != null && "DeploymentPaused".equals(progressing.getReason())) {
            set(conditions, condition(PROGRESSING, "Unknown", "DeploymentResumed", "Deployment is resumed", nowText));
            progressing = find(conditions, PROGRESSING);
        }
        if (createdNewRs) {
            set(conditions, condition(PROGRESSING, "True", "NewReplicaSetCreated",
                    "Created new replica set \"" + rsName + "\"", nowText));
            progressing = find(conditions, PROGRESSING);
        }

        int deadlineSeconds = d.getSpec().getProgressDeadlineSeconds() == null ? 600 : d.getSpec().getProgressDeadlineSeconds();
        boolean complete = isComplete(d, status);
        boolean alreadyComplete = Objects.equals(status.getReplicas(), status.getUpdatedReplicas())
                && progressing != null && "NewReplicaSetAvailable".equals(progressing.getReason());
        if (!alreadyComplete) {
            if (complete) {
                set(conditions, condition(PROGRESSING, "True", "NewReplicaSetAvailable",
                        "ReplicaSet \"" + rsName + "\" has successfully progressed.", nowText));
            } else if (isProgressing(old, status)) {
                DeploymentCondition updated = condition(PROGRESSING, "True", "ReplicaSetUpdated",
                        "ReplicaSet \"" + rsName + "\" is progressing.", nowText);
                DeploymentCondition current = find(conditions, PROGRESSING);
                if (current != null && "True".equals(current.getStatus())) {
                    updated.setLastTransitionTime(current.getLastTransitionTime());
                }
                conditions.removeIf(c -> PROGRESSING.equals(c.getType()));
                conditions.add(updated);
            } else if (hasTimedOut(find(conditions, PROGRESSING), deadlineSeconds, now)) {
                set(conditions, condition(PROGRESSING, "False", "ProgressDeadlineExceeded",
                        "ReplicaSet \"" + rsName + "\" has timed out progressing.", nowText));
            }
        }
        status.setConditions(conditions);
        return new Result(status, recheckAt(find(conditions, PROGRESSING), complete, deadlineSeconds, now));
    }

    /** Whether two statuses are the same for the purpose of writing (DeepEqual in syncRolloutStatus). */
    boolean same(DeploymentStatus current, DeploymentStatus desired) {
        DeploymentStatus a = current == null ? new DeploymentStatus() : current;
        return Objects.equals(a.getObservedGeneration(), desired.getObservedGeneration())
                && Objects.equals(a.getReplicas(), desired.getReplicas())
                && Objects.equals(a.getUpdatedReplicas(), desired.getUpdatedReplicas())
                && Objects.equals(a.getReadyReplicas(), desired.getReadyReplicas())
                && Objects.equals(a.getAvailableReplicas(), desired.getAvailableReplicas())
                && Objects.equals(a.getUnavailableReplicas(), desired.getUnavailableReplicas())
                && Objects.equals(a.getCollisionCount(), desired.getCollisionCount())
                && sameConditions(a.getConditions(), desired.getConditions());
    }

    private static boolean sameConditions(List<DeploymentCondition> a, List<DeploymentCondition> b) {
        List<DeploymentCondition> left = Objects.requireNonNullElse(a, List.of());
        List<DeploymentCondition> right = Objects.requireNonNullElse(b, List.of());
        if (left.size() != right.size()) {
            return false;
        }
        for (DeploymentCondition l : left) {
            DeploymentCondition r = find(right, l.getType());
            if (r == null || !Objects.equals(l.getStatus(), r.getStatus()) || !Objects.equals(l.getReason(), r.getReason())
                    || !Objects.equals(l.getMessage(), r.getMessage())
                    || !Objects.equals(l.getLastUpdateTime(), r.getLastUpdateTime())
                    || !Objects.equals(l.getLastTransitionTime(), r.getLastTransitionTime())) {
                return false;
            }
        }
        return true;
    }

    /** DeploymentComplete: every replica updated and available, nothing old left, this generation observed. */
    static boolean isComplete(Deployment d, DeploymentStatus status) {
        int replicas = DeploymentController.replicas(d);
        return status.getUpdatedReplicas() == replicas && status.getReplicas() == replicas
                && status.getAvailableReplicas() == replicas
                && status.getObservedGeneration() >= Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    }

    /** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last time. */
    private static boolean isProgressing(DeploymentStatus old, DeploymentStatus fresh) {
        int oldOld = intOf(old.getReplicas()) - intOf(old.getUpdatedReplicas());
        int newOld = intOf(fresh.getReplicas()) - intOf(fresh.getUpdatedReplicas());
        return intOf(fresh.getUpdatedReplicas()) > intOf(old.getUpdatedReplicas())
                || newOld < oldOld
                || intOf(fresh.getReadyReplicas()) > intOf(old.getReadyReplicas())
                || intOf(fresh.getAvailableReplicas()) > intOf(old.getAvailableReplicas());
    }

    /** DeploymentTimedOut: no progress since the Progressing condition's lastUpdateTime plus the deadline. */
    private static boolean hasTimedOut(DeploymentCondition progressing, int deadlineSeconds, Instant now) {
        if (progressing == null || "NewReplicaSetAvailable".equals(progressing.getReason())) {
            return false;
        }
        if ("ProgressDeadlineExceeded".equals(progressing.getReason())) {
            return true;
        }
        return Times.parse(progressing.getLastUpdateTime())
                .map(from -> from.plusSeconds(deadlineSeconds).isBefore(now))
                .orElse(false);
    }

    /** requeueStuckDeployment: look again just after the deadline would pass without progress. */
    private static Optional<Duration> recheckAt(DeploymentCondition progressing, boolean complete, int deadlineSeconds,
                                                Instant now) {
        if (progressing == null || complete || "ProgressDeadlineExceeded".equals(progressing.getReason())
                || "NewReplicaSetAvailable".equals(progressing.getReason())) {
            return Optional.empty();
        }
        return Times.parse(progressing.getLastUpdateTime())
                .map(from -> Duration.between(now, from.plusSeconds(deadlineSeconds)).plusMillis(1100))
                .map(after -> after.isNegative() ? Duration.ZERO : after);
    }

    /** SetDeploymentCondition: no change for the same status and reason; lastTransitionTime kept for the same status. */
    private static void set(List<DeploymentCondition> conditions, DeploymentCondition condition) {
        DeploymentCondition current = find(conditions, condition.getType());
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())
                && Objects.equals(current.getReason(), condition.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())) {
            condition.setLastTransitionTime(current.getLastTransitionTime());
        }
        conditions.removeIf(c -> condition.getType().equals(c.getType()));
        conditions.add(condition);
    }

    private static DeploymentCondition condition(String type, String status, String reason, String message, String now) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(now).withLastTransitionTime(now).build();
    }

    private static DeploymentCondition find(List<DeploymentCondition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : intOf(rs.getStatus().getReplicas());
    }

    private static int ready(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : intOf(rs.getStatus().getReadyReplicas());
    }

    private static int intOf(Integer value) {
        return value == null ? 0 : value;
    }
}
