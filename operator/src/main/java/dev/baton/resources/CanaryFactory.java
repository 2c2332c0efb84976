package dev.baton.resources;

import dev.baton.api.Application;
import dev.baton.api.BlueGreenStrategy;
import dev.baton.api.Canary;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStep;
import dev.baton.api.Strategy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Canary that records one release, owned by its Application. */
public final class CanaryFactory {

  private CanaryFactory() {}

  /** A new release record; its steps are copied from the Application now, so later edits do not change it. */
  public static Canary canary(Application app, String name, String fromVersion, String toVersion, Instant now) {
    Strategy strategy = app.getSpec().strategyOrDefault();
    List<CanaryStep> steps = strategy.usesBlueGreen() ? blueGreenSteps(strategy.blueGreen())
        : strategy.canary() == null ? List.of() : strategy.canary().stepsOrEmpty();
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

  /**
   * A blue-green release as the steps it runs once the new pool is up whole: the pre-promotion analysis, then a
   * pause for a human unless autoPromote. Recorded like a canary's, so the Canary shows what will happen and the
   * same step machinery (and the same promote / abort actions) drives both.
   */
  static List<CanaryStep> blueGreenSteps(BlueGreenStrategy blueGreen) {
    List<CanaryStep> steps = new ArrayList<>();
    if (blueGreen.prePromotionAnalysis() != null) {
      steps.add(CanaryStep.analysis(blueGreen.prePromotionAnalysis()));
    }
    if (!blueGreen.autoPromoteOrDefault()) {
      steps.add(CanaryStep.pause(null));
    }
    return steps;
  }
}
