package dev.baton.bench;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the HTTP requests one fabric8 client sends, as an interceptor on that client only: the operator's client
 * gets one, so the count is Baton's own calls, not the simulated controllers' or the benchmark's (the embedded API
 * server's {@code RequestLog} sees everyone's).
 *
 * <p>Requests are keyed by verb and resource as an API server's audit log would name them: {@code list pods},
 * {@code watch deployments}, {@code patch applications/status}, {@code create events}.
 */
final class ApiCalls implements Interceptor {

  private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    counts.computeIfAbsent(key(request.method(), request.uri().getRawPath(), request.uri().getRawQuery()),
        k -> new AtomicLong()).incrementAndGet();
  }

  /** The counts so far, by "verb resource", and resets them: one call per measured phase. */
  Counts take() {
    Map<String, Long> taken = new TreeMap<>();
    for (String key : counts.keySet()) {
      long n = counts.get(key).getAndSet(0);
      if (n > 0) {
        taken.put(key, n);
      }
    }
    return new Counts(taken);
  }

  /** Requests by "verb resource", e.g. {@code patch applications/status}. */
  record Counts(Map<String, Long> byKind) {
    long writes() {
      return byKind.entrySet().stream().filter(e -> isWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** Gets, lists and watches (a watch counted once, when it is opened). */
    long reads() {
      return total() - writes();
    }

    long total() {
      return byKind.values().stream().mapToLong(Long::longValue).sum();
    }

    static boolean isWrite(String kind) {
      return WRITES.contains(kind.substring(0, kind.indexOf(' ')));
    }
  }

  /**
   * The verb (get, list, watch, create, update, patch, delete) and resource (with its subresource) of a request, from
   * its method and path: {@code /apis/baton.dev/v1alpha1/namespaces/bench/applications/chat-0001/status}.
   */
  static String key(String method, String path, String query) {
    String[] parts = path.replaceFirst("^/", "").split("/");
    // /api/v1/... or /apis/<group>/<version>/...
    int i = parts.length > 0 && "api".equals(parts[0]) ? 2 : 3;
    if (i < parts.length - 1 && "namespaces".equals(parts[i]) && i + 2 < parts.length) {
      i += 2;
    }
    String resource = i < parts.length ? parts[i] : path;
    boolean named = i + 1 < parts.length;
    String sub = i + 2 < parts.length ? "/" + parts[i + 2] : "";
    boolean watch = query != null && query.contains("watch=true");
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return verb + " " + resource + sub;
  }
}
