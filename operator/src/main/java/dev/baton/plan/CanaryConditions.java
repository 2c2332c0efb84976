package dev.baton.plan;

import dev.baton.api.CanaryPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/** A Canary's kstatus conditions, derived from its phase: Progressing while it runs, Ready once released, Degraded when it failed. */
final class CanaryConditions {

  private CanaryConditions() {}

  static List<Condition> of(CanaryPhase phase, String message, List<Condition> previous, Instant now) {
    boolean running = !phase.isFinished();
    boolean failed = phase == CanaryPhase.Aborted || phase == CanaryPhase.RolledBack || phase == CanaryPhase.Failed;
    return new Conditions(previous, now, null)
        .set(Conditions.PROGRESSING, running, phase.name(), message)
        .set(Conditions.READY, phase == CanaryPhase.Succeeded, phase.name(), message)
        .set(Conditions.DEGRADED, failed, phase.name(), message)
        .build();
  }
}
