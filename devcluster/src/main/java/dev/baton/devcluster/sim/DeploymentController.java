package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rolls a Deployment's pod template out through ReplicaSets
 * (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/; pkg/controller/deployment in
 * kubernetes/kubernetes: {@code syncDeployment}, {@code rolloutRolling} in rolling.go, {@code rolloutRecreate} in
 * recreate.go, {@code sync.go}).
 *
 * <ul>
 *   <li>The current template's ReplicaSet is {@code <deployment>-<pod-template-hash>}; the hash label is added to its
 *   selector, template and so its pods; owner reference controller=true, blockOwnerDeletion=true; annotations
 *   {@code deployment.kubernetes.io/revision}, {@code desired-replicas}, {@code max-replicas}.</li>
 *   <li>RollingUpdate: scale the new ReplicaSet up within {@code replicas + maxSurge} (NewRSNewReplicas), scale old
 *   ones down while {@code replicas - maxUnavailable} pods stay available, unhealthy old pods first
 *   (reconcileOldReplicaSets, cleanupUnhealthyReplicas). Recreate: old ReplicaSets to zero, wait until their pods are
 *   gone, then the new one.</li>
 *   <li>A {@code spec.replicas} change scales the current ReplicaSet; {@code paused} stops rollouts but not scaling.</li>
 *   <li>Old ReplicaSets beyond {@code revisionHistoryLimit} (default 10) are deleted once empty.</li>
 *   <li>Status and conditions come from {@link DeploymentStatusCalculator} and are written through the status
 *   subresource only when they change; a timer fires at the progress deadline.</li>
 * </ul>
 * Not simulated: proportional scaling of several ReplicaSets during a rollout (the rolling logic alone keeps the
 * bounds), adoption of orphan ReplicaSets, rollback via {@code spec.rollbackTo}.
 */
final class DeploymentController {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

    private final Lister<Deployment> deployments;
    private final Lister<ReplicaSet> replicaSets;
    private final Lister<Pod> pods;
    private final ApiWrites writes;
    private final PodTemplates templates;
    private final DeploymentStatusCalculator statusCalculator;

    DeploymentController(Lister<Deployment> deployments, Lister<ReplicaSet> replicaSets, Lister<Pod> pods,
                         ApiWrites writes, Clock clock) {
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.writes = writes;
        this.templates = new PodTemplates(writes.client().getKubernetesSerialization());
        this.statusCalculator = new DeploymentStatusCalculator(clock);
    }

