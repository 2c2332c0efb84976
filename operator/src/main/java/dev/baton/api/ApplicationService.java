package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;

/** The ports and type of the Services Baton manages for an application. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.ports) || self.ports.all(p, has(p.port))",
    message = "every entry of spec.service.ports needs a port",
    fieldPath = ".ports")
@ValidationRule(
    value = "!has(self.ports) || size(self.ports) <= 1 || self.ports.all(p, has(p.name) && p.name != '')",
    message = "when spec.service has more than one port, every port needs a name (Kubernetes requires it)",
    fieldPath = ".ports")
public record ApplicationService(
    @JsonPropertyDescription("The Service type: ClusterIP (default), NodePort or LoadBalancer.")
    @Default("ClusterIP")
    ServiceType type,

    @JsonPropertyDescription("The Service ports, as in a Service. targetPort may name a container port. When empty, Baton"
        + " exposes every named container port of the first container on the same number.")
    @Size(max = 32)
    List<ServicePort> ports) {

  public static final ApplicationService DEFAULT = new ApplicationService(ServiceType.ClusterIP, List.of());

  public ServiceType typeOrDefault() {
    return type == null ? ServiceType.ClusterIP : type;
  }

  public List<ServicePort> portsOrEmpty() {
    return ports == null ? List.of() : ports;
  }

  /** The Service types Baton creates (ExternalName routes to no pods and makes no sense here). */
  public enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
  }
}
