package dev.baton.devcluster.apiserver;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Every request the embedded API server received, oldest first, bounded to the last {@value #CAPACITY}.
 * Tests use it to prove what a client did, e.g. that a settled operator makes no writes.
 */
public final class RequestLog {

  static final int CAPACITY = 100_000;
  private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** One request: its method, its path without the query string, the raw query (may be empty) and when it came. */
  public record Entry(String method, String path, String query, Instant time) {
    public boolean isWrite() {
      return WRITE_METHODS.contains(method);
    }

    @Override
    public String toString() {
      return method + " " + path + (query.isEmpty() ? "" : "?" + query);
    }
  }

  private final Deque<Entry> entries = new ArrayDeque<>();

  synchronized void record(String method, String path, String query) {
    if (entries.size() == CAPACITY) {
      entries.removeFirst();
    }
    entries.addLast(new Entry(method, path, query == null ? "" : query, Instant.now()));
  }

  /** All recorded requests, oldest first. */
  public synchronized List<Entry> all() {
    return List.copyOf(entries);
  }

  /** The requests that could change the store: POST, PUT, PATCH and DELETE. */
  public synchronized List<Entry> writes() {
    return entries.stream().filter(Entry::isWrite).toList();
  }

  public synchronized void clear() {
    entries.clear();
  }
}
