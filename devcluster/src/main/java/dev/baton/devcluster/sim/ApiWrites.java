package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every write the simulated controllers make, in the forms a real API server accepts and fabric8's mock serves:
 * create, JSON merge patch of the main resource, JSON merge patch of the {@code /status} subresource, delete.
 *
 * <p>Each patch carries {@code metadata.resourceVersion}, which makes it conditional: the API server answers 409
 * Conflict when the object changed since the controller read it, and the controller's queue retries with the fresh
 * object, as client-go controllers do with {@code UpdateStatus}. Writes are counted so tests can show that the
 * simulation does not churn.
 */
final class ApiWrites {

    private final KubernetesClient client;
    private final AtomicLong count = new AtomicLong();

    ApiWrites(KubernetesClient client) {
        this.client = client;
    }

    long count() {
        return count.get();
    }

    KubernetesClient client() {
        return client;
    }

    <T extends HasMetadata> T create(T object) {
        count.incrementAndGet();
        return client.resource(object).create();
    }

    /** Merge-patches metadata/spec of the main resource; status is never sent here. */
    <T extends HasMetadata> T patch(T current, Map<String, Object> body) {
        count.incrementAndGet();
        return resource(current).patch(PatchContext.of(PatchType.JSON_MERGE), json(withResourceVersion(current, body)));
    }

    /** Merge-patches the status subresource only. */
    <T extends HasMetadata> T patchStatus(T current, Object status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        count.incrementAndGet();
        return resource(current).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), json(withResourceVersion(current, body)));
    }

    /** An ordinary delete: the API server decides the grace period (pods: graceful deletion). Gone already is fine. */
    <T extends HasMetadata> void delete(T object) {
        count.incrementAndGet();
        resource(object).delete();
    }

    /** The kubelet's final delete of a pod whose containers have exited (grace period 0). */
    <T extends HasMetadata> void deleteNow(T object) {
        count.incrementAndGet();
        resource(object).withGracePeriod(0).delete();
    }

    String json(Object value) {
        return client.getKubernetesSerialization().asJson(value);
    }

    @SuppressWarnings("unchecked")
    <T extends HasMetadata> Resource<T> resource(T object) {
        Class<T> type = (Class<T>) object.getClass();
        return client.resources(type).inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName());
    }

    private static Map<String, Object> withResourceVersion(HasMetadata current, Map<String, Object> body) {
        Map<String, Object> result = new LinkedHashMap<>(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) body.getOrDefault("metadata", Map.of()));
        if (current.getMetadata().getResourceVersion() != null) {
            metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
        }
        result.put("metadata", metadata);
        return result;
    }

    static boolean isConflict(KubernetesClientException e) {
        return e.getCode() == 409;
    }

    static boolean isNotFound(KubernetesClientException e) {
        return e.getCode() == 404;
    }

    static <T> Optional<T> ignoreNotFound(java.util.function.Supplier<T> write) {
        try {
            return Optional.ofNullable(write.get());
        } catch (KubernetesClientException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
