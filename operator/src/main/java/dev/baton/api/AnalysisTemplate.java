package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;

/**
 * A check: a query run {@code count} times every {@code interval}, each result judged by a CEL
 * condition over {@code result}. More than {@code failureLimit} failed measurements fail the analysis
 * (and roll the release back); more than {@code inconclusiveLimit} inconclusive ones pause it for a human.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.prometheus) ? 1 : 0) + (has(self.web) ? 1 : 0) == 1",
    message = "an analysis template sets exactly one provider: prometheus or web")
public record AnalysisTemplate(
    @JsonPropertyDescription("The name analysis steps use.")
    @Required
    @Size(min = 1, max = 63)
    String name,

    @JsonPropertyDescription("Query a Prometheus server (instant query API).")
    PrometheusQuery prometheus,

    @JsonPropertyDescription("GET a URL that answers JSON.")
    WebQuery web,

    @JsonPropertyDescription("CEL expression over `result` that is true for a good measurement, e.g. `result < 0.01`.")
    @Required
    String successCondition,

    @JsonPropertyDescription("CEL expression over `result` that is true for a bad measurement. Default: not successCondition."
        + " When both are given and neither holds, the measurement is inconclusive.")
    String failureCondition,

    @JsonPropertyDescription("Time between measurements. Default: 30s.")
    @Pattern(Durations.PATTERN)
    @Default("30s")
    String interval,

    @JsonPropertyDescription("Number of measurements. Default: 1.")
    @Min(1)
    @Default("1")
    Integer count,

    @JsonPropertyDescription("Failed measurements tolerated. Default: 0.")
    @Min(0)
    @Default("0")
    Integer failureLimit,

    @JsonPropertyDescription("Inconclusive measurements tolerated before the release pauses. Default: 0.")
    @Min(0)
    @Default("0")
    Integer inconclusiveLimit) {

  public Duration intervalOrDefault() {
    return Durations.parse(interval, Duration.ofSeconds(30));
  }

  /** A Prometheus instant query. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PrometheusQuery(
      @JsonPropertyDescription("Prometheus base URL, e.g. http://prometheus.monitoring:9090.")
      @Required
      String address,

      @JsonPropertyDescription("PromQL; {{version}}, {{application}} and {{namespace}} are replaced. A vector result is"
          + " bound to `result` as a list of numbers, a scalar as a number. A vector is empty while the version has no"
          + " series: guard the index, e.g. `size(result) > 0 && result[0] < 0.01` or `result[?0].orValue(0.0) < 0.01`.")
      @Required
      String query) {}

  /** A web endpoint answering JSON. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WebQuery(
      @JsonPropertyDescription("URL to GET; {{version}}, {{application}} and {{namespace}} are replaced.")
      @Required
      String url,

      @JsonPropertyDescription("JSON pointer to the value bound to `result` (e.g. /errorRate). Default: the whole document.")
      String jsonPointer) {}
}
