package dev.baton.metrics;

import static dev.baton.metrics.BatonMetricsTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.BatonOperator;
import dev.baton.api.Application;
import dev.baton.api.Crds;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.SimulationSettings;
import dev.baton.testing.Applications;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} as Prometheus scrapes it from a running operator: the real operator on the embedded
 * cluster, the real endpoint on a free loopback port, one Application reconciled to Ready.
 */
class MetricsEndpointTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static EmbeddedKubernetes kubernetes;
  private static BatonOperator operator;
  private static OperatorEndpoints endpoints;

  @BeforeAll
  static void startOperatorWithEndpointsAndReconcileOneApplication() throws IOException {
    kubernetes = EmbeddedKubernetes.start(SimulationSettings.forTests());
    Crds.install(kubernetes.client());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operator = BatonOperator.create(kubernetes.client(), BatonOperator.Settings.defaults().withMeterRegistry(registry))
        .start();
    endpoints = OperatorEndpoints.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), operator::isReady,
        registry);

    kubernetes.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("metrics").endMetadata()
        .build()).create();
    kubernetes.client().resource(Applications.chat("metrics", "registry.example.com/chat:1.4.2", 2)).create();
    awaitReady("1.4.2");
    // and one release, so the release and drain metrics have values to show
    kubernetes.client().resources(Application.class).inNamespace("metrics").withName("chat").edit(app -> {
      app.getSpec().template().getSpec().getContainers().get(0).setImage("registry.example.com/chat:1.4.3");
      return app;
    });
    awaitReady("1.4.3");
  }

  private static void awaitReady(String stableVersion) {
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      Application app = kubernetes.client().resources(Application.class).inNamespace("metrics").withName("chat").get();
      return app.getStatus() != null && stableVersion.equals(app.getStatus().stableVersion())
          && app.getStatus().condition("Ready").filter(c -> "True".equals(c.getStatus())).isPresent();
    });
  }

  @AfterAll
  static void stop() {
    if (endpoints != null) {
      endpoints.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("# TYPE baton_reconciles_total counter");
  }

  @Test
  void batonsMetricsCountTheReconcilesTheOperatorRan() throws Exception {
    String scrape = get("/metrics").body();

    // the SDK hook wired in BatonOperator counts and times every reconcile, with no call in the reconciler
    assertThat(value(scrape, "baton_reconciles_total{result=\"success\"}")).isPositive();
    assertThat(value(scrape, "baton_reconcile_duration_seconds_count{result=\"success\"}"))
        .isEqualTo(value(scrape, "baton_reconciles_total{result=\"success\"}"));
    assertThat(BatonMetricsTest.families(scrape)).containsExactlyInAnyOrderElementsOf(BatonMetrics.NAMES);
  }

  @Test
  void aReleaseIsCountedWithItsResultAndItsOldPodsAsDrained() throws Exception {
    String scrape = get("/metrics").body();

    assertThat(value(scrape, "baton_releases_started_total{strategy=\"Canary\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "baton_releases_finished_total{result=\"Succeeded\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "baton_drained_pods_total{reason=\"WaitElapsed\"}")).as("both old pods").isEqualTo(2.0);
    assertThat(value(scrape, "baton_drain_signals_total{result=\"sent\",signal=\"annotation\"}")).isEqualTo(2.0);
    assertThat(value(scrape, "baton_draining_pods")).isZero();
  }

  @Test
  void theSdksOwnMetricsAreServedAlongsideWithoutPerResourceSeries() throws Exception {
    String scrape = get("/metrics").body();

    assertThat(scrape.lines().filter(l -> l.startsWith("operator_sdk_")))
        .as("the Java Operator SDK's meters")
        .isNotEmpty()
        // withoutPerResourceMetrics: no series names an Application
        .noneMatch(l -> l.contains("chat"));
  }

  @Test
  void probesAnswerBesideTheMetrics() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
