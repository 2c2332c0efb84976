package dev.baton.analysis;

import dev.baton.api.AnalysisTemplate;

/** Takes one measurement for a template: runs its query and returns the value the conditions judge. */
public interface MetricProvider {

  /**
   * Runs the template's query once.
   *
   * @throws MetricQueryException when there is no value to judge; the runner records an Error measurement
   */
  MetricValue query(AnalysisTemplate template, Variables variables) throws MetricQueryException;
}
