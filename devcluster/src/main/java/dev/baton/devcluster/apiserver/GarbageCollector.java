package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector's background cascading deletion
 * (https://kubernetes.io/docs/concepts/architecture/garbage-collection/): when an object is removed from the store,
 * every object whose {@code metadata.ownerReferences} names its uid is deleted too, through the front's ordinary
 * delete path (so pods terminate gracefully and dependents of dependents follow). An object created or updated with
 * owner references of which none exists any more (a "dangling" owner, e.g. an operator racing a deletion) is
 * deleted; references to absent owners next to a live one are removed. It also finishes foreground deletions: an
 * owner holding the {@code foregroundDeletion} finalizer loses it once no dependent is left.
 *
 * <p>Like the real collector, it works asynchronously, on one thread, after the write that triggered it.
 */
final class GarbageCollector implements Consumer<Store.Event>, AutoCloseable {

  static final String FOREGROUND = "foregroundDeletion";
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final Store store;
  private final ApiFront front;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "embedded-apiserver-gc");
    thread.setDaemon(true);
    return thread;
  });

  GarbageCollector(Store store, ApiFront front) {
    this.store = store;
    this.front = front;
    store.addListener(this);
  }

  @Override
  public void accept(Store.Event event) {
    if (worker.isShutdown()) {
      return;
    }
    JsonNode object = event.object();
    String uid = object.path("metadata").path("uid").asText();
    if (event.type() == Store.EventType.DELETED) {
      worker.execute(() -> collectDependentsOf(uid));
      worker.execute(() -> finishForegroundDeletionOfOwners(object));
    } else if (object.path("metadata").path("ownerReferences").size() > 0) {
      worker.execute(() -> collectIfOwnersAreGone(event.ref().withName(object.path("metadata").path("name").asText()), uid));
    }
    if (isWaitingForDependents(object) && event.type() != Store.EventType.DELETED) {
      worker.execute(() -> finishForegroundDeletion(uid));
    }
  }

  private void collectDependentsOf(String ownerUid) {
    for (Store.Stored dependent : dependentsOf(ownerUid)) {
      safely(() -> front.deleteQuietly(dependent.ref(), "Background"));
    }
  }

  private void collectIfOwnersAreGone(ResourceRef ref, String uid) {
    safely(() -> store.atomically(() -> {
      store.get(ref).filter(o -> uid.equals(o.path("metadata").path("uid").asText())).ifPresent(object -> {
        ArrayNode owners = (ArrayNode) object.path("metadata").path("ownerReferences");
        List<JsonNode> alive = new ArrayList<>();
        for (JsonNode owner : owners) {
          if (store.findByUid(owner.path("uid").asText()).isPresent()) {
            alive.add(owner);
          }
        }
        if (alive.isEmpty()) {
          front.deleteQuietly(ref, "Background");
        } else if (alive.size() < owners.size()) {
          ObjectNode updated = object.deepCopy();
          ((ObjectNode) updated.path("metadata")).putArray("ownerReferences").addAll(alive);
          front.updateQuietly(ref, updated);
        }
      });
      return null;
    }));
  }

  private void finishForegroundDeletionOfOwners(JsonNode removed) {
    for (JsonNode owner : removed.path("metadata").path("ownerReferences")) {
      finishForegroundDeletion(owner.path("uid").asText());
    }
  }

  /** Foreground deletion ends when the owner has no dependents left: drop the finalizer, the store removes it. */
  private void finishForegroundDeletion(String ownerUid) {
    safely(() -> store.atomically(() -> {
      store.findByUid(ownerUid).filter(s -> isWaitingForDependents(s.object())).ifPresent(owner -> {
        if (dependentsOf(ownerUid).isEmpty()) {
          ObjectNode updated = owner.object().deepCopy();
          ArrayNode finalizers = (ArrayNode) updated.path("metadata").path("finalizers");
          for (int i = finalizers.size() - 1; i >= 0; i--) {
            if (finalizers.get(i).asText().equals(FOREGROUND)) {
              finalizers.remove(i);
            }
          }
          front.updateQuietly(owner.ref(), updated);
        } else {
          collectDependentsOf(ownerUid);
        }
      });
      return null;
    }));
  }

  private List<Store.Stored> dependentsOf(String ownerUid) {
    List<Store.Stored> dependents = new ArrayList<>();
    for (Store.Stored stored : store.all()) {
      for (JsonNode owner : stored.object().path("metadata").path("ownerReferences")) {
        if (ownerUid.equals(owner.path("uid").asText())) {
          dependents.add(stored);
          break;
        }
      }
    }
    return dependents;
  }

  static boolean isWaitingForDependents(JsonNode object) {
    if (!object.path("metadata").has("deletionTimestamp")) {
      return false;
    }
    Set<String> finalizers = new HashSet<>();
    object.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
    return finalizers.contains(FOREGROUND);
  }

  /** Removes the owner reference to {@code ownerUid} from every dependent: deletion with propagationPolicy Orphan. */
  void orphanDependentsOf(String ownerUid) {
    for (Store.Stored dependent : dependentsOf(ownerUid)) {
      ObjectNode updated = dependent.object().deepCopy();
      ArrayNode owners = (ArrayNode) updated.path("metadata").path("ownerReferences");
      for (int i = owners.size() - 1; i >= 0; i--) {
        if (ownerUid.equals(owners.get(i).path("uid").asText())) {
          owners.remove(i);
        }
      }
      if (owners.isEmpty()) {
        ((ObjectNode) updated.path("metadata")).remove("ownerReferences");
      }
      front.updateQuietly(dependent.ref(), updated);
    }
  }

  boolean hasDependents(String ownerUid) {
    return !dependentsOf(ownerUid).isEmpty();
  }

  private static void safely(Runnable work) {
    try {
      work.run();
    } catch (ApiException e) {
      // The object changed or went away meanwhile: the next event brings the collector back if needed.
      LOG.debug("garbage collection step skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("garbage collection step failed", e);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
