package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;

/**
 * The desired state of an {@link Application}.
 *
 * <p>The image rule is checked on the first container only, where the version comes from: a rule that
 * iterates over every container of an unbounded list would exceed the API server's CEL cost budget.
 * Baton checks the other containers itself and reports them as {@code InvalidSpec}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.template.spec) && has(self.template.spec.containers) && size(self.template.spec.containers) > 0",
    message = "spec.template.spec.containers must name at least one container",
    fieldPath = ".template")
@ValidationRule(
    value = "!has(self.template.spec) || !has(self.template.spec.containers) || size(self.template.spec.containers) == 0"
        + " || (has(self.template.spec.containers[0].image) && (self.template.spec.containers[0].image.contains('@sha256:')"
        + " || (self.template.spec.containers[0].image.matches(':[A-Za-z0-9_][A-Za-z0-9_.-]*$')"
        + " && !self.template.spec.containers[0].image.endsWith(':latest'))))",
    message = "spec.template.spec.containers[0].image must name an explicit tag other than 'latest'"
        + " (registry.example.com/app:1.4.2) or a digest (registry.example.com/app@sha256:...): Baton releases explicit versions only",
    fieldPath = ".template")
@ValidationRule(
    value = "!has(self.analysis) || !has(self.strategy) || !has(self.strategy.canary) || !has(self.strategy.canary.steps)"
        + " || self.strategy.canary.steps.all(s, !has(s.analysis) || self.analysis.templates.exists(t, t.name == s.analysis.templateName))",
    message = "every analysis step must name a template declared in spec.analysis.templates",
    fieldPath = ".strategy.canary.steps")
public record ApplicationSpec(
    @JsonPropertyDescription("The release name used in object names (<app>-<version>) and labels. Default: the tag of the"
        + " first container's image; for an image pinned by digest only, the first 12 hex digits of the digest.")
    @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
    @Size(max = 63)
    String version,

    @JsonPropertyDescription("Number of pods of the live version. Scaling it scales the live pool.")
    @Min(0)
    @Default("1")
    Integer replicas,

    @JsonPropertyDescription("The pod template of every pool, as in a Deployment. Baton adds its labels (application, version,"
        + " serving) and keeps everything else as written.")
    @Required
    PodTemplateSpec template,

    @JsonPropertyDescription("The Services Baton manages for this application: the stable Service <app> and, depending on the"
        + " traffic router, <app>-stable, <app>-canary and <app>-preview.")
    ApplicationService service,

    @JsonPropertyDescription("How a new version is released. Default: a canary without steps (the new pool comes up fully,"
        + " takes all traffic once ready, then the old pool is drained).")
    Strategy strategy,

    @JsonPropertyDescription("How the pods of an old pool let go of their connections before they are removed.")
    Drain drain,

    @JsonPropertyDescription("Checks that analysis steps run by name.")
    Analysis analysis,

    @JsonPropertyDescription("How many finished Canaries (release history) Baton keeps per application.")
    @Min(0)
    @Max(100)
    @Default("10")
    Integer releaseHistoryLimit) {

  /** The replica count, with the schema's default when the object was not defaulted by an API server. */
  public int replicasOrDefault() {
    return replicas == null ? 1 : replicas;
  }

  public ApplicationService serviceOrDefault() {
    return service == null ? ApplicationService.DEFAULT : service;
  }

  public Strategy strategyOrDefault() {
    return strategy == null ? Strategy.DEFAULT : strategy;
  }

  public Drain drainOrDefault() {
    return drain == null ? Drain.DEFAULT : drain;
  }

  public int releaseHistoryLimitOrDefault() {
    return releaseHistoryLimit == null ? 10 : releaseHistoryLimit;
  }

  public List<AnalysisTemplate> analysisTemplates() {
    return analysis == null || analysis.templates() == null ? List.of() : analysis.templates();
  }

  /** The analysis template an analysis step names, if declared. */
  public java.util.Optional<AnalysisTemplate> analysisTemplate(String name) {
    return analysisTemplates().stream().filter(t -> name.equals(t.name())).findFirst();
  }
}
