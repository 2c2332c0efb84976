package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An informer's cache plus the controller's own most recent writes.
 *
 * <p>An informer learns of a write only when the watch event arrives; a controller that reconciles again before then
 * would act on its own stale view (create a pod twice, scale from an old count). client-go controllers guard against
 * that with "expectations" (pkg/controller/controller_utils.go); here every successful write's response is kept until
 * the informer has caught up with it (same or newer resourceVersion), which gives the same guarantee for creates and
 * patches. resourceVersions are compared as numbers, which holds for etcd and for fabric8's mock.
 */
final class Lister<T extends HasMetadata> {

    private final SharedIndexInformer<T> informer;
    private final Map<String, T> written = new ConcurrentHashMap<>();
    private final Set<String> deletedUids = ConcurrentHashMap.newKeySet();

    Lister(SharedIndexInformer<T> informer) {
        this.informer = informer;
    }

    SharedIndexInformer<T> informer() {
        return informer;
    }

    Optional<T> get(String namespace, String name) {
        String key = WorkQueue.key(namespace, name);
        return Optional.ofNullable(newest(key, informer.getStore().getByKey(key)));
    }

    List<T> list(String namespace) {
        Map<String, T> byKey = new LinkedHashMap<>();
        for (T cached : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            byKey.put(keyOf(cached), cached);
        }
        for (Map.Entry<String, T> entry : written.entrySet()) {
            if (Objects.equals(entry.getValue().getMetadata().getNamespace(), namespace)) {
                byKey.putIfAbsent(entry.getKey(), null);
            }
        }
        List<T> result = new ArrayList<>(byKey.size());
        byKey.forEach((key, cached) -> {
            T item = newest(key, cached);
            if (item != null) {
                result.add(item);
            }
        });
        return result;
    }

    List<T> listAll() {
        List<T> result = new ArrayList<>();
        for (String key : informer.getStore().listKeys()) {
            get(namespaceOf(key), nameOf(key)).ifPresent(result::add);
        }
        written.keySet().stream()
                .filter(key -> informer.getStore().getByKey(key) == null)
                .forEach(key -> get(namespaceOf(key), nameOf(key)).ifPresent(result::add));
        return result;
    }

    /** Remember the server's answer to a create or patch. */
    void recordWrite(T object) {
        if (object == null || object.getMetadata() == null || deletedUids.contains(object.getMetadata().getUid())) {
            return;
        }
        written.merge(keyOf(object), object, (old, fresh) -> isNewer(fresh, old) ? fresh : old);
    }

    /** Called from the informer's delete handler: a deleted object must not be resurrected from {@link #written}. */
    void recordDeleted(T object) {
        deletedUids.add(object.getMetadata().getUid());
        written.computeIfPresent(keyOf(object), (key, mine) ->
                Objects.equals(mine.getMetadata().getUid(), object.getMetadata().getUid()) ? null : mine);
    }

    private T newest(String key, T cached) {
        T mine = written.get(key);
        if (mine == null) {
            return cached;
        }
        if (deletedUids.contains(mine.getMetadata().getUid())) {
            written.remove(key, mine);
            return cached;
        }
        if (cached == null) {
            return mine;
        }
        if (!Objects.equals(cached.getMetadata().getUid(), mine.getMetadata().getUid()) || !isNewer(mine, cached)) {
            written.remove(key, mine);
            return cached;
        }
        return mine;
    }

    private static boolean isNewer(HasMetadata a, HasMetadata b) {
        return resourceVersion(a) > resourceVersion(b);
    }

    private static long resourceVersion(HasMetadata object) {
        try {
            return Long.parseLong(object.getMetadata().getResourceVersion());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static String keyOf(HasMetadata object) {
        return WorkQueue.key(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    private static String namespaceOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    private static String nameOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }
}
