package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.analysis.Measurement.Outcome;
import dev.baton.api.AnalysisTemplate;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Instant queries against the real Prometheus, scraping a metrics endpoint this test serves. */
class PrometheusProviderTest {

  private static final Variables RELEASE = new Variables("chat", "realtime", "1.1.0");

  private static LocalHttpServer metrics;
  private static LocalPrometheus prometheus;

  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusProvider provider = new PrometheusProvider(http);
  private final AnalysisRunner runner = new AnalysisRunner(http, Clock.systemUTC());

  @BeforeAll
  static void startPrometheusScrapingTheTestMetrics() throws IOException {
    metrics = LocalHttpServer.start().route("/metrics", 200, "text/plain; version=0.0.4", """
        # HELP test_errors_total Errors served, by version.
        # TYPE test_errors_total counter
        test_errors_total{version="1.0.0"} 3
        test_errors_total{version="1.1.0"} 4
        """);
    prometheus = LocalPrometheus.start(metrics.hostAndPort());
    PrometheusProvider provider = new PrometheusProvider(HttpClient.newHttpClient());
    await("Prometheus has scraped both series")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(MetricQueryException.class)
        .until(() -> provider.query(template("count(test_errors_total)", "true"), RELEASE).result(),
            result -> List.of(2.0).equals(result));
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  @Test
  void aScalarResultIsBoundAsANumber() throws MetricQueryException {
    // when
    MetricValue value = provider.query(template("scalar(sum(test_errors_total))", "result == 7"), RELEASE);

    // then
    assertThat(value.result()).isEqualTo(7.0);
    assertThat(value.text()).isEqualTo("7");
  }

  @Test
  void aVectorResultIsBoundAsAListOfNumbersInPrometheusOrder() throws MetricQueryException {
    // when
    MetricValue value = provider.query(template("sort_desc(test_errors_total)", "true"), RELEASE);

    // then
    assertThat(value.result()).isEqualTo(List.of(4.0, 3.0));
    assertThat(value.text()).isEqualTo("[4, 3]");
  }

  @Test
  void placeholdersAreReplacedInTheQueryAndTheResultIsJudged() {
    // given
    AnalysisTemplate errors = template("sum(test_errors_total{version=\"{{version}}\"})", "result[0] == 4");

    // when
    Measurement measurement = runner.measure(errors, RELEASE);

    // then
    assertThat(measurement.outcome()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(measurement.value()).isEqualTo("[4]");
    assertThat(measurement.message()).isEqualTo("successCondition `result[0] == 4` is true");
  }

  @Test
  void anEmptyVectorIsAnEmptyListThatOnlyAGuardedConditionCanJudge() throws MetricQueryException {
    // given a version with no series yet (no traffic)
    String query = "test_errors_total{version=\"9.9.9\"}";

    // then the value is an empty list
    assertThat(provider.query(template(query, "true"), RELEASE).result()).isEqualTo(List.of());
    // an unguarded condition cannot be evaluated (argo-rollouts#1466) and says how to guard it
    Measurement unguarded = runner.measure(template(query, "result[0] < 1"), RELEASE);
    assertThat(unguarded.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(unguarded.message()).contains("size(result) > 0");
    // a guarded one decides
    assertThat(runner.measure(template(query, "size(result) > 0 && result[0] < 1"), RELEASE).outcome())
        .isEqualTo(Outcome.FAILED);
    assertThat(runner.measure(template(query, "size(result) == 0 || result[0] < 1"), RELEASE).outcome())
        .isEqualTo(Outcome.SUCCESSFUL);
  }

  @Test
  void notANumberAndInfinityAreBoundAsDoubles() throws MetricQueryException {
    assertThat(provider.query(template("0/0", "true"), RELEASE).result()).isEqualTo(Double.NaN);
    assertThat(provider.query(template("1/0", "true"), RELEASE).result()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(provider.query(template("-1/0", "true"), RELEASE).result()).isEqualTo(Double.NEGATIVE_INFINITY);
    // NaN is below no threshold: with only a success condition it fails
    assertThat(runner.measure(template("0/0", "result < 0.01"), RELEASE).outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void aQueryPrometheusRefusesIsAnErrorWithPrometheusMessage() {
    // when
    Measurement measurement = runner.measure(template("sum(test_errors_total", "true"), RELEASE);

    // then
    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.value()).isNull();
    assertThat(measurement.message())
        .startsWith("Prometheus refused query sum(test_errors_total: bad_data: ")
        .contains("parse error");
  }

  @Test
  void aRangeResultIsAnErrorThatSaysWhatToQueryInstead() {
    Measurement measurement = runner.measure(template("test_errors_total[1m]", "true"), RELEASE);

    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).contains("returned a matrix result").contains("rate()");
  }

  @Test
  void aStringResultIsAnError() {
    Measurement measurement = runner.measure(template("\"text\"", "true"), RELEASE);

    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).contains("returned a string result");
  }

  @Test
  void anUnreachableAddressIsAnError() throws IOException {
    // given a port nothing listens on
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    AnalysisTemplate unreachable = new AnalysisTemplate("errors",
        new AnalysisTemplate.PrometheusQuery("http://127.0.0.1:" + closedPort, "up"), null, "true", null, null, null,
        null, null);

    // when
    Measurement measurement = runner.measure(unreachable, RELEASE);

    // then
    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).startsWith("GET http://127.0.0.1:" + closedPort + "/api/v1/query?query=up failed:");
  }

  @Test
  void anAddressThatIsNotPrometheusIsAnError() {
    AnalysisTemplate notPrometheus = new AnalysisTemplate("errors",
        new AnalysisTemplate.PrometheusQuery(metrics.url("/"), "up"), null, "true", null, null, null, null, null);

    Measurement measurement = runner.measure(notPrometheus, RELEASE);

    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).contains("answered HTTP 404 without Prometheus' JSON");
  }

  private static AnalysisTemplate template(String query, String successCondition) {
    return new AnalysisTemplate("errors", new AnalysisTemplate.PrometheusQuery(prometheus.address(), query), null,
        successCondition, null, "1s", 1, 0, 0);
  }
}
