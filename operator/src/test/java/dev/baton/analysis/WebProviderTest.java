package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Measurement.Outcome;
import dev.baton.api.AnalysisTemplate;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A web endpoint's JSON, or the value a JSON pointer picks from it, judged by the conditions. */
class WebProviderTest {

  private static final Variables RELEASE = new Variables("chat", "realtime", "1.1.0");

  private static LocalHttpServer server;

  private final HttpClient http = HttpClient.newHttpClient();
  private final WebProvider provider = new WebProvider(http);
  private final AnalysisRunner runner = new AnalysisRunner(http, Clock.systemUTC());

  @BeforeAll
  static void startServer() {
    server = LocalHttpServer.start()
        .route("/stats", 200, "application/json", """
            {"errorRate": 0.002, "requests": 1000, "healthy": true, "versions": {"1.1.0": {"errors": 2}}}
            """)
        .route("/echo", 200, "application/json",
            exchange -> "{\"query\": \"" + exchange.getRequestURI().getRawQuery() + "\"}")
        .route("/html", 200, "text/html", "<html><body>Login</body></html>")
        .route("/broken", 500, "text/plain", "database unavailable");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void aJsonPointerPicksTheValueToJudge() throws MetricQueryException {
    // when
    MetricValue value = provider.query(template("/stats", "/errorRate", "result < 0.01"), RELEASE);

    // then
    assertThat(value.result()).isEqualTo(0.002);
    assertThat(value.text()).isEqualTo("0.002");
    assertThat(runner.measure(template("/stats", "/errorRate", "result < 0.01"), RELEASE).outcome())
        .isEqualTo(Outcome.SUCCESSFUL);
  }

  @Test
  void withoutAPointerTheWholeDocumentIsAMapWithIntegersAsInts() throws MetricQueryException {
    // when
    MetricValue value = provider.query(template("/stats", null, "true"), RELEASE);

    // then
    assertThat(value.result()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("requests", 1000L)
        .containsEntry("healthy", true)
        .containsEntry("versions", Map.of("1.1.0", Map.of("errors", 2L)));
    assertThat(runner.measure(template("/stats", null,
        "result.healthy && result.requests > 100 && result.versions['1.1.0'].errors < 5"), RELEASE).outcome())
        .isEqualTo(Outcome.SUCCESSFUL);
  }

  @Test
  void placeholdersInTheUrlAreReplacedAndEncoded() throws MetricQueryException {
    // given a version with characters that mean something in a URL
    Variables release = new Variables("chat", "realtime", "1.1.0+build 7&x");

    // when
    MetricValue value = provider.query(
        template("/echo?app={{application}}&ns={{namespace}}&version={{version}}", "/query", "true"), release);

    // then
    assertThat(value.result()).isEqualTo("app=chat&ns=realtime&version=1.1.0%2Bbuild%207%26x");
  }

  @Test
  void aBodyThatIsNotJsonIsAnError() {
    Measurement measurement = runner.measure(template("/html", null, "true"), RELEASE);

    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).isEqualTo(
        "GET " + server.url("/html") + " did not answer JSON: <html><body>Login</body></html>");
  }

  @Test
  void anHttpErrorIsAnErrorWithTheBody() {
    Measurement measurement = runner.measure(template("/broken", null, "true"), RELEASE);

    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).isEqualTo("GET " + server.url("/broken") + " answered HTTP 500: database unavailable");
  }

  @Test
  void aPointerThatMatchesNothingIsAnError() {
    Measurement measurement = runner.measure(template("/stats", "/latency", "true"), RELEASE);

    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).startsWith("web.jsonPointer /latency matches nothing in the answer from ");
  }

  @Test
  void aPointerThatIsNotAPointerIsAnError() {
    Measurement measurement = runner.measure(template("/stats", "errorRate", "true"), RELEASE);

    assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(measurement.message()).startsWith("web.jsonPointer errorRate is not a JSON pointer like /errorRate");
  }

  private static AnalysisTemplate template(String path, String jsonPointer, String successCondition) {
    return new AnalysisTemplate("stats", null, new AnalysisTemplate.WebQuery(server.url(path), jsonPointer),
        successCondition, null, "10s", 1, 0, 0);
  }
}