    static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static boolean isRecreate(Deployment d) {
        return d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    Optional<Duration> reconcile(String namespace, String name) {
        Optional<Deployment> found = deployments.get(namespace, name);
        if (found.isEmpty() || Ownership.isTerminating(found.get())) {
            return Optional.empty();
        }
        Deployment d = found.get();
        if (d.getSpec().getSelector() == null || d.getSpec().getTemplate() == null) {
            return Optional.empty(); // the API server rejects such a Deployment; nothing sensible to roll out
        }
        List<ReplicaSet> owned = replicaSets.list(namespace).stream()
                .filter(rs -> Ownership.isControlledBy(rs, d))
                .sorted(byCreation())
                .toList();
        ReplicaSet newRs = owned.stream()
                .filter(rs -> !Ownership.isTerminating(rs))
                .filter(rs -> templates.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
        List<ReplicaSet> olds = new ArrayList<>(owned);
        olds.remove(newRs);

        Rollout rollout = new Rollout(d, newRs, olds);
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            rollout.scaleWhilePaused();
        } else if (isRecreate(d)) {
            rollout.recreate();
        } else {
            rollout.rolling();
        }
        if (rollout.collision) {
            return Optional.of(Duration.ZERO);
        }
        Deployment current = rollout.newRs != null && !Boolean.TRUE.equals(d.getSpec().getPaused())
                ? syncRevisionAnnotation(d, rollout.newRs) : d;
        DeploymentStatusCalculator.Result result = statusCalculator.calculate(current, rollout.newRs, rollout.all(),
                rollout.createdNewRs);
        if (!statusCalculator.same(current.getStatus(), result.status())) {
            ApiWrites.ignoreNotFound(() -> writes.patchStatus(current, result.status())).ifPresent(deployments::recordWrite);
        }
        return result.recheckAfter();
    }

    /** One pass of the rollout algorithm over a snapshot of the Deployment and its ReplicaSets. */
    private final class Rollout {
        final Deployment d;
        ReplicaSet newRs;
        final List<ReplicaSet> olds;
        boolean createdNewRs;
        boolean collision;

        Rollout(Deployment d, ReplicaSet newRs, List<ReplicaSet> olds) {
            this.d = d;
            this.newRs = newRs;
            this.olds = new ArrayList<>(olds);
        }

        List<ReplicaSet> all() {
            List<ReplicaSet> all = new ArrayList<>(olds);
            if (newRs != null) {
                all.add(newRs);
            }
            return all;
        }

        void rolling() {
            if (newRs == null) {
                createNewReplicaSet(newReplicasForRolling(0));
                if (collision || createdNewRs) {
                    return;
                }
            } else {
                syncNewReplicaSetSettings();
            }
            if (reconcileNewReplicaSet()) {
                return;
            }
            if (reconcileOldReplicaSets()) {
                return;
            }
            cleanupIfComplete();
        }

        void recreate() {
            boolean scaledDown = false;
            for (int i = 0; i < olds.size(); i++) {
                if (replicas(olds.get(i)) != 0) {
                    olds.set(i, scale(olds.get(i), 0));
                    scaledDown = true;
                }
            }
            // Recreate waits until every old pod, terminating ones included, is gone (oldPodsRunning in recreate.go).
            if (scaledDown || olds.stream().anyMatch(this::hasPods)) {
                return;
            }
            if (newRs == null) {
                createNewReplicaSet(replicas(d));
                return;
            }
            syncNewReplicaSetSettings();
            if (replicas(newRs) != replicas(d)) {
                newRs = scale(newRs, replicas(d));
                return;
            }
            cleanupIfComplete();
        }

        /** sync.go: a paused Deployment still follows spec.replicas but starts no new rollout. */
        void scaleWhilePaused() {
            if (newRs != null && olds.stream().allMatch(rs -> replicas(rs) == 0) && replicas(newRs) != replicas(d)) {
                newRs = scale(newRs, replicas(d));
            } else if (newRs == null && olds.size() == 1 && replicas(olds.get(0)) != replicas(d)) {
                olds.set(0, scale(olds.get(0), replicas(d)));
            }
        }

        private boolean hasPods(ReplicaSet rs) {
            return pods.list(rs.getMetadata().getNamespace()).stream()
                    .filter(p -> Ownership.isControlledBy(p, rs))
                    .anyMatch(p -> !"Succeeded".equals(PodState.phase(p)) && !"Failed".equals(PodState.phase(p)));
        }

        /** reconcileNewReplicaSet in rolling.go. */
        private boolean reconcileNewReplicaSet() {
            int current = replicas(newRs);
            int target = current > replicas(d) ? replicas(d) : newReplicasForRolling(current);
            if (target == current) {
                return false;
            }
            newRs = scale(newRs, target);
            return true;
        }

        /** NewRSNewReplicas for RollingUpdate: grow the new ReplicaSet up to replicas + maxSurge pods in total. */
        private int newReplicasForRolling(int newRsReplicas) {
            RollingUpdateBounds bounds = RollingUpdateBounds.of(d);
            int currentPodCount = olds.stream().mapToInt(DeploymentController::replicas).sum() + newRsReplicas;
            int maxTotalPods = replicas(d) + bounds.maxSurge();
            if (currentPodCount >= maxTotalPods) {
                return newRsReplicas;
            }
            int scaleUp = Math.min(maxTotalPods - currentPodCount, replicas(d) - newRsReplicas);
            return newRsReplicas + Math.max(0, scaleUp);
        }

        /** reconcileOldReplicaSets in rolling.go. */
        private boolean reconcileOldReplicaSets() {
            int oldPods = olds.stream().mapToInt(DeploymentController::replicas).sum();
            if (oldPods == 0) {
                return false;
            }
            RollingUpdateBounds bounds = RollingUpdateBounds.of(d);
            int allPods = oldPods + replicas(newRs);
            int minAvailable = replicas(d) - bounds.maxUnavailable();
            int newRsUnavailable = replicas(newRs) - available(newRs);
            int maxScaledDown = allPods - minAvailable - newRsUnavailable;
            if (maxScaledDown <= 0) {
                return false;
            }
            int cleaned = cleanupUnhealthyReplicas(maxScaledDown);
            int scaledDown = scaleDownOldForRollingUpdate(minAvailable);
            return cleaned + scaledDown > 0;
        }

        /** Old pods that are not available go first, they cost no availability. */
        private int cleanupUnhealthyReplicas(int maxCleanup) {
            int total = 0;
            for (int i = 0; i < olds.size() && total < maxCleanup; i++) {
                ReplicaSet rs = olds.get(i);
                int unhealthy = replicas(rs) - available(rs);
                if (replicas(rs) == 0 || unhealthy <= 0) {
                    continue;
                }
                int count = Math.min(maxCleanup - total, unhealthy);
                olds.set(i, scale(rs, replicas(rs) - count));
                total += count;
            }
            return total;
        }

        private int scaleDownOldForRollingUpdate(int minAvailable) {
            int availablePods = all().stream().mapToInt(DeploymentController::available).sum();
            if (availablePods <= minAvailable) {
                return 0;
            }
            int toScaleDown = availablePods - minAvailable;
            int total = 0;
            for (int i = 0; i < olds.size() && total < toScaleDown; i++) {
                ReplicaSet rs = olds.get(i);
                if (replicas(rs) == 0) {
                    continue;
                }
                int count = Math.min(replicas(rs), toScaleDown - total);
                olds.set(i, scale(rs, replicas(rs) - count));
                total += count;
            }
            return total;
        }

        private void createNewReplicaSet(int initialReplicas) {
            Integer collisionCount = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
            String hash = templates.hash(d.getSpec().getTemplate(), collisionCount);
            String name = d.getMetadata().getName() + "-" + hash;
            PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate())
                    .editOrNewMetadata().addToLabels(PodTemplates.POD_TEMPLATE_HASH, hash).endMetadata()
                    .build();
            LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector())
                    .addToMatchLabels(PodTemplates.POD_TEMPLATE_HASH, hash)
                    .build();
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(REVISION, Integer.toString(maxRevision(olds) + 1));
            annotations.putAll(replicaAnnotations(d));
            ReplicaSet rs = new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withNamespace(d.getMetadata().getNamespace())
                    .withName(name)
                    .withLabels(template.getMetadata().getLabels())
                    .withAnnotations(annotations)
                    .withOwnerReferences(Ownership.controllerRef(d))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(initialReplicas)
                    .withMinReadySeconds(d.getSpec().getMinReadySeconds())
                    .withSelector(selector)
                    .withTemplate(template)
                    .endSpec()
                    .build();
            try {
                newRs = writes.create(rs);
                replicaSets.recordWrite(newRs);
                createdNewRs = true;
            } catch (KubernetesClientException e) {
                if (!ApiWrites.isConflict(e)) {
                    throw e;
                }
                // The name is taken. If it is ours with this template, the cache was behind; otherwise a hash
                // collision: bump status.collisionCount so the next hash differs (getNewReplicaSet in sync.go).
                ReplicaSet existing = writes.client().apps().replicaSets()
                        .inNamespace(d.getMetadata().getNamespace()).withName(name).get();
                if (existing != null && Ownership.isControlledBy(existing, d)
                        && templates.equalIgnoringHash(existing.getSpec().getTemplate(), d.getSpec().getTemplate())) {
                    replicaSets.recordWrite(existing);
                    newRs = existing;
                    return;
                }
                int next = collisionCount == null ? 1 : collisionCount + 1;
                ApiWrites.ignoreNotFound(() -> writes.patchStatus(d, new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder(
                                d.getStatus() == null ? new DeploymentStatus() : d.getStatus()).withCollisionCount(next).build()))
                        .ifPresent(deployments::recordWrite);
                collision = true;
            }
        }

