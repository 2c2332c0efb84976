package dev.baton.drain;

import static dev.baton.drain.Drains.httpSignal;
import static dev.baton.drain.Drains.port;
import static dev.baton.drain.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP signal against a real HTTP server standing behind a pod at 127.0.0.1. */
class HttpSignalTest {

  final LoopbackServer app = new LoopbackServer();
  final HttpSignal signal = new HttpSignal(HttpClient.newHttpClient(), Duration.ofMillis(500));

  @AfterEach
  void stopApp() {
    app.close();
  }

  @Test
  void httpSignalResolvesANamedContainerPort() {
    app.answer("/drain", 202, "");
    Pod pod = pod("chat-1", TestPods.port("ws", 1), TestPods.port("admin", app.port()));

    SignalResult result = signal.send(pod, httpSignal(port("admin"), "/drain", null));

    assertThat(result.sent()).as(result.message()).isTrue();
    assertThat(result.message()).contains("POST http://127.0.0.1:" + app.port() + "/drain answered HTTP 202");
    assertThat(app.requests()).singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("POST"))
        .satisfies(r -> assertThat(r.uri().getPath()).isEqualTo("/drain"));
  }

  @Test
  void httpSignalTakesAPortNumberAndTheMethodTheDrainNames() {
    app.answer("/admin/drain", 200, "ok");

    SignalResult result = signal.send(pod("chat-1"), httpSignal(port(app.port()), "/admin/drain", Drain.HttpMethod.PUT));

    assertThat(result.sent()).as(result.message()).isTrue();
    assertThat(app.requests()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("PUT"));
  }

  @Test
  void httpSignalFailsWithTheStatusAndTheStartOfTheBodyOnA500() {
    app.answer("/drain", 500, "drain already in progress\n" + "x".repeat(1000));

    SignalResult result = signal.send(pod("chat-1"), httpSignal(port(app.port()), "/drain", null));

    assertThat(result).isInstanceOf(SignalResult.Failed.class);
    assertThat(result.message())
        .contains("answered HTTP 500: drain already in progress x")
        .hasSizeLessThan(400);
  }

  @Test
  void httpSignalFailsWhenThePodRefusesTheConnection() {
    SignalResult result = signal.send(pod("chat-1"), httpSignal(port(LoopbackServer.closedPort()), "/drain", null));

    assertThat(result).isInstanceOf(SignalResult.Failed.class);
    assertThat(result.message()).contains("connection refused");
  }

  @Test
  void httpSignalFailsWhenThePodDoesNotAnswerWithinTheTimeout() {
    app.hang("/drain");

    SignalResult result = signal.send(pod("chat-1"), httpSignal(port(app.port()), "/drain", null));

    assertThat(result).isInstanceOf(SignalResult.Failed.class);
    assertThat(result.message()).contains("got no answer within 500ms");
  }

  @Test
  void httpSignalNamesThePortsThePodHasWhenTheNamedPortIsMissing() {
    Pod pod = pod("chat-1", TestPods.port("ws", 8080), TestPods.port("metrics", 9090));

    SignalResult result = signal.send(pod, httpSignal(port("admin"), "/drain", null));

    assertThat(result).isInstanceOf(SignalResult.Failed.class);
    assertThat(result.message())
        .isEqualTo("spec.drain.signal.http: pod realtime/chat-1 has no container port named 'admin'; its ports are"
            + " ws=8080, metrics=9090. Name one of them, or give the port number.");
    assertThat(app.requests()).isEmpty();
  }

  @Test
  void httpSignalFailsForAPodWithoutAnIp() {
    SignalResult result = signal.send(TestPods.withoutIp(pod("chat-1")), httpSignal(port(8080), "/drain", null));

    assertThat(result).isInstanceOf(SignalResult.Failed.class);
    assertThat(result.message()).contains("has no IP address");
  }
}
