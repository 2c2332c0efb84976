package dev.baton.analysis;

import dev.baton.analysis.Measurement.Outcome;
import dev.baton.analysis.MeasurementJudge.Verdict;
import dev.baton.api.AnalysisTemplate;
import java.net.http.HttpClient;
import java.time.Clock;

/**
 * Takes one measurement for a template: runs its provider's query, judges the value with its conditions.
 * This is the I/O half of analysis (the planner decides when, with {@link AnalysisAssessment}); it never
 * throws, so a broken query or condition becomes an Error measurement the user can read in the status.
 */
public final class AnalysisRunner {

  private final MetricProvider prometheus;
  private final MetricProvider web;
  private final MeasurementJudge judge = new MeasurementJudge();
  private final Clock clock;

  public AnalysisRunner(HttpClient http, Clock clock) {
    this.prometheus = new PrometheusProvider(http);
    this.web = new WebProvider(http);
    this.clock = clock;
  }

  /** A runner with its own HTTP client (10 s timeouts) and the system clock. */
  public static AnalysisRunner create() {
    return new AnalysisRunner(HttpGet.newClient(), Clock.systemUTC());
  }

  /** Measures once. Blocks for at most about 10 s (the HTTP timeout). */
  public Measurement measure(AnalysisTemplate template, Variables variables) {
    MetricValue value;
    try {
      value = providerFor(template).query(template, variables);
    } catch (MetricQueryException e) {
      return new Measurement(Outcome.ERROR, null, e.getMessage(), clock.instant());
    } catch (RuntimeException e) {
      // A bug or an unexpected answer must not stop the reconcile: it is recorded like any error.
      return new Measurement(Outcome.ERROR, null, "measuring " + template.name() + " failed: " + e, clock.instant());
    }
    Verdict verdict = judge.judge(template.successCondition(), template.failureCondition(), value.result());
    return new Measurement(verdict.outcome(), value.text(), verdict.message(), clock.instant());
  }

  private MetricProvider providerFor(AnalysisTemplate template) throws MetricQueryException {
    if (template.prometheus() != null) {
      return prometheus;
    }
    if (template.web() != null) {
      return web;
    }
    throw new MetricQueryException("analysis template " + template.name() + " sets no provider: set prometheus or web");
  }
}
