package dev.baton.analysis;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.api.AnalysisTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

/**
 * GETs a URL that answers JSON and binds {@code result} to the value at {@code jsonPointer}
 * (RFC 6901, e.g. {@code /errorRate} or {@code /series/0/value}), or to the whole document: objects
 * become maps ({@code result.errors}), arrays lists, numbers {@code int} or {@code double}.
 *
 * <p>A non-2xx answer, a body that is not JSON, or a pointer that matches nothing is an error, not a
 * failed measurement: the service did not say anything about the release.
 */
public final class WebProvider implements MetricProvider {

  private final HttpClient http;

  public WebProvider(HttpClient http) {
    this.http = http;
  }

  @Override
  public MetricValue query(AnalysisTemplate template, Variables variables) throws MetricQueryException {
    AnalysisTemplate.WebQuery web = template.web();
    if (web == null || web.url() == null) {
      throw new MetricQueryException("analysis template " + template.name() + " has no web.url");
    }
    String url = variables.substituteInUrl(web.url());
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new MetricQueryException("web.url " + url + " is not a URL: " + e.getMessage(), e);
    }
    HttpResponse<String> response = HttpGet.get(http, uri);
    if (response.statusCode() / 100 != 2) {
      throw new MetricQueryException("GET " + uri + " answered HTTP " + response.statusCode() + ": "
          + HttpGet.snippet(response.body()));
    }
    JsonNode document;
    try {
      document = JsonValues.parse(response.body());
    } catch (JsonProcessingException e) {
      throw new MetricQueryException("GET " + uri + " did not answer JSON: " + HttpGet.snippet(response.body()), e);
    }
    if (document == null || document.isMissingNode()) {
      throw new MetricQueryException("GET " + uri + " answered an empty body, not JSON");
    }
    JsonNode value = select(document, web.jsonPointer(), uri);
    return new MetricValue(JsonValues.toCel(value), value.isTextual() ? value.textValue() : value.toString());
  }

  private static JsonNode select(JsonNode document, String pointer, URI uri) throws MetricQueryException {
    if (pointer == null || pointer.isEmpty()) {
      return document;
    }
    JsonPointer compiled;
    try {
      compiled = JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new MetricQueryException("web.jsonPointer " + pointer + " is not a JSON pointer like /errorRate: "
          + e.getMessage(), e);
    }
    JsonNode value = document.at(compiled);
    if (value.isMissingNode()) {
      throw new MetricQueryException("web.jsonPointer " + pointer + " matches nothing in the answer from " + uri
          + ": " + HttpGet.snippet(document.toString()));
    }
    return value;
  }
}
