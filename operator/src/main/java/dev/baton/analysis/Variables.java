package dev.baton.analysis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The values a query or URL may refer to as {@code {{version}}}, {@code {{application}}} and
 * {@code {{namespace}}}: the release being analysed.
 *
 * @param application the Application's name
 * @param namespace the Application's namespace
 * @param version the version being released (the canary's version)
 */
public record Variables(String application, String namespace, String version) {

  /** Replaces the placeholders with the values as they are (for PromQL, which is URL-encoded as a whole). */
  public String substitute(String text) {
    return replace(text, UnaryOperator.identity());
  }

  /**
   * Replaces the placeholders with percent-encoded values, for a URL: a version like {@code 1.4.2+build 7}
   * must not change the URL's structure. Spaces become {@code %20}, valid in a path and in a query.
   */
  public String substituteInUrl(String url) {
    return replace(url, value -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  private String replace(String text, UnaryOperator<String> encode) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Map.Entry<String, String> variable : Map.of(
        "{{application}}", nullToEmpty(application),
        "{{namespace}}", nullToEmpty(namespace),
        "{{version}}", nullToEmpty(version)).entrySet()) {
      result = result.replace(variable.getKey(), encode.apply(variable.getValue()));
    }
    return result;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
