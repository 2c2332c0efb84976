package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The traffic router: replica ratio (default) or Gateway API HTTPRoute weights. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.replicaRatio) && has(self.gatewayAPI))",
    message = "choose one traffic router: spec.strategy.trafficRouting.replicaRatio or .gatewayAPI, not both")
public record TrafficRouting(
    @JsonPropertyDescription("The stable Service selects the serving pods of every pool, so a pool's weight is its share of"
        + " serving pods. Works on any cluster. The default.")
    ReplicaRatio replicaRatio,

    @JsonPropertyDescription("Exact weights on the backendRefs of a Gateway API HTTPRoute, pointing at the Services"
        + " <app>-stable and <app>-canary that Baton manages.")
    GatewayApi gatewayAPI) {

  public static final TrafficRouting DEFAULT = new TrafficRouting(new ReplicaRatio(), null);

  public boolean usesGatewayApi() {
    return gatewayAPI != null;
  }

  /** The replica-ratio router takes no settings. */
  public record ReplicaRatio() {}

  /** The HTTPRoute whose weights Baton sets. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GatewayApi(
      @JsonPropertyDescription("Name of the HTTPRoute, in the application's namespace. Baton changes only the weights and"
          + " backendRefs it owns in it.")
      @Required
      String httpRoute,

      @JsonPropertyDescription("The Service port the backendRefs use. Default: the first port of spec.service.")
      Integer port) {}
}
