package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every write the simulated controllers make, in the forms a real API server accepts and fabric8's mock serves:
 * create, JSON patch of the main resource, JSON patch of the {@code /status} subresource, delete.
 *
 * <p>Each patch carries {@code metadata.resourceVersion}, which makes it conditional: the API server answers 409
 * Conflict when the object changed since the controller read it, and the controller's queue retries with the fresh
 * object, as client-go controllers do with {@code UpdateStatus}. Patches are JSON patches (RFC 6902) that replace
 * whole fields, which every API server applies the same way. Writes are counted so tests can show that the
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

    /**
     * Patches metadata/spec (or top-level fields such as an EndpointSlice's endpoints) of the main resource; status
     * is never sent here. {@code body} reads like a merge patch, but goes out as a JSON patch of whole fields: every
     * list is replaced (fabric8's mock appends list items on a merge patch), and annotation or label maps are merged
     * with the current ones here.
     */
    <T extends HasMetadata> T patch(T current, Map<String, Object> body) {
        List<Map<String, Object>> ops = new ArrayList<>(preconditions(current));
        body.forEach((field, value) -> {
            if (value instanceof Map<?, ?> nested && ("metadata".equals(field) || "spec".equals(field))) {
                nested.forEach((subField, subValue) -> ops.add(add("/" + field + "/" + subField,
                        mergedMap(current, field, (String) subField, subValue))));
            } else {
                ops.add(add("/" + field, value));
            }
        });
        count.incrementAndGet();
        return resource(current).patch(PatchContext.of(PatchType.JSON), json(ops));
    }

    /** Replaces the status subresource as a whole (JSON patch {@code add /status}). */
    <T extends HasMetadata> T patchStatus(T current, Object status) {
        List<Map<String, Object>> ops = new ArrayList<>(preconditions(current));
        ops.add(add("/status", status));
        count.incrementAndGet();
        return resource(current).subresource("status").patch(PatchContext.of(PatchType.JSON), json(ops));
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

    /**
     * Setting metadata.resourceVersion to the version read makes the patch conditional: the API server answers 409
     * when the object has changed since (a JSON patch "test" op would too, but fabric8's mock hangs on a failed test).
     */
    private static List<Map<String, Object>> preconditions(HasMetadata current) {
        String resourceVersion = current.getMetadata().getResourceVersion();
        return resourceVersion == null ? List.of() : List.of(Map.of("op", "replace", "path", "/metadata/resourceVersion",
                "value", resourceVersion));
    }

    private static Map<String, Object> add(String path, Object value) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "add");
        op.put("path", path);
        op.put("value", value);
        return op;
    }

    @SuppressWarnings("unchecked")
    private static Object mergedMap(HasMetadata current, String field, String subField, Object value) {
        if (!"metadata".equals(field) || !(value instanceof Map)) {
            return value;
        }
        Map<String, String> existing = switch (subField) {
            case "annotations" -> current.getMetadata().getAnnotations();
            case "labels" -> current.getMetadata().getLabels();
            default -> null;
        };
        if (existing == null) {
            return value;
        }
        Map<String, Object> merged = new LinkedHashMap<>(existing);
        merged.putAll((Map<String, Object>) value);
        return merged;
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
