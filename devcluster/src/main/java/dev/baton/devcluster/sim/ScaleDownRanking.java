package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The order in which a ReplicaSet picks pods to delete when it scales down: the first pod in this order goes first.
 *
 * <p>A rule-for-rule port of {@code ActivePodsWithRanks.Less} in kubernetes/kubernetes
 * {@code pkg/controller/controller_utils.go} (main), documented at
 * https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#scaling-a-replicaset and
 * https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-deletion-cost:
 * <ol>
 *   <li>unassigned (no node) before assigned;</li>
 *   <li>Pending before Unknown before Running;</li>
 *   <li>not ready before ready;</li>
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} before higher (missing or invalid: 0);</li>
 *   <li>more related pods on the same node before fewer;</li>
 *   <li>both ready: more recently ready before longer ready;</li>
 *   <li>more container restarts before fewer;</li>
 *   <li>newer creation before older.</li>
 * </ol>
 * Rules 6 and 8 compare times as the LogarithmicScaleDown feature (on by default since 1.22) does: by the integer
 * part of log2 of the age in nanoseconds, so pods of similar age fall in one bucket, and within a bucket by UID,
 * which the real controller uses as its random tie-breaker. Because the pod-deletion-cost rule comes after phase
 * and readiness, a not-ready sibling is always deleted before a ready pod with a lower cost: draining must not rely
 * on cost alone.
 */
public final class ScaleDownRanking implements Comparator<Pod> {

    public static final String POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    private static final Map<String, Integer> PHASE_ORDER = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

    private final Instant now;
    private final ToIntFunction<Pod> relatedPodsOnSameNode;

    /**
     * @param now                   the moment the ranking is made (the age buckets depend on it)
     * @param relatedPodsOnSameNode how many active pods of the same owner share the pod's node
     *                              ({@code getPodsRankedByRelatedPodsOnSameNode} in replica_set.go)
     */
    public ScaleDownRanking(Instant now, ToIntFunction<Pod> relatedPodsOnSameNode) {
        this.now = Objects.requireNonNull(now);
        this.relatedPodsOnSameNode = Objects.requireNonNull(relatedPodsOnSameNode);
    }

    @Override
    public int compare(Pod a, Pod b) {
        // 1. Unassigned < assigned.
        boolean aAssigned = PodState.isAssigned(a);
        boolean bAssigned = PodState.isAssigned(b);
        if (aAssigned != bAssigned) {
            return aAssigned ? 1 : -1;
        }
        // 2. Pending < Unknown < Running (other phases rank with Pending, as a missing map entry is 0 in Go).
        int phase = Integer.compare(PHASE_ORDER.getOrDefault(PodState.phase(a), 0),
                PHASE_ORDER.getOrDefault(PodState.phase(b), 0));
        if (phase != 0) {
            return phase;
        }
        // 3. Not ready < ready.
        boolean aReady = PodState.isReady(a);
        boolean bReady = PodState.isReady(b);
        if (aReady != bReady) {
            return aReady ? 1 : -1;
        }
        // 4. Lower pod-deletion-cost < higher.
        int cost = Integer.compare(deletionCost(a), deletionCost(b));
        if (cost != 0) {
            return cost;
        }
        // 5. More related pods on the same node < fewer.
        int doubledUp = Integer.compare(relatedPodsOnSameNode.applyAsInt(b), relatedPodsOnSameNode.applyAsInt(a));
        if (doubledUp != 0) {
            return doubledUp;
        }
        // 6. Both ready: ready for a shorter time < longer.
        if (aReady && bReady) {
            Optional<Instant> aSince = PodState.readySince(a);
            Optional<Instant> bSince = PodState.readySince(b);
            if (!aSince.equals(bSince)) {
                return newerFirst(a, aSince, b, bSince);
            }
        }
        // 7. More restarts < fewer.
        int restarts = Integer.compare(PodState.maxRestarts(b), PodState.maxRestarts(a));
        if (restarts != 0) {
            return restarts;
        }
        // 8. Newer creation < older.
        Optional<Instant> aCreated = Times.parse(a.getMetadata().getCreationTimestamp());
        Optional<Instant> bCreated = Times.parse(b.getMetadata().getCreationTimestamp());
        if (!aCreated.equals(bCreated)) {
            return newerFirst(a, aCreated, b, bCreated);
        }
        return 0;
    }

    /** controller.kubernetes.io/pod-deletion-cost as an int32; anything else counts as 0 (helper.GetDeletionCostFromPodAnnotations). */
    static int deletionCost(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(POD_DELETION_COST);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** afterOrZero and logarithmicRankDiff: a missing time is "newest"; equal log2-age buckets fall back to UID. */
    private int newerFirst(Pod a, Optional<Instant> aTime, Pod b, Optional<Instant> bTime) {
        if (aTime.isEmpty() || bTime.isEmpty()) {
            return aTime.isEmpty() ? -1 : 1;
        }
        int bucketDiff = Long.compare(ageBucket(aTime.get()), ageBucket(bTime.get()));
        if (bucketDiff == 0) {
            return Objects.requireNonNullElse(a.getMetadata().getUid(), "")
                    .compareTo(Objects.requireNonNullElse(b.getMetadata().getUid(), ""));
        }
        return bucketDiff;
    }

    private long ageBucket(Instant time) {
        long nanos = Duration.between(time, now).toNanos();
        return nanos > 0 ? 63 - Long.numberOfLeadingZeros(nanos) : -1;
    }
}
