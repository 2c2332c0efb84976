package dev.baton.resources;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStep;
import dev.baton.api.CanaryStrategy;
import dev.baton.api.Strategy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Canary that records one release, owned by its Application. */
public final class CanaryFactory {

  private CanaryFactory() {}

  /** A new release record; its steps are copied from the Application now, so later edits do not change it. */
  public static Canary canary(Application app, String name, String fromVersion, String toVersion, Instant now) {
    Strategy strategy = app.getSpec().strategyOrDefault();
    CanaryStrategy canary = strategy.canary();
    List<CanaryStep> steps = canary == null ? List.of() : canary.stepsOrEmpty();
    Map<String, String> labels = new LinkedHashMap<>(Labels.forApplication(app.getMetadata().getName()));
    labels.put(Labels.VERSION, toVersion);
    Canary record = new Canary();
    record.setMetadata(new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(PoolFactory.ownerReference(app))
        .withCreationTimestamp(now.toString())
        .build());
    record.setSpec(new CanarySpec(app.getMetadata().getName(), fromVersion, toVersion,
        strategy.usesBlueGreen() ? CanarySpec.ReleaseStrategy.BlueGreen : CanarySpec.ReleaseStrategy.Canary,
        List.copyOf(steps)));
    return record;
  }
}
