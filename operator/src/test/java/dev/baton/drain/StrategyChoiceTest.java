package dev.baton.drain;

import static dev.baton.drain.Drains.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Which signal and which watch {@code spec.drain} selects, and how often each watch polls. */
class StrategyChoiceTest {

  // Never contacted: choosing a strategy makes no call.
  static final KubernetesClient KUBERNETES = new KubernetesClientBuilder()
      .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
      .build();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  final DrainSignals signals = DrainSignals.withDefaults(KUBERNETES, HTTP, Clock.systemUTC());
  final ConnectionWatches watches = ConnectionWatches.withDefaults(HTTP);

  @AfterAll
  static void closeClient() {
    KUBERNETES.close();
  }

  @Test
  void theAnnotationSignalIsTheDefault() {
    assertThat(signals.signalFor(Drain.DEFAULT)).isInstanceOf(AnnotationSignal.class);
    assertThat(signals.signalFor(Drains.annotationSignal())).isInstanceOf(AnnotationSignal.class);
  }

  @Test
  void anHttpSignalIsChosenForSignalHttp() {
    assertThat(signals.signalFor(Drains.httpSignal(port("admin"), "/drain", null))).isInstanceOf(HttpSignal.class);
  }

  @Test
  void anExecSignalIsChosenForSignalExec() {
    assertThat(signals.signalFor(Drains.execSignal(null, null))).isInstanceOf(ExecSignal.class);
  }

  @Test
  void httpAndPrometheusWatchesPollAndTheWaitWatchDoesNot() {
    assertThat(watches.pollingWatchFor(Drains.httpWatch(port("admin"), "/connections", null, null, null)))
        .containsInstanceOf(HttpConnectionWatch.class);
    assertThat(watches.pollingWatchFor(Drains.prometheusWatch("http://prometheus:9090", "q", null, null)))
        .containsInstanceOf(PrometheusConnectionWatch.class);
    assertThat(watches.pollingWatchFor(Drains.waitWatch("30s", null))).isEmpty();
    assertThat(watches.pollingWatchFor(Drain.DEFAULT)).isEmpty();
  }

  @Test
  void httpWatchesPollEvery2sAndPrometheusEvery5sUnlessTheDrainSaysOtherwise() {
    assertThat(ConnectionWatches.pollInterval(Drains.httpWatch(port("admin"), "/c", null, null, null)))
        .contains(Duration.ofSeconds(2));
    assertThat(ConnectionWatches.pollInterval(Drains.httpWatch(port("admin"), "/c", null, "500ms", null)))
        .contains(Duration.ofMillis(500));
    assertThat(ConnectionWatches.pollInterval(Drains.prometheusWatch("http://p:9090", "q", null, null)))
        .contains(Duration.ofSeconds(5));
    assertThat(ConnectionWatches.pollInterval(Drains.prometheusWatch("http://p:9090", "q", "1m", null)))
        .contains(Duration.ofMinutes(1));
    assertThat(ConnectionWatches.pollInterval(Drain.DEFAULT)).isEmpty();
  }

  @Test
  void theWaitWatchIsAPureFunctionOfTheSignalTime() {
    java.time.Instant signalled = java.time.Instant.parse("2026-11-22T10:00:00Z");
    Drain drain = Drains.waitWatch("1m30s", null);

    assertThat(WaitWatch.elapsesAt(signalled, drain)).isEqualTo(signalled.plusSeconds(90));
    assertThat(WaitWatch.hasElapsed(signalled, signalled.plusSeconds(89), drain)).isFalse();
    assertThat(WaitWatch.hasElapsed(signalled, signalled.plusSeconds(90), drain)).isTrue();
    assertThat(WaitWatch.duration(Drain.DEFAULT)).isEqualTo(Duration.ofSeconds(30));
  }
}
