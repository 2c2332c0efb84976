package dev.baton.devcluster.apiserver;

import java.util.List;

/** A complete (non-streaming) answer: always JSON, as the real API server answers. */
record ApiResponse(int code, String body, List<String> warnings) {

  static ApiResponse ok(String body) {
    return new ApiResponse(200, body, List.of());
  }

  static ApiResponse of(int code, String body) {
    return new ApiResponse(code, body, List.of());
  }

  ApiResponse withWarnings(List<String> newWarnings) {
    return new ApiResponse(code, body, newWarnings);
  }

  /**
   * The {@code Warning} headers: {@code 299 - "text"}, the form the API server uses and kubectl prints
   * (https://kubernetes.io/blog/2020/09/03/warnings/).
   */
  List<String> warningHeaders() {
    return warnings.stream()
        .map(w -> "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .toList();
  }
}
