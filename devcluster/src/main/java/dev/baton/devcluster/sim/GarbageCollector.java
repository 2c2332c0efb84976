package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Background cascading deletion for the kinds the simulation manages: when a Deployment, ReplicaSet or Service is
 * gone, the ReplicaSets, Pods and EndpointSlices that it owned are deleted
 * (https://kubernetes.io/docs/concepts/architecture/garbage-collection/; {@code attemptToDeleteItem} in
 * pkg/controller/garbagecollector/garbagecollector.go). fabric8's mock API collects no garbage.
 *
 * <p>A dependent is deleted only when every owner reference names a kind known here and no such owner exists;
 * an owner of any other kind is assumed alive. Runs per namespace, on owner deletions and once at start.
 * Not simulated: foreground and orphan propagation, removing just the dangling references of a dependent that
 * still has a live owner.
 */
final class GarbageCollector {

    private final Map<String, Lister<? extends HasMetadata>> ownersByKind;
    private final List<Lister<? extends HasMetadata>> dependents;
    private final ApiWrites writes;

    GarbageCollector(Map<String, Lister<? extends HasMetadata>> ownersByKind,
                     List<Lister<? extends HasMetadata>> dependents, ApiWrites writes) {
        this.ownersByKind = ownersByKind;
        this.dependents = dependents;
        this.writes = writes;
    }

    /** The queue key is the namespace alone. */
    Optional<Duration> reconcile(String ignored, String namespace) {
        for (Lister<? extends HasMetadata> lister : dependents) {
            for (HasMetadata dependent : lister.list(namespace)) {
                List<OwnerReference> refs = dependent.getMetadata().getOwnerReferences();
                if (refs == null || refs.isEmpty() || Ownership.isTerminating(dependent)) {
                    continue;
                }
                if (refs.stream().allMatch(ref -> isDangling(namespace, ref))) {
                    ApiWrites.ignoreNotFound(() -> {
                        writes.delete(dependent);
                        return null;
                    });
                }
            }
        }
        return Optional.empty();
    }

    private boolean isDangling(String namespace, OwnerReference ref) {
        Lister<? extends HasMetadata> owners = ownersByKind.get(ref.getKind());
        if (owners == null) {
            return false;
        }
        return owners.list(namespace).stream().noneMatch(o -> ref.getUid().equals(o.getMetadata().getUid()));
    }
}