        /** The new ReplicaSet follows the Deployment's minReadySeconds (getNewReplicaSet in sync.go). */
        private void syncNewReplicaSetSettings() {
            Integer minReady = Objects.requireNonNullElse(d.getSpec().getMinReadySeconds(), 0);
            if (!minReady.equals(Objects.requireNonNullElse(newRs.getSpec().getMinReadySeconds(), 0))) {
                newRs = patchReplicaSet(newRs, Map.of("spec", Map.of("minReadySeconds", minReady)));
            }
        }

        private void cleanupIfComplete() {
            if (newRs == null || replicas(newRs) != replicas(d) || available(newRs) != replicas(d)
                    || olds.stream().anyMatch(rs -> replicas(rs) != 0)) {
                return;
            }
            int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
            List<ReplicaSet> cleanable = olds.stream()
                    .filter(rs -> !Ownership.isTerminating(rs))
                    .sorted(Comparator.comparingInt(DeploymentController::revision))
                    .toList();
            int excess = cleanable.size() - limit;
            for (int i = 0; i < excess; i++) {
                ReplicaSet rs = cleanable.get(i);
                boolean empty = replicas(rs) == 0 && (rs.getStatus() == null
                        || Objects.requireNonNullElse(rs.getStatus().getReplicas(), 0) == 0);
                boolean observed = rs.getStatus() != null && Objects.equals(rs.getStatus().getObservedGeneration(),
                        rs.getMetadata().getGeneration());
                if (empty && observed) {
                    writes.delete(rs);
                }
            }
        }

