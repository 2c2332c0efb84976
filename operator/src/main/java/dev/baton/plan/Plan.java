package dev.baton.plan;

import dev.baton.api.ApplicationStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to do next for one Application: the actions, the status to record, and when to look again if
 * nothing else happens (a pause that ends in 90 s asks for 90 s, not a fixed tick).
 */
public record Plan(List<Action> actions, ApplicationStatus status, Optional<Duration> requeueAfter) {

  public Plan {
    actions = List.copyOf(actions);
  }
}
