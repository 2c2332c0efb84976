package dev.baton.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.api.AnalysisTemplate;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Runs a PromQL instant query ({@code GET <address>/api/v1/query?query=...}, see
 * https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries).
 *
 * <p>As Argo Rollouts' prometheus provider does ({@code metricproviders/prometheus/prometheus.go}):
 * <ul>
 *   <li>a {@code scalar} result binds {@code result} to a number;
 *   <li>a {@code vector} result binds it to a list of numbers, one per series in the order Prometheus
 *       returns them, so conditions say {@code result[0]}. An empty vector is an empty list: a condition
 *       that indexes it without a guard fails to evaluate (argo-rollouts#1466), so write
 *       {@code size(result) > 0 && result[0] < 0.01}, or {@code result[?0].orValue(0.0) < 0.01};
 *   <li>{@code matrix} and {@code string} results, and {@code "status": "error"}, are errors, with
 *       Prometheus' own {@code errorType} and {@code error} text.
 * </ul>
 *
 * <p>Sample values travel as strings ("API response format" in the docs) and may be {@code NaN},
 * {@code +Inf} or {@code -Inf}; they become CEL doubles, so {@code result < 0.01} is false for NaN and
 * {@code math.isNaN(result)} can test for it. Unlike Flagger, NaN is not an error here: the conditions
 * decide.
 */
public final class PrometheusProvider implements MetricProvider {

  private final HttpClient http;

  public PrometheusProvider(HttpClient http) {
    this.http = http;
  }

  @Override
  public MetricValue query(AnalysisTemplate template, Variables variables) throws MetricQueryException {
    AnalysisTemplate.PrometheusQuery prometheus = template.prometheus();
    if (prometheus == null || prometheus.address() == null || prometheus.query() == null) {
      throw new MetricQueryException("analysis template " + template.name() + " has no prometheus.address and query");
    }
    String query = variables.substitute(prometheus.query());
    URI uri = queryUri(prometheus.address(), query);
    HttpResponse<String> response = HttpGet.get(http, uri);
    JsonNode body = parse(response, uri);
    if (!"success".equals(body.path("status").asText())) {
      throw new MetricQueryException("Prometheus refused query " + query + ": "
          + body.path("errorType").asText("error") + ": " + body.path("error").asText(HttpGet.snippet(response.body())));
    }
    JsonNode data = body.path("data");
    String resultType = data.path("resultType").asText();
    return switch (resultType) {
      case "scalar" -> scalar(data.path("result"), query);
      case "vector" -> vector(data.path("result"), query);
      default -> throw new MetricQueryException("Prometheus returned a " + (resultType.isEmpty() ? "missing" : resultType)
          + " result for query " + query + "; use a query that returns a scalar or an instant vector"
          + ("matrix".equals(resultType) ? " (wrap a range selector like [5m] in a function such as rate())" : ""));
    };
  }

  private static URI queryUri(String address, String query) throws MetricQueryException {
    String base = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    try {
      return URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new MetricQueryException("prometheus.address " + address + " is not a URL like http://prometheus:9090", e);
    }
  }

  /** Prometheus answers errors with JSON too (400 bad_data, 422 execution, 503 timeout), so any status may carry it. */
  private static JsonNode parse(HttpResponse<String> response, URI uri) throws MetricQueryException {
    try {
      JsonNode body = JsonValues.parse(response.body());
      if (body != null && body.isObject() && body.has("status")) {
        return body;
      }
    } catch (JsonProcessingException e) {
      // Not Prometheus' JSON: reported below with the HTTP status and the start of the body.
    }
    throw new MetricQueryException("GET " + uri + " answered HTTP " + response.statusCode()
        + " without Prometheus' JSON (is prometheus.address a Prometheus server?): " + HttpGet.snippet(response.body()));
  }

  /** {@code "result": [<unix_time>, "<value>"]}. */
  private static MetricValue scalar(JsonNode sample, String query) throws MetricQueryException {
    String text = sampleValue(sample, query);
    return new MetricValue(number(text, query), text);
  }

  /** {@code "result": [{"metric": {...}, "value": [<unix_time>, "<value>"]}, ...]}. */
  private static MetricValue vector(JsonNode series, String query) throws MetricQueryException {
    List<Object> values = new ArrayList<>(series.size());
    StringJoiner text = new StringJoiner(", ", "[", "]");
    for (JsonNode one : series) {
      String value = sampleValue(one.path("value"), query);
      values.add(number(value, query));
      text.add(value);
    }
    return new MetricValue(List.copyOf(values), text.toString());
  }

  private static String sampleValue(JsonNode sample, String query) throws MetricQueryException {
    JsonNode value = sample.path(1);
    if (!value.isTextual()) {
      throw new MetricQueryException("Prometheus returned a sample without a value for query " + query + ": " + sample);
    }
    return value.textValue();
  }

  /** Go's strconv.FormatFloat spells infinities {@code +Inf} and {@code -Inf}, which Java does not parse. */
  private static Double number(String text, String query) throws MetricQueryException {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new MetricQueryException("Prometheus returned " + text + ", not a number, for query " + query, e);
        }
      }
    };
  }
}