        private ReplicaSet scale(ReplicaSet rs, int replicas) {
            Map<String, Object> metadata = Map.of("annotations", replicaAnnotations(d));
            return patchReplicaSet(rs, Map.of("metadata", metadata, "spec", Map.of("replicas", replicas)));
        }

        private ReplicaSet patchReplicaSet(ReplicaSet rs, Map<String, Object> body) {
            ReplicaSet patched = writes.patch(rs, body);
            replicaSets.recordWrite(patched);
            return patched;
        }
    }

    /** The Deployment carries its current revision, as kubectl rollout history expects. */
    private Deployment syncRevisionAnnotation(Deployment d, ReplicaSet newRs) {
        String revision = Integer.toString(revision(newRs));
        Map<String, String> annotations = d.getMetadata().getAnnotations();
        if (annotations != null && revision.equals(annotations.get(REVISION))) {
            return d;
        }
        Deployment patched = writes.patch(d, Map.of("metadata", Map.of("annotations", Map.of(REVISION, revision))));
        deployments.recordWrite(patched);
        return patched;
    }

    /** The Deployment whose ReplicaSet owns this pod: Recreate waits for old pods to disappear (deletePod in deployment_controller.go). */
    Optional<String> deploymentOf(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        return Ownership.controllerOf(pod)
                .filter(ref -> "ReplicaSet".equals(ref.getKind()))
                .flatMap(ref -> replicaSets.get(namespace, ref.getName()))
                .flatMap(Ownership::controllerOf)
                .filter(ref -> "Deployment".equals(ref.getKind()))
                .map(ref -> WorkQueue.key(namespace, ref.getName()));
    }

    private static Map<String, String> replicaAnnotations(Deployment d) {
        return Map.of(DESIRED_REPLICAS, Integer.toString(replicas(d)),
                MAX_REPLICAS, Integer.toString(replicas(d) + RollingUpdateBounds.of(d).maxSurge()));
    }

    static int available(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : Objects.requireNonNullElse(rs.getStatus().getAvailableReplicas(), 0);
    }

    static int revision(ReplicaSet rs) {
        Map<String, String> annotations = rs.getMetadata().getAnnotations();
        try {
            return annotations == null ? 0 : Integer.parseInt(annotations.getOrDefault(REVISION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int maxRevision(List<ReplicaSet> replicaSets) {
        return replicaSets.stream().mapToInt(DeploymentController::revision).max().orElse(0);
    }

    private static Comparator<ReplicaSet> byCreation() {
        return Comparator.comparing((ReplicaSet rs) -> Objects.requireNonNullElse(rs.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(rs -> rs.getMetadata().getName());
    }
}
