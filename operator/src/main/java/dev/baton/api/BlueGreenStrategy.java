package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.time.Duration;

/** A blue-green release: the new pool comes up fully, then all traffic switches at once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlueGreenStrategy(
    @JsonPropertyDescription("Create the Service <app>-preview that selects only the new pool, for checks before the switch.")
    @Default("false")
    Boolean previewService,

    @JsonPropertyDescription("Analysis template run against the new pool before the switch.")
    String prePromotionAnalysis,

    @JsonPropertyDescription("Switch automatically once the new pool is ready (and the analysis passed). When false, the"
        + " release waits for a promote action on the Canary.")
    @Default("true")
    Boolean autoPromote,

    @JsonPropertyDescription("How long the old pool is kept, untouched and ready, after the switch: the rollback window."
        + " Then it is drained away.")
    @Pattern(Durations.PATTERN)
    @Default("30s")
    String scaleDownDelay) {

  public boolean autoPromoteOrDefault() {
    return autoPromote == null || autoPromote;
  }

  public Duration scaleDownDelayOrDefault() {
    return Durations.parse(scaleDownDelay, Duration.ofSeconds(30));
  }
}
