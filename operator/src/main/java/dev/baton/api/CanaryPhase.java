package dev.baton.api;

/** Where a release is. */
public enum CanaryPhase {
  /** Steps are running. */
  Progressing,
  /** Held at a step until promoted or resumed. */
  Paused,
  /** All steps done; traffic moves fully to the new version. */
  Promoting,
  /** The new version serves all traffic; the old pool's connections are being drained. */
  Draining,
  /** Released and the old pool is gone. */
  Succeeded,
  /** Stopped by a user or superseded by a newer version; traffic went back to the stable version. */
  Aborted,
  /** Stopped by a failed check or the progress deadline; traffic went back to the stable version. */
  RolledBack,
  /** Could not proceed nor roll back; needs a human. */
  Failed;

  public boolean isFinished() {
    return this == Succeeded || this == Aborted || this == RolledBack || this == Failed;
  }
}
