package dev.baton.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.analysis.LocalPrometheus;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStep;
import dev.baton.api.Drain;
import dev.baton.drain.DrainDecision;
import dev.baton.drain.SignalResult;
import dev.baton.plan.Action;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard the chart ships ({@code helm/baton/dashboards/baton.json}) asks only for what Baton
 * exports, and every query is valid PromQL that the real Prometheus answers from a scrape of Baton's meters.
 */
class DashboardTest {

  static final Path DASHBOARD = Path.of("../helm/baton/dashboards/baton.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC = Pattern.compile("\\bbaton_[a-z_]+\\b");

  @Test
  void isAGrafanaDashboardWithADataSourceVariable() throws IOException {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

    assertThat(dashboard.path("schemaVersion").asInt()).isEqualTo(39);
    assertThat(dashboard.path("uid").asText()).isEqualTo("baton-operator");
    JsonNode datasource = variable(dashboard, "datasource");
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    // every panel and query reads from the chosen data source, never a fixed one
    for (JsonNode panel : panels(dashboard)) {
      assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
      panel.path("targets").forEach(target ->
          assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}"));
    }
    assertThat(panels(dashboard).stream().map(p -> p.path("title").asText())).contains(
        "Reconciles per second", "Reconcile error ratio", "Reconcile duration", "Releases in progress",
        "Release results", "Step duration (p95)", "Pods draining", "Connections remaining", "Drain signals failed");
  }

  @Test
  void everyQueryAsksOnlyForSeriesBatonExports() throws IOException {
    Set<String> exported = seriesNames(scrapeOfEveryMeter().scrape());

    List<String> unknown = new ArrayList<>();
    for (String expr : expressions()) {
      METRIC.matcher(expr).results().map(m -> m.group()).filter(name -> !exported.contains(name))
          .forEach(name -> unknown.add(name + " in " + expr));
    }

    assertThat(unknown).as("metric names the dashboard queries but Baton does not export").isEmpty();
    // and the dashboard covers every family Baton exports
    String all = String.join("\n", expressions());
    assertThat(BatonMetrics.NAMES).allSatisfy(name -> assertThat(all).as("a panel for " + name).contains(name));
  }

  @Test
  void prometheusEvaluatesEveryQueryAgainstBatonsMetrics() throws Exception {
    PrometheusMeterRegistry registry = scrapeOfEveryMeter();
    try (OperatorEndpoints endpoints = OperatorEndpoints.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> true, registry);
        LocalPrometheus prometheus = LocalPrometheus.start("127.0.0.1:" + endpoints.port())) {
      // rate() needs two samples in its window; Prometheus scrapes every second
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
          query(prometheus, "count_over_time(baton_reconciles_total{result=\"success\"}[1m])").contains("\"3\""));

      for (String expr : expressions()) {
        // Grafana's own variables, as Grafana would substitute them
        String promql = expr.replace("$__rate_interval", "1m").replace("$__range", "5m").replace("$namespace", ".*");
        String answer = query(prometheus, promql);
        assertThat(answer).as("Prometheus' answer to %s", promql).contains("\"status\":\"success\"");
        if (!promql.contains(" > 0")) {
          // only queries that filter out zeros may come back empty
          assertThat(answer).as("Prometheus' answer to %s", promql).doesNotContain("\"result\":[]");
        }
      }
    }
  }

  /** A registry with every meter Baton has and at least one event of each kind. */
  private static PrometheusMeterRegistry scrapeOfEveryMeter() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BatonMetrics metrics = new BatonMetrics(registry);
    metrics.reconcileFinished(Duration.ofMillis(12), true);
    metrics.reconcileFinished(Duration.ofMillis(400), false);
    metrics.actionApplied(new Action.DeletePool("chat-1.0.0"));
    metrics.releaseFinished(CanaryPhase.Succeeded, Duration.ofMinutes(20));
    metrics.stepFinished(CanaryStep.pause("2m"), Duration.ofMinutes(2));
    metrics.signalSent(Drain.DEFAULT, SignalResult.failed("the pod is gone"));
    metrics.podDrained(DrainDecision.Reason.TIMED_OUT);
    return registry;
  }

  private static Set<String> seriesNames(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("baton_")).map(l -> l.split("[{ ]")[0]).collect(Collectors.toSet());
  }

  private static List<String> expressions() throws IOException {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : panels(JSON.readTree(DASHBOARD.toFile()))) {
      panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
    }
    assertThat(expressions).isNotEmpty().doesNotContain("");
    return expressions;
  }

  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panel -> {
      if (!"row".equals(panel.path("type").asText())) {
        panels.add(panel);
      }
    });
    return panels;
  }

  private static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (name.equals(variable.path("name").asText())) {
        return variable;
      }
    }
    throw new AssertionError("no variable " + name);
  }

  private static String query(LocalPrometheus prometheus, String promql) throws IOException, InterruptedException {
    URI uri = URI.create(prometheus.address() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
