package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Watches with the real API server's resourceVersion semantics
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes):
 * a watch without resourceVersion (or "0") first receives every current object as ADDED, then the changes; a watch
 * from resourceVersion N receives only the changes after N, replayed from a bounded history; a version older than
 * the history answers 410 Expired, on which informers list again. fabric8's mock instead replays every object as
 * ADDED on every watch.
 *
 * <p>Events are delivered in commit order: the store publishes under its monitor, and a subscription takes its
 * snapshot and registers under the same monitor, so no change falls between the two.
 */
final class WatchHub implements Consumer<Store.Event> {

  static final int HISTORY = 10_000;

  /** What one watch sees: resources of one type, in one namespace or all, matching its selectors. */
  record Filter(ResourceType type, String namespace, Predicate<JsonNode> selector) {
    boolean covers(ResourceRef ref) {
      return ref.group().equals(type.group()) && ref.plural().equals(type.plural())
          && (namespace == null || namespace.equals(ref.namespace()));
    }
  }

  /** A frame to send: ADDED, MODIFIED, DELETED (or ERROR) and the object. */
  record Frame(String type, ObjectNode object) {}

  /** One open watch. */
  final class Subscription {
    private final Filter filter;
    private final Consumer<Frame> sink;

    private Subscription(Filter filter, Consumer<Frame> sink) {
      this.filter = filter;
      this.sink = sink;
    }

    void cancel() {
      subscriptions.remove(this);
    }

    private void offer(Store.Event event) {
      if (!filter.covers(event.ref())) {
        return;
      }
      boolean matchesNow = event.type() != Store.EventType.DELETED && filter.selector().test(event.object());
      boolean matchedBefore = event.previous() != null && filter.selector().test(event.previous());
      // An object that starts or stops matching a selector is ADDED to or DELETED from the watcher's view.
      if (event.type() == Store.EventType.DELETED) {
        if (matchedBefore) {
          sink.accept(new Frame("DELETED", event.object()));
        }
      } else if (matchesNow && matchedBefore) {
        sink.accept(new Frame("MODIFIED", event.object()));
      } else if (matchesNow) {
        sink.accept(new Frame("ADDED", event.object()));
      } else if (matchedBefore) {
        sink.accept(new Frame("DELETED", event.object()));
      }
    }
  }

  private final Store store;
  private final Deque<Store.Event> history = new ArrayDeque<>();
  private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();

  WatchHub(Store store) {
    this.store = store;
    store.addListener(this);
  }

  /** Called by the store, under its monitor, once per committed change. */
  @Override
  public void accept(Store.Event event) {
    synchronized (history) {
      if (history.size() == HISTORY) {
        history.removeFirst();
      }
      history.addLast(event);
    }
    subscriptions.forEach(s -> s.offer(event));
  }

  /**
   * Opens a watch. {@code resourceVersion} null or "0" starts with the current objects as ADDED.
   *
   * @throws ApiException 410 when the requested version is older than the kept history
   */
  Subscription subscribe(Filter filter, String resourceVersion, Consumer<Frame> sink) {
    return store.atomically(() -> {
      Subscription subscription = new Subscription(filter, sink);
      if (resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0")) {
        ResourceRef collection = new ResourceRef(filter.type().group(), filter.type().version(), filter.namespace(),
            filter.type().plural(), null, null);
        for (Store.Stored stored : store.list(collection)) {
          if (filter.selector().test(stored.object())) {
            sink.accept(new Frame("ADDED", stored.object()));
          }
        }
      } else {
        long from = parse(resourceVersion);
        for (Store.Event event : since(from)) {
          subscription.offer(event);
        }
      }
      subscriptions.add(subscription);
      return subscription;
    });
  }

  private List<Store.Event> since(long from) {
    synchronized (history) {
      long current = store.currentResourceVersion();
      if (from < current && (history.isEmpty() || history.peekFirst().resourceVersion() > from + 1)
          && history.size() == HISTORY) {
        throw ApiException.expired(from, history.peekFirst().resourceVersion());
      }
      List<Store.Event> later = new ArrayList<>();
      for (Store.Event event : history) {
        if (event.resourceVersion() > from) {
          later.add(event);
        }
      }
      return later;
    }
  }

  private static long parse(String resourceVersion) {
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + resourceVersion);
    }
  }

  int openWatches() {
    return subscriptions.size();
  }
}
