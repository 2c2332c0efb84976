package dev.baton.analysis;

/**
 * The state of one analysis step, as Argo Rollouts names it ({@code AnalysisPhase}). What the release
 * does with it (Argo's {@code rollout/analysis.go}): Failed and Error roll back, Inconclusive pauses for
 * a human, Successful moves on.
 */
public enum AnalysisPhase {
  RUNNING("Running"),
  SUCCESSFUL("Successful"),
  FAILED("Failed"),
  INCONCLUSIVE("Inconclusive"),
  ERROR("Error");

  private final String text;

  AnalysisPhase(String text) {
    this.text = text;
  }

  /** The name in {@code CanaryStatus.AnalysisResult.phase}. */
  public String text() {
    return text;
  }

  /** Whether no more measurements are taken. */
  public boolean completed() {
    return this != RUNNING;
  }

  /** The phase named in a status, or {@link #RUNNING} for {@code null} or a name from an older version. */
  public static AnalysisPhase fromText(String text) {
    for (AnalysisPhase phase : values()) {
      if (phase.text.equals(text)) {
        return phase;
      }
    }
    return RUNNING;
  }
}
