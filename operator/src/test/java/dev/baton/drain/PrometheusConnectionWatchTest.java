package dev.baton.drain;

import static dev.baton.drain.Drains.prometheusWatch;
import static dev.baton.drain.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Drain;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus count against a real HTTP server answering /api/v1/query with the JSON Prometheus sends
 * (https://prometheus.io/docs/prometheus/latest/querying/api/#expression-query-result-formats).
 */
class PrometheusConnectionWatchTest {

  static final String QUERY = "sum(websocket_connections{pod=\"{{pod}}\",namespace=\"{{namespace}}\"})";

  final LoopbackServer prometheus = new LoopbackServer();
  final PrometheusConnectionWatch watch = new PrometheusConnectionWatch(HttpClient.newHttpClient(), Duration.ofMillis(500));

  @AfterEach
  void stopPrometheus() {
    prometheus.close();
  }

  Drain drain() {
    return prometheusWatch(prometheus.address() + "/", QUERY, null, null);
  }

  static String vector(String... values) {
    StringBuilder samples = new StringBuilder();
    for (String value : values) {
      samples.append(samples.length() == 0 ? "" : ",")
          .append("{\"metric\":{\"pod\":\"chat-1\"},\"value\":[1763800000.123,\"").append(value).append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + samples + "]}}";
  }

  @Test
  void prometheusWatchSendsTheQueryWithThePodAndNamespaceFilledIn() {
    prometheus.answer("/api/v1/query", 200, vector("12"));

    WatchResult result = watch.connectionsLeft(pod("chat-1"), drain());

    assertThat(result).isEqualTo(WatchResult.count(12));
    assertThat(prometheus.requests()).singleElement().satisfies(r -> {
      assertThat(r.uri().getPath()).isEqualTo("/api/v1/query");
      assertThat(URLDecoder.decode(r.uri().getRawQuery(), StandardCharsets.UTF_8))
          .isEqualTo("query=sum(websocket_connections{pod=\"chat-1\",namespace=\"realtime\"})");
    });
  }

  @Test
  void prometheusWatchReadsAScalar() {
    prometheus.answer("/api/v1/query", 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1763800000,\"0\"]}}");

    assertThat(watch.connectionsLeft(pod("chat-1"), drain())).isEqualTo(WatchResult.count(0));
  }

  @Test
  void prometheusWatchRoundsAFractionUpSoALastConnectionIsNotEmpty() {
    prometheus.answer("/api/v1/query", 200, vector("0.25"));

    assertThat(watch.connectionsLeft(pod("chat-1"), drain())).isEqualTo(WatchResult.count(1));
  }

  @Test
  void prometheusWatchTreatsAnEmptyVectorAsUnknownNotAsZero() {
    prometheus.answer("/api/v1/query", 200, vector());

    assertThat(watch.connectionsLeft(pod("chat-1"), drain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u ->
            assertThat(u.reason()).contains("matched no series").contains("or vector(0)"));
  }

  @Test
  void prometheusWatchAsksForAggregationWhenTheQueryReturnsSeveralSeries() {
    prometheus.answer("/api/v1/query", 200, vector("3", "4"));

    assertThat(watch.connectionsLeft(pod("chat-1"), drain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u -> assertThat(u.reason()).contains("returned 2 series"));
  }

  @Test
  void prometheusWatchReportsUnknownForNaN() {
    prometheus.answer("/api/v1/query", 200, vector("NaN"));

    assertThat(watch.connectionsLeft(pod("chat-1"), drain())).isInstanceOf(WatchResult.Unknown.class);
  }

  @Test
  void prometheusWatchShowsTheErrorPrometheusGivesForABadQuery() {
    prometheus.answer("/api/v1/query", 400,
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end of input\"}");

    assertThat(watch.connectionsLeft(pod("chat-1"), drain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u ->
            assertThat(u.reason()).contains("(HTTP 400): 1:5: parse error: unexpected end of input"));
  }

  @Test
  void prometheusWatchReportsUnknownForAnAnswerThatIsNotJson() {
    prometheus.answer("/api/v1/query", 502, "Bad Gateway");

    assertThat(watch.connectionsLeft(pod("chat-1"), drain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u ->
            assertThat(u.reason()).contains("HTTP 502 with something other than JSON: Bad Gateway"));
  }

  @Test
  void prometheusWatchReportsUnknownWhenPrometheusIsUnreachable() {
    Drain drain = prometheusWatch("http://127.0.0.1:" + LoopbackServer.closedPort(), QUERY, null, null);

    assertThat(watch.connectionsLeft(pod("chat-1"), drain))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u -> assertThat(u.reason()).contains("connection refused"));
  }

  @Test
  void prometheusWatchReportsUnknownWhenPrometheusDoesNotAnswerInTime() {
    prometheus.hang("/api/v1/query");

    assertThat(watch.connectionsLeft(pod("chat-1"), drain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u -> assertThat(u.reason()).contains("no answer within 500ms"));
  }
}
