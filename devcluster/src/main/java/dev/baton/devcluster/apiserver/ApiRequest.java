package dev.baton.devcluster.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP request as the front sees it: routes match on {@code path}, never on the query string. */
record ApiRequest(String method, String path, String rawQuery, Map<String, String> query, Map<String, String> headers,
    String body) {

  static ApiRequest of(String method, String uri, Map<String, String> headers, String body) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String rawQuery = q < 0 ? "" : uri.substring(q + 1);
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(key, value);
    }
    Map<String, String> lowerCaseHeaders = new LinkedHashMap<>();
    headers.forEach((k, v) -> lowerCaseHeaders.put(k.toLowerCase(Locale.ROOT), v));
    return new ApiRequest(method.toUpperCase(Locale.ROOT), URLDecoder.decode(path, StandardCharsets.UTF_8), rawQuery,
        query, lowerCaseHeaders, body == null ? "" : body);
  }

  String query(String name) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  boolean isWatch() {
    return method.equals("GET") && ("true".equals(query.get("watch")) || "1".equals(query.get("watch")));
  }

  /** {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}: kubectl's request for server-side printing. */
  boolean wantsTable() {
    String accept = header("accept");
    return accept != null && List.of(accept.split(",")).stream()
        .findFirst()
        .map(first -> first.contains("as=Table"))
        .orElse(false);
  }

  /** {@code dryRun=All}: the request is checked and answered as usual, and nothing is written. */
  boolean dryRun() {
    return "All".equals(query.get("dryRun"));
  }
}
