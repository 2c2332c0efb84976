package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The release a Canary records: from which version to which, and the steps copied from the Application. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.application == oldSelf.application && self.toVersion == oldSelf.toVersion"
    + " && (!has(oldSelf.fromVersion) || (has(self.fromVersion) && self.fromVersion == oldSelf.fromVersion))",
    message = "a Canary records one release: application, fromVersion and toVersion cannot change")
public record CanarySpec(
    @JsonPropertyDescription("The Application released.")
    @Required
    String application,

    @JsonPropertyDescription("The stable version when the release started; empty for a first release.")
    @PrinterColumn(name = "From")
    String fromVersion,

    @JsonPropertyDescription("The version released.")
    @Required
    @PrinterColumn(name = "To")
    String toVersion,

    @JsonPropertyDescription("Canary or BlueGreen, copied from the Application when the release started.")
    @Required
    ReleaseStrategy strategy,

    @JsonPropertyDescription("The steps, copied from the Application when the release started. A blue-green release"
        + " records its checks as steps: an analysis step for prePromotionAnalysis, then a pause until promoted unless"
        + " autoPromote; they run once the new pool is up whole, and the switch follows them.")
    List<CanaryStep> steps) {

  /** The two release strategies. */
  public enum ReleaseStrategy {
    Canary,
    BlueGreen
  }
}
