package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Objects;
import java.util.Optional;

/** Owner references as the built-in controllers write and read them (metav1.GetControllerOf, NewControllerRef). */
final class Ownership {

    private Ownership() {
    }

    /** The owner reference a controller puts on what it creates: controller=true, blockOwnerDeletion=true. */
    static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    static Optional<OwnerReference> controllerOf(HasMetadata object) {
        if (object.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return object.getMetadata().getOwnerReferences().stream()
                .filter(ref -> Boolean.TRUE.equals(ref.getController()))
                .findFirst();
    }

    static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        return controllerOf(object)
                .map(ref -> Objects.equals(ref.getUid(), owner.getMetadata().getUid()))
                .orElse(false);
    }

    static boolean isTerminating(HasMetadata object) {
        return object.getMetadata().getDeletionTimestamp() != null;
    }
}
