package dev.baton.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a status' conditions as Kubernetes API conventions ask: {@code lastTransitionTime} changes only
 * when a condition's status flips, so an unchanged condition is byte-for-byte the same and a settled
 * object needs no status write.
 */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  private final List<Condition> previous;
  private final Instant now;
  private final Long generation;
  private final List<Condition> result = new ArrayList<>();

  /** @param generation the observedGeneration the conditions report, or null for none */
  public Conditions(List<Condition> previous, Instant now, Long generation) {
    this.previous = previous == null ? List.of() : previous;
    this.now = now;
    this.generation = generation;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    String statusText = status ? "True" : "False";
    Optional<Condition> before = previous.stream().filter(c -> type.equals(c.getType())).findFirst();
    String transition = before.filter(c -> statusText.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElse(now.toString());
    result.add(new ConditionBuilder()
        .withType(type)
        .withStatus(statusText)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build());
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(result);
  }
}
