package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;

/** How a new version of an application is released. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.canary) && has(self.blueGreen))",
    message = "choose one strategy: spec.strategy.canary or spec.strategy.blueGreen, not both")
@ValidationRule(
    value = "!(has(self.blueGreen) && has(self.trafficRouting) && has(self.trafficRouting.gatewayAPI))",
    message = "blueGreen switches traffic with the Service selector and does not use trafficRouting.gatewayAPI;"
        + " use a canary with a single setWeight: 100 step to switch an HTTPRoute at once")
public record Strategy(
    @JsonPropertyDescription("Shift traffic to the new version step by step. The default strategy.")
    CanaryStrategy canary,

    @JsonPropertyDescription("Bring the new version up fully, switch all traffic at once, keep the old pool for a rollback window.")
    BlueGreenStrategy blueGreen,

    @JsonPropertyDescription("How traffic weights are applied. Default: replicaRatio.")
    TrafficRouting trafficRouting,

    @JsonPropertyDescription("How long the new pool may take to become ready for a step before the release is rolled back.")
    @Pattern(Durations.PATTERN)
    @Default("10m")
    String progressDeadline) {

  public static final Strategy DEFAULT = new Strategy(null, null, null, null);

  public Duration progressDeadlineOrDefault() {
    return Durations.parse(progressDeadline, Duration.ofMinutes(10));
  }

  public boolean usesBlueGreen() {
    return blueGreen != null;
  }

  public TrafficRouting trafficRoutingOrDefault() {
    return trafficRouting == null ? TrafficRouting.DEFAULT : trafficRouting;
  }
}
