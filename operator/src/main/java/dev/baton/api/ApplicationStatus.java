package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;

/**
 * What Baton observed and did. The conditions follow the kstatus conventions (observedGeneration,
 * Ready/Progressing/Degraded with reason and message), so Argo CD, Flux and {@code kubectl wait} read
 * an application's health without knowing Baton.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplicationStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,

    @JsonPropertyDescription("Ready, Progressing and Degraded, each with a reason and a message.")
    List<Condition> conditions,

    @JsonPropertyDescription("The version the spec asks for.")
    @PrinterColumn(name = "Version")
    String version,

    @JsonPropertyDescription("The version that serves traffic when no release runs.")
    String stableVersion,

    @JsonPropertyDescription("The version being released, while a release runs.")
    String releaseVersion,

    @JsonPropertyDescription("Ready pods of the desired version / desired replicas, e.g. 6/6.")
    @PrinterColumn(name = "Ready")
    String ready,

    @JsonPropertyDescription("Percentage of traffic the desired version receives.")
    @PrinterColumn(name = "Weight")
    Integer weight,

    @JsonPropertyDescription("One word for the state: Ready, Progressing, Degraded, or the running release's phase.")
    @PrinterColumn(name = "Phase")
    String phase,

    @JsonPropertyDescription("The live pools, one per version.")
    List<PoolStatus> pools,

    @JsonPropertyDescription("The name of the running or last Canary.")
    String canary,

    @JsonPropertyDescription("Pods being drained now: out of the Services, signalled, their connections watched.")
    List<DrainingPod> draining) {

  /** This status with the given pods draining (none: the field is left out). */
  public ApplicationStatus withDraining(List<DrainingPod> pods) {
    return new ApplicationStatus(observedGeneration, conditions, version, stableVersion, releaseVersion, ready, weight,
        phase, pools, canary, pods == null || pods.isEmpty() ? null : List.copyOf(pods));
  }

  /** This status with other conditions. */
  public ApplicationStatus withConditions(List<Condition> conditions) {
    return new ApplicationStatus(observedGeneration, conditions, version, stableVersion, releaseVersion, ready, weight,
        phase, pools, canary, draining);
  }

  /** The condition of the given type, if present. */
  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** One pod being drained. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DrainingPod(
      @JsonPropertyDescription("The pod.")
      String pod,

      @JsonPropertyDescription("Its pool's version.")
      String version,

      @JsonPropertyDescription("When its drain started (RFC 3339); for an Isolated pod, when it left the Services.")
      String startedAt,

      @JsonPropertyDescription("When the drain signal reached it (RFC 3339).")
      String signalledAt,

      @JsonPropertyDescription("Connections it still holds, as last counted (absent when not counted).")
      Long connections,

      @JsonPropertyDescription("Isolated (out of the Services, waiting for a drain slot), WaitingForEndpoints,"
          + " Signalling, SignalFailing, Watching or Finished.")
      String stage) {

    /** The stage of a pod out of the Services whose drain has not started: it waits for a drain slot. */
    public static final String ISOLATED = "Isolated";
  }

  /** One pool: the Deployment of one version. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PoolStatus(
      @JsonPropertyDescription("The version this pool runs.")
      String version,

      @JsonPropertyDescription("The Deployment, <app>-<version>.")
      String deployment,

      @JsonPropertyDescription("Desired pods.")
      Integer replicas,

      @JsonPropertyDescription("Ready pods.")
      Integer readyReplicas,

      @JsonPropertyDescription("Percentage of traffic this pool receives.")
      Integer weight) {}
}
