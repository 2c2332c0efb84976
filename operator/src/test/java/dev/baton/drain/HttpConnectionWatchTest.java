package dev.baton.drain;

import static dev.baton.drain.Drains.httpWatch;
import static dev.baton.drain.Drains.port;
import static dev.baton.drain.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP connection count against a real HTTP server standing behind a pod at 127.0.0.1. */
class HttpConnectionWatchTest {

  final LoopbackServer app = new LoopbackServer();
  final HttpConnectionWatch watch = new HttpConnectionWatch(HttpClient.newHttpClient(), Duration.ofMillis(500));
  final Pod pod = pod("chat-1", TestPods.port("admin", app.port()));

  @AfterEach
  void stopApp() {
    app.close();
  }

  Drain plain() {
    return httpWatch(port("admin"), "/connections", null, null, null);
  }

  Drain json(String pointer) {
    return httpWatch(port("admin"), "/connections", pointer, null, null);
  }

  @Test
  void httpWatchReadsAPlainNumber() {
    app.answer("/connections", 200, "42\n");

    assertThat(watch.connectionsLeft(pod, plain())).isEqualTo(WatchResult.count(42));
    assertThat(app.requests()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("GET"));
  }

  @Test
  void httpWatchReadsTheCountAtTheJsonPointer() {
    app.answer("/connections", 200, "{\"websockets\": {\"open\": 7, \"closing\": 2}}");

    assertThat(watch.connectionsLeft(pod, json("/websockets/open"))).isEqualTo(WatchResult.count(7));
  }

  @Test
  void httpWatchAcceptsAQuotedNumberAtTheJsonPointer() {
    app.answer("/connections", 200, "{\"open\": \"0\"}");

    assertThat(watch.connectionsLeft(pod, json("/open"))).isEqualTo(WatchResult.count(0));
  }

  @Test
  void httpWatchReportsUnknownWhenTheJsonHasNoCountAtThePointer() {
    app.answer("/connections", 200, "{\"open\": null}");

    assertThat(watch.connectionsLeft(pod, json("/connections")))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u ->
            assertThat(u.reason()).contains("answered JSON without a connection count at /connections"));
  }

  @Test
  void httpWatchReportsUnknownForABodyThatIsNotJson() {
    app.answer("/connections", 200, "<html>login</html>");

    assertThat(watch.connectionsLeft(pod, json("/open")))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u -> assertThat(u.reason()).contains("which is not JSON"));
  }

  @Test
  void httpWatchReportsUnknownForAPlainBodyThatIsNotACount() {
    app.answer("/connections", 200, "-3");

    assertThat(watch.connectionsLeft(pod, plain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u ->
            assertThat(u.reason()).contains("answered '-3', not a connection count"));
  }

  @Test
  void httpWatchReportsUnknownOnA500() {
    app.answer("/connections", 500, "boom");

    assertThat(watch.connectionsLeft(pod, plain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u -> assertThat(u.reason()).endsWith("answered HTTP 500: boom"));
  }

  @Test
  void httpWatchReportsUnknownWhenTheConnectionIsRefused() {
    Pod closed = pod("chat-1", TestPods.port("admin", LoopbackServer.closedPort()));

    assertThat(watch.connectionsLeft(closed, plain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u -> assertThat(u.reason()).contains("connection refused"));
  }

  @Test
  void httpWatchReportsUnknownWhenThePodDoesNotAnswerInTime() {
    app.hang("/connections");

    assertThat(watch.connectionsLeft(pod, plain()))
        .isInstanceOfSatisfying(WatchResult.Unknown.class, u -> assertThat(u.reason()).contains("no answer within 500ms"));
  }
}
