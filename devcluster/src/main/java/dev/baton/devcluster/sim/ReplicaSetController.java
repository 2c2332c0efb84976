package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the number of active pods of each ReplicaSet equal to {@code spec.replicas}
 * (https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/; {@code syncReplicaSet} and
 * {@code manageReplicas} in pkg/controller/replicaset/replica_set.go).
 *
 * <ul>
 *   <li>Pods are named {@code <replicaset>-<5 random characters>} (the API server's generateName), carry the template's
 *   labels and annotations, and a controller owner reference to the ReplicaSet.</li>
 *   <li>Claiming ({@code claimPods}): an owned pod whose labels no longer match the selector is released (its owner
 *   reference removed) and replaced; an orphan pod that matches is adopted.</li>
 *   <li>Terminating pods (deletionTimestamp set) and finished pods do not count toward replicas.</li>
 *   <li>Scale-down victims are chosen by {@link ScaleDownRanking} and deleted with an ordinary delete, so the API
 *   server applies the pod's grace period.</li>
 *   <li>Status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (ready for minReadySeconds),
 *   observedGeneration, written through the status subresource only when it changed.</li>
 * </ul>
 */
final class ReplicaSetController {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetController.class);

    private final Lister<ReplicaSet> replicaSets;
    private final Lister<Pod> pods;
    private final ApiWrites writes;
    private final Clock clock;
    /** UIDs of pods this controller asked to delete and has not yet seen terminating or gone (expectations). */
    private final Set<String> deletionRequested = ConcurrentHashMap.newKeySet();

    ReplicaSetController(Lister<ReplicaSet> replicaSets, Lister<Pod> pods, ApiWrites writes, Clock clock) {
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.writes = writes;
        this.clock = clock;
    }

    /** The informer saw a pod terminating or gone: a requested deletion has landed. */
    void podTerminatingOrGone(Pod pod) {
        deletionRequested.remove(pod.getMetadata().getUid());
    }

    /** Which ReplicaSets a pod event concerns: its controller, or for an orphan every ReplicaSet that could adopt it. */
    List<String> replicaSetsFor(Pod pod) {
        Optional<OwnerReference> owner = Ownership.controllerOf(pod);
        if (owner.isPresent()) {
            return "ReplicaSet".equals(owner.get().getKind())
                    ? List.of(WorkQueue.key(pod.getMetadata().getNamespace(), owner.get().getName()))
                    : List.of();
        }
        return replicaSets.list(pod.getMetadata().getNamespace()).stream()
                .filter(rs -> LabelSelectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels()))
                .map(Lister::keyOf)
                .toList();
    }

    Optional<Duration> reconcile(String namespace, String name) {
        Optional<ReplicaSet> found = replicaSets.get(namespace, name);
        if (found.isEmpty() || Ownership.isTerminating(found.get())) {
            return Optional.empty();
        }
        ReplicaSet rs = found.get();
        List<Pod> owned = claimPods(rs);
        List<Pod> active = owned.stream()
                .filter(PodState::isActive)
                .filter(p -> !deletionRequested.contains(p.getMetadata().getUid()))
                .collect(Collectors.toCollection(ArrayList::new));

        int desired = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = active.size() - desired;
        if (diff < 0) {
            for (int i = 0; i < -diff; i++) {
                active.add(createPod(rs));
            }
        } else if (diff > 0) {
            List<Pod> victims = victims(active, diff);
            for (Pod victim : victims) {
                writes.delete(victim);
                deletionRequested.add(victim.getMetadata().getUid());
                active.remove(victim);
            }
        }
        return updateStatus(rs, active);
    }

    /** The {@code diff} pods to delete first, ranked as Kubernetes ranks them (getPodsToDelete). */
    List<Pod> victims(List<Pod> active, int diff) {
        Map<String, Integer> podsPerNode = new HashMap<>();
        for (Pod pod : active) {
            podsPerNode.merge(Objects.toString(pod.getSpec().getNodeName(), ""), 1, Integer::sum);
        }
        var ranking = new ScaleDownRanking(clock.instant(),
                pod -> podsPerNode.getOrDefault(Objects.toString(pod.getSpec().getNodeName(), ""), 0));
        return active.stream().sorted(ranking).limit(diff).toList();
    }

    private List<Pod> claimPods(ReplicaSet rs) {
        List<Pod> owned = new ArrayList<>();
        for (Pod pod : pods.list(rs.getMetadata().getNamespace())) {
            boolean matches = LabelSelectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels());
            if (Ownership.isControlledBy(pod, rs)) {
                if (matches || Ownership.isTerminating(pod)) {
                    owned.add(pod);
                } else {
                    release(rs, pod);
                }
            } else if (Ownership.controllerOf(pod).isEmpty() && matches && PodState.isActive(pod)) {
                adopt(rs, pod).ifPresent(owned::add);
            }
        }
        return owned;
    }

    /** A pod whose labels stopped matching is orphaned, so the ReplicaSet replaces it (claimPods → ReleasePod). */
    private void release(ReplicaSet rs, Pod pod) {
        List<OwnerReference> remaining = pod.getMetadata().getOwnerReferences().stream()
                .filter(ref -> !Objects.equals(ref.getUid(), rs.getMetadata().getUid()))
                .toList();
        LOG.debug("Releasing pod {} from ReplicaSet {}: its labels no longer match", pod.getMetadata().getName(),
                rs.getMetadata().getName());
        ApiWrites.ignoreNotFound(() -> writes.patch(pod, Map.of("metadata", Map.of("ownerReferences", remaining))))
                .ifPresent(pods::recordWrite);
    }

    private Optional<Pod> adopt(ReplicaSet rs, Pod pod) {
        List<OwnerReference> refs = new ArrayList<>(Objects.requireNonNullElse(pod.getMetadata().getOwnerReferences(), List.of()));
        refs.add(Ownership.controllerRef(rs));
        Optional<Pod> adopted = ApiWrites.ignoreNotFound(() -> writes.patch(pod, Map.of("metadata", Map.of("ownerReferences", refs))));
        adopted.ifPresent(pods::recordWrite);
        return adopted;
    }

    private Pod createPod(ReplicaSet rs) {
        PodTemplateSpec template = rs.getSpec().getTemplate();
        for (int attempt = 0; ; attempt++) {
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName() + "-" + RandomSuffix.next())
                    .withLabels(copy(template.getMetadata() == null ? null : template.getMetadata().getLabels()))
                    .withAnnotations(copy(template.getMetadata() == null ? null : template.getMetadata().getAnnotations()))
                    .withOwnerReferences(Ownership.controllerRef(rs))
                    .endMetadata()
                    .withSpec(template.getSpec() == null ? null : new io.fabric8.kubernetes.api.model.PodSpecBuilder(template.getSpec()).build())
                    .build();
            try {
                Pod created = writes.create(pod);
                pods.recordWrite(created);
                return created;
            } catch (KubernetesClientException e) {
                if (ApiWrites.isConflict(e) && attempt < 3) {
                    continue; // the random name was taken: draw another, as generateName does
                }
                throw e;
            }
        }
    }

    private Optional<Duration> updateStatus(ReplicaSet rs, List<Pod> active) {
        Instant now = clock.instant();
        int minReadySeconds = Objects.requireNonNullElse(rs.getSpec().getMinReadySeconds(), 0);
        Map<String, String> templateLabels = rs.getSpec().getTemplate().getMetadata() == null ? Map.of()
                : Objects.requireNonNullElse(rs.getSpec().getTemplate().getMetadata().getLabels(), Map.of());
        ReplicaSetStatus current = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        ReplicaSetStatus desired = new ReplicaSetStatusBuilder(current)
                .withReplicas(active.size())
                .withFullyLabeledReplicas((int) active.stream()
                        .filter(p -> LabelSelectors.matches(templateLabels, p.getMetadata().getLabels())).count())
                .withReadyReplicas((int) active.stream().filter(PodState::isReady).count())
                .withAvailableReplicas((int) active.stream().filter(p -> PodState.isAvailable(p, minReadySeconds, now)).count())
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .build();
        if (!sameStatus(current, desired)) {
            ApiWrites.ignoreNotFound(() -> writes.patchStatus(rs, desired)).ifPresent(replicaSets::recordWrite);
        }
        // A ready pod becomes available minReadySeconds later without any event: look again then.
        return active.stream()
                .map(p -> PodState.untilAvailable(p, minReadySeconds, now))
                .flatMap(Optional::stream)
                .min(Duration::compareTo)
                .map(d -> d.plusMillis(10));
    }

    private static boolean sameStatus(ReplicaSetStatus a, ReplicaSetStatus b) {
        return Objects.equals(a.getReplicas(), b.getReplicas())
                && Objects.equals(a.getFullyLabeledReplicas(), b.getFullyLabeledReplicas())
                && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
                && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration());
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null ? null : new LinkedHashMap<>(map);
    }
}
