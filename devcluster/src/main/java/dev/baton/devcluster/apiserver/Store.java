package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The objects, kept by fabric8's {@link KubernetesCrudDispatcher} (the mock server's CRUD mode): its attribute
 * index answers "which objects does this path name", its global counter hands out resourceVersions, and its CRD
 * processor learns stored CRDs. The front decides what is written (metadata, status, generation, deletion);
 * the store only persists and tells its listeners, in commit order, what changed.
 *
 * <p>All reads and writes run under the store's monitor, so a front's read-check-write (optimistic locking) and a
 * watch's "snapshot, then follow" are atomic with respect to other writes.
 */
final class Store {

  static final ObjectMapper JSON = Serialization.jsonMapper();

  enum EventType { ADDED, MODIFIED, DELETED }

  /** One committed change. {@code object} is the new state (the last state for DELETED). */
  record Event(EventType type, ResourceRef ref, ObjectNode object, ObjectNode previous, long resourceVersion) {}

  /** A stored object and the path that names it. */
  record Stored(ResourceRef ref, ObjectNode object) {}

  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

  void addListener(Consumer<Event> listener) {
    listeners.add(listener);
  }

  /** Runs {@code work} with no other write in between (the monitor is re-entrant). */
  synchronized <T> T atomically(Supplier<T> work) {
    return work.get();
  }

  /** Every resourceVersion is issued through {@link #nextResourceVersion()}, so the last one issued is "now". */
  private long lastIssued;

  synchronized long currentResourceVersion() {
    return lastIssued;
  }

  synchronized long nextResourceVersion() {
    lastIssued = crud.requestResourceVersion();
    return lastIssued;
  }

  synchronized Optional<ObjectNode> get(ResourceRef ref) {
    Map.Entry<AttributeSet, String> entry = crud.findResource(crud.getKey(ref.storePath()));
    return Optional.ofNullable(entry).map(e -> parse(e.getValue()));
  }

  /** The objects under a collection path (all namespaces when the ref has none). */
  synchronized List<Stored> list(ResourceRef collection) {
    AttributeSet query = crud.getKey(collection.withName(null).storePath());
    List<Stored> result = new ArrayList<>();
    for (Map.Entry<AttributeSet, String> entry : crud.getMap().entrySet()) {
      if (entry.getKey().matches(query)) {
        result.add(new Stored(refOf(entry.getKey()), parse(entry.getValue())));
      }
    }
    return result;
  }

  /** Every stored object: the garbage collector's view of the whole cluster. */
  synchronized List<Stored> all() {
    List<Stored> result = new ArrayList<>();
    for (Map.Entry<AttributeSet, String> entry : crud.getMap().entrySet()) {
      result.add(new Stored(refOf(entry.getKey()), parse(entry.getValue())));
    }
    return result;
  }

  synchronized Optional<Stored> findByUid(String uid) {
    return all().stream().filter(s -> uid.equals(s.object().path("metadata").path("uid").asText(null))).findFirst();
  }

  /** Stores a new object whose metadata the caller completed (uid, resourceVersion, creationTimestamp...). */
  synchronized void create(ResourceRef ref, ObjectNode object) {
    String json = object.toString();
    crud.processEvent(ref.withName(null).storePath(), crud.getKey(ref.withName(null).storePath()), null, null, json);
    publish(new Event(EventType.ADDED, ref, object.deepCopy(), null, resourceVersionOf(object)));
  }

  /** Replaces a stored object with its next state (the caller set the new resourceVersion). */
  synchronized void replace(ResourceRef ref, ObjectNode previous, ObjectNode object) {
    Map.Entry<AttributeSet, String> entry = crud.findResource(crud.getKey(ref.storePath()));
    crud.processEvent(ref.storePath(), crud.getKey(ref.storePath()), entry.getKey(), null, object.toString());
    publish(new Event(EventType.MODIFIED, ref, object.deepCopy(), previous, resourceVersionOf(object)));
  }

  /** Removes an object for good. Like the real API, the DELETED event carries a fresh resourceVersion. */
  synchronized ObjectNode remove(ResourceRef ref) {
    Map.Entry<AttributeSet, String> entry = crud.findResource(crud.getKey(ref.storePath()));
    ObjectNode last = parse(entry.getValue());
    crud.processEvent(ref.storePath(), crud.getKey(ref.storePath()), entry.getKey(), null, null);
    long rv = nextResourceVersion();
    ((ObjectNode) last.path("metadata")).put("resourceVersion", String.valueOf(rv));
    publish(new Event(EventType.DELETED, ref, last, last, rv));
    return last;
  }

  private void publish(Event event) {
    listeners.forEach(listener -> listener.accept(event));
  }

  static long resourceVersionOf(JsonNode object) {
    return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
  }

  private static ResourceRef refOf(AttributeSet key) {
    return new ResourceRef(
        valueOf(key, "api", ""),
        valueOf(key, "version", ""),
        valueOf(key, "namespace", null),
        valueOf(key, "plural", ""),
        valueOf(key, "name", null),
        null);
  }

  private static String valueOf(AttributeSet key, String name, String otherwise) {
    Attribute attribute = key.getAttribute(name);
    if (attribute == null || attribute.getValues().isEmpty()) {
      return otherwise;
    }
    return attribute.getValues().get(0).toString();
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
