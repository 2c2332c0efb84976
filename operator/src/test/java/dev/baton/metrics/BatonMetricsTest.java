package dev.baton.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.api.Drain;
import dev.baton.drain.DrainDecision;
import dev.baton.drain.SignalResult;
import dev.baton.plan.Action;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes from Baton: names, types, labels and values, read from the text format. */
class BatonMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BatonMetrics metrics = new BatonMetrics(registry);

  @Test
  void everyMetricIsExportedWithItsPrometheusTypeBeforeAnythingHappens() {
    String scrape = registry.scrape();

    assertThat(scrape)
        .contains("# TYPE baton_reconciles_total counter")
        .contains("# TYPE baton_reconcile_duration_seconds histogram")
        .contains("# TYPE baton_actions_total counter")
        .contains("# TYPE baton_releases_started_total counter")
        .contains("# TYPE baton_releases_finished_total counter")
        .contains("# TYPE baton_release_duration_seconds histogram")
        .contains("# TYPE baton_releases_in_progress gauge")
        .contains("# TYPE baton_release_step_duration_seconds histogram")
        .contains("# TYPE baton_drains_in_progress gauge")
        .contains("# TYPE baton_draining_pods gauge")
        .contains("# TYPE baton_drain_connections_remaining gauge")
        .contains("# TYPE baton_drain_max_concurrent gauge")
        .contains("# TYPE baton_drain_signals_total counter")
        .contains("# TYPE baton_drained_pods_total counter");
    // every family the constants name is there, and no other baton_ family
    assertThat(families(scrape)).containsExactlyInAnyOrderElementsOf(BatonMetrics.NAMES);
    // series start at zero, so rate() sees the first event
    assertThat(value(scrape, "baton_reconciles_total{result=\"error\"}")).isZero();
    assertThat(value(scrape, "baton_actions_total{action=\"CreatePool\"}")).isZero();
    assertThat(value(scrape, "baton_releases_finished_total{result=\"RolledBack\"}")).isZero();
    assertThat(value(scrape, "baton_releases_in_progress{phase=\"Paused\"}")).isZero();
  }

  @Test
  void labelValuesComeFromClosedSetsNeverFromObjectNames() {
    metrics.releaseObserved(application("realtime", "chat"), CanaryPhase.Paused);
    metrics.drainProgress(application("realtime", "chat"), 2, 1500, 2);
    metrics.actionApplied(new Action.DeletePool("chat-1-0-0"));

    String scrape = registry.scrape();

    assertThat(scrape).doesNotContain("chat").doesNotContain("realtime");
    assertThat(labelKeys(scrape)).containsExactlyInAnyOrder("result", "action", "strategy", "phase", "step", "signal",
        "reason", "le");
    // a fixed number of series (about 200 with the histogram buckets), whatever the number of objects
    assertThat(seriesCount(scrape)).isLessThan(250);
  }

  @Test
  void reconcilesAreCountedAndTimedByResult() {
    metrics.reconcileFinished(Duration.ofMillis(20), true);
    metrics.reconcileFinished(Duration.ofMillis(30), true);
    metrics.reconcileFinished(Duration.ofSeconds(3), false);

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_reconciles_total{result=\"success\"}")).isEqualTo(2);
    assertThat(value(scrape, "baton_reconciles_total{result=\"error\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_reconcile_duration_seconds_count{result=\"success\"}")).isEqualTo(2);
    assertThat(value(scrape, "baton_reconcile_duration_seconds_sum{result=\"success\"}")).isEqualTo(0.05);
    // buckets in seconds, cumulative: both successes took at most 50 ms, neither 10 ms
    assertThat(value(scrape, "baton_reconcile_duration_seconds_bucket{result=\"success\",le=\"0.05\"}")).isEqualTo(2);
    assertThat(value(scrape, "baton_reconcile_duration_seconds_bucket{result=\"success\",le=\"0.01\"}")).isZero();
    assertThat(value(scrape, "baton_reconcile_duration_seconds_bucket{result=\"error\",le=\"+Inf\"}")).isEqualTo(1);
  }

  @Test
  void theSdkHookTimesEveryReconcileAndCountsOneThatThrowsAsAnError() throws Exception {
    Metrics hook = metrics.around(Metrics.NOOP);

    hook.timeControllerExecution(execution("reconcile", () -> "ok"));
    assertThatThrownBy(() -> hook.timeControllerExecution(execution("reconcile", () -> {
      throw new IllegalStateException("409 Conflict");
    }))).hasMessage("409 Conflict");
    hook.timeControllerExecution(execution("cleanup", () -> "ok"));

    String scrape = registry.scrape();
    assertThat(value(scrape, "baton_reconciles_total{result=\"success\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_reconciles_total{result=\"error\"}")).isEqualTo(1);
  }

  @Test
  void actionsAreCountedByKind() {
    metrics.actionApplied(new Action.ScalePool("chat-1-0-0", 3, 5));
    metrics.actionApplied(new Action.ScalePool("chat-1-0-0", 5, 6));
    metrics.actionApplied(new Action.DeletePool("chat-0-9-0"));

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_actions_total{action=\"ScalePool\"}")).isEqualTo(2);
    assertThat(value(scrape, "baton_actions_total{action=\"DeletePool\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_actions_total{action=\"CreateCanary\"}")).isZero();
    // one series per kind the executor knows
    assertThat(scrape.lines().filter(l -> l.startsWith("baton_actions_total{")).count())
        .isEqualTo(Action.class.getPermittedSubclasses().length);
  }

  @Test
  void aReleaseIsCountedWhenItsCanaryIsCreatedAndWhenItsStatusReachesAFinishedPhase() {
    Canary canary = canary(List.of(CanaryStep.setWeight(25), CanaryStep.pause("2m")),
        status(CanaryPhase.Progressing, 0, "2025-01-01T10:00:00Z", "2025-01-01T10:00:00Z", null));

    metrics.actionApplied(new Action.CreateCanary(canary));
    // the setWeight step took 90 s: its pods got ready, the pause starts
    metrics.actionApplied(new Action.UpdateCanaryStatus(canary,
        status(CanaryPhase.Progressing, 1, "2025-01-01T10:00:00Z", "2025-01-01T10:01:30Z", null)));
    canary.setStatus(status(CanaryPhase.Progressing, 1, "2025-01-01T10:00:00Z", "2025-01-01T10:01:30Z", null));
    // the pause ran its 2 minutes and the release went through
    metrics.actionApplied(new Action.UpdateCanaryStatus(canary,
        status(CanaryPhase.Succeeded, 2, "2025-01-01T10:00:00Z", "2025-01-01T10:03:30Z", "2025-01-01T10:10:00Z")));

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_releases_started_total{strategy=\"Canary\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_releases_finished_total{result=\"Succeeded\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_release_duration_seconds_sum{result=\"Succeeded\"}")).isEqualTo(600);
    assertThat(value(scrape, "baton_release_step_duration_seconds_sum{step=\"setWeight\"}")).isEqualTo(90);
    assertThat(value(scrape, "baton_release_step_duration_seconds_sum{step=\"pause\"}")).isEqualTo(120);
    assertThat(value(scrape, "baton_release_step_duration_seconds_bucket{step=\"pause\",le=\"120.0\"}")).isEqualTo(1);
  }

  @Test
  void aStatusWriteThatStaysInTheSamePhaseAndStepCountsNothing() {
    CanaryStatus paused = status(CanaryPhase.Paused, 1, "2025-01-01T10:00:00Z", "2025-01-01T10:01:00Z", null);
    Canary canary = canary(List.of(CanaryStep.setWeight(25), CanaryStep.pause(null)), paused);

    metrics.actionApplied(new Action.UpdateCanaryStatus(canary, paused));

    String scrape = registry.scrape();
    assertThat(value(scrape, "baton_release_step_duration_seconds_count{step=\"pause\"}")).isZero();
    assertThat(value(scrape, "baton_releases_finished_total{result=\"Succeeded\"}")).isZero();
    assertThat(value(scrape, "baton_actions_total{action=\"UpdateCanaryStatus\"}")).isEqualTo(1);
  }

  @Test
  void releasesFinishedByEachResult() {
    metrics.releaseFinished(CanaryPhase.Aborted, Duration.ofMinutes(3));
    metrics.releaseFinished(CanaryPhase.RolledBack, null);
    metrics.releaseFinished(CanaryPhase.RolledBack, Duration.ofMinutes(12));
    metrics.releaseFinished(CanaryPhase.Failed, Duration.ofHours(1));

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_releases_finished_total{result=\"Aborted\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_releases_finished_total{result=\"RolledBack\"}")).isEqualTo(2);
    assertThat(value(scrape, "baton_releases_finished_total{result=\"Failed\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_release_duration_seconds_count{result=\"RolledBack\"}")).isEqualTo(1);
    assertThatThrownBy(() -> metrics.releaseFinished(CanaryPhase.Paused, null))
        .hasMessageContaining("Paused is not a finished phase");
  }

  @Test
  void releasesInProgressAreSummedOverApplicationsByPhase() {
    metrics.releaseObserved(application("a", "chat"), CanaryPhase.Paused);
    metrics.releaseObserved(application("b", "chat"), CanaryPhase.Paused);
    metrics.releaseObserved(application("a", "feed"), CanaryPhase.Progressing);
    metrics.releaseObserved(application("a", "feed"), CanaryPhase.Draining);
    metrics.releaseObserved(application("a", "push"), CanaryPhase.Promoting);
    metrics.releaseObserved(application("a", "push"), CanaryPhase.Succeeded);

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_releases_in_progress{phase=\"Paused\"}")).isEqualTo(2);
    assertThat(value(scrape, "baton_releases_in_progress{phase=\"Draining\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_releases_in_progress{phase=\"Progressing\"}")).isZero();
    assertThat(value(scrape, "baton_releases_in_progress{phase=\"Promoting\"}")).isZero();
    // finished phases are counted by baton_releases_finished_total, not as "in progress"
    assertThat(scrape).doesNotContain("baton_releases_in_progress{phase=\"Succeeded\"}");
  }

  @Test
  void drainsAreSummedOverApplications() {
    metrics.drainProgress(application("a", "chat"), 2, 1200, 2);
    metrics.drainProgress(application("a", "feed"), 1, 40, 3);
    metrics.drainProgress(application("a", "push"), 1, 5, 1);
    metrics.drainProgress(application("a", "push"), 0, 0, 1);

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_drains_in_progress")).isEqualTo(2);
    assertThat(value(scrape, "baton_draining_pods")).isEqualTo(3);
    assertThat(value(scrape, "baton_drain_connections_remaining")).isEqualTo(1240);
    assertThat(value(scrape, "baton_drain_max_concurrent")).isEqualTo(5);
  }

  @Test
  void anApplicationDeletedMidReleaseIsForgottenWhenTheSdkCleansUp() {
    Application chat = application("a", "chat");
    metrics.releaseObserved(chat, CanaryPhase.Draining);
    metrics.drainProgress(chat, 1, 300, 1);

    metrics.around(Metrics.NOOP).cleanupDoneFor(ResourceID.fromResource(chat), Map.of());

    String scrape = registry.scrape();
    assertThat(value(scrape, "baton_releases_in_progress{phase=\"Draining\"}")).isZero();
    assertThat(value(scrape, "baton_drains_in_progress")).isZero();
    assertThat(value(scrape, "baton_drain_connections_remaining")).isZero();
  }

  @Test
  void signalsAreCountedBySignalKindAndResult() {
    Drain http = new Drain(new Drain.Signal(null, new Drain.HttpSignal(null, "/drain", null), null), null, null, null, null);

    metrics.signalSent(http, SignalResult.sent("POST /drain answered 200"));
    metrics.signalSent(http, SignalResult.failed("connection refused"));
    metrics.signalSent(Drain.DEFAULT, SignalResult.sent("annotated"));

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_drain_signals_total{result=\"sent\",signal=\"http\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_drain_signals_total{result=\"failed\",signal=\"http\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_drain_signals_total{result=\"sent\",signal=\"annotation\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_drain_signals_total{result=\"failed\",signal=\"exec\"}")).isZero();
  }

  @Test
  void drainedPodsAreCountedByReason() {
    metrics.podDrained(DrainDecision.Reason.EMPTY);
    metrics.podDrained(DrainDecision.Reason.TIMED_OUT);
    metrics.podDrained(DrainDecision.Reason.EMPTY);

    String scrape = registry.scrape();

    assertThat(value(scrape, "baton_drained_pods_total{reason=\"Empty\"}")).isEqualTo(2);
    assertThat(value(scrape, "baton_drained_pods_total{reason=\"TimedOut\"}")).isEqualTo(1);
    assertThat(value(scrape, "baton_drained_pods_total{reason=\"WaitElapsed\"}")).isZero();
  }

  // ---- reading the text format ----

  /** The value of one series, given as it appears in the scrape (labels in the exporter's order). */
  static double value(String scrape, String series) {
    return scrape.lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + series + " in:\n" + scrape));
  }

  /** The baton_ metric families, from their # TYPE lines; Micrometer adds a _max gauge to each timer, left out. */
  static List<String> families(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("# TYPE baton_")).map(l -> l.split(" ")[2])
        .filter(name -> !name.endsWith("_seconds_max")).toList();
  }

  private static List<String> labelKeys(String scrape) {
    Matcher matcher = Pattern.compile("[{,]([a-z_]+)=\"").matcher(String.join("\n",
        scrape.lines().filter(l -> l.startsWith("baton_")).toList()));
    return matcher.results().map(m -> m.group(1)).distinct().toList();
  }

  private static long seriesCount(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("baton_")).count();
  }

  // ---- fixtures ----

  private static Application application(String namespace, String name) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return app;
  }

  private static Canary canary(List<CanaryStep> steps, CanaryStatus status) {
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder().withNamespace("a").withName("chat-1-1-0").build());
    canary.setSpec(new CanarySpec("chat", "1.0.0", "1.1.0", CanarySpec.ReleaseStrategy.Canary, steps));
    canary.setStatus(status);
    return canary;
  }

  private static CanaryStatus status(CanaryPhase phase, int step, String startedAt, String stepStartedAt, String finishedAt) {
    return new CanaryStatus(1L, phase, step, 0, stepStartedAt, startedAt, finishedAt, null, null, null, "");
  }

  private static <T> Metrics.ControllerExecution<T> execution(String name, java.util.concurrent.Callable<T> body) {
    return new Metrics.ControllerExecution<>() {
      public String name() {
        return name;
      }

      public String controllerName() {
        return "application";
      }

      public String successTypeName(T result) {
        return "success";
      }

      public ResourceID resourceID() {
        return new ResourceID("chat", "a");
      }

      public Map<String, Object> metadata() {
        return Map.of();
      }

      public T execute() throws Exception {
        return body.call();
      }
    };
  }
}
