package dev.baton.resources;

import dev.baton.api.Application;
import dev.baton.api.BlueGreenStrategy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The Services of an application, as Baton wants them. */
public final class ServiceFactory {

  private ServiceFactory() {}

  /** The stable Service {@code <app>} of a canary release: it selects every serving pod of the application. */
  public static Service stable(Application app) {
    return stable(app, Optional.empty());
  }

  /**
   * The stable Service {@code <app>}: what clients use. It selects every serving pod of the application, so a
   * canary's weight is its share of pods; with blue-green only those of the active version, so the switch is one
   * selector change.
   */
  public static Service stable(Application app, Optional<String> activeVersion) {
    String name = app.getMetadata().getName();
    Map<String, String> selector = activeVersion.map(v -> Labels.servingSelector(name, v))
        .orElseGet(() -> Labels.servingSelector(name));
    return service(app, name, app.getSpec().serviceOrDefault().typeOrDefault().name(), selector);
  }

  /**
   * A ClusterIP Service that selects the serving pods of one version: the Gateway API router's {@code <app>-stable}
   * and {@code <app>-canary}, and the blue-green preview. Its ports are those of {@code <app>}, so a port number
   * means the same on all of them.
   */
  public static Service forVersion(Application app, String name, String version) {
    return service(app, name, "ClusterIP", Labels.servingSelector(app.getMetadata().getName(), version));
  }

  /** The blue-green preview Service {@code <app>-preview}, selecting the new version's serving pods. */
  public static Service preview(Application app, String version) {
    return forVersion(app, Names.previewService(app.getMetadata().getName()), version);
  }

  /** Whether the Application asks for a preview Service (blue-green with previewService: true). */
  public static boolean wantsPreview(Application app) {
    BlueGreenStrategy blueGreen = app.getSpec().strategyOrDefault().blueGreen();
    return blueGreen != null && Boolean.TRUE.equals(blueGreen.previewService());
  }

  /** The names of every Service the Application's spec asks for. */
  public static List<String> names(Application app) {
    String name = app.getMetadata().getName();
    List<String> names = new ArrayList<>(List.of(name));
    if (app.getSpec().strategyOrDefault().trafficRoutingOrDefault().usesGatewayApi()) {
      names.add(Names.stableService(name));
      names.add(Names.canaryService(name));
    }
    if (wantsPreview(app)) {
      names.add(Names.previewService(name));
    }
    return names;
  }

  private static Service service(Application app, String name, String type, Map<String, String> selector) {
    return new ServiceBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(app.getMetadata().getNamespace())
          .withLabels(new LinkedHashMap<>(Labels.forApplication(app.getMetadata().getName())))
          .withOwnerReferences(PoolFactory.ownerReference(app))
        .endMetadata()
        .withNewSpec()
          .withType(type)
          .withSelector(new LinkedHashMap<>(selector))
          .withPorts(ports(app))
        .endSpec()
        .build();
  }

  /**
   * The ports from spec.service, normalised as the API server defaults them (protocol TCP, targetPort =
   * port), so a comparison with the stored Service sees only real differences. Without spec.service.ports,
   * every named port of the first container is exposed on its own number.
   */
  public static List<ServicePort> ports(Application app) {
    List<ServicePort> declared = app.getSpec().serviceOrDefault().portsOrEmpty();
    if (!declared.isEmpty()) {
      return declared.stream().map(ServiceFactory::normalise).toList();
    }
    List<Container> containers = app.getSpec().template().getSpec().getContainers();
    List<ContainerPort> containerPorts = containers.isEmpty() || containers.get(0).getPorts() == null
        ? List.of()
        : containers.get(0).getPorts();
    return containerPorts.stream()
        .filter(p -> p.getName() != null)
        .map(p -> new ServicePortBuilder()
            .withName(p.getName())
            .withPort(p.getContainerPort())
            .withTargetPort(new IntOrString(p.getName()))
            .withProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol())
            .build())
        .toList();
  }

  /**
   * Whether the stored Service differs from the desired one in what Baton owns: type, selector and ports.
   * Fields the API server fills in (clusterIP, allocated nodePorts, sessionAffinity) are not compared.
   */
  public static boolean differs(Service actual, Service desired) {
    return !Objects.equals(actual.getSpec().getType(), desired.getSpec().getType())
        || !Objects.equals(actual.getSpec().getSelector(), desired.getSpec().getSelector())
        || !comparablePorts(actual.getSpec().getPorts(), desired.getSpec().getPorts())
            .equals(comparablePorts(desired.getSpec().getPorts(), desired.getSpec().getPorts()));
  }

  /**
   * The desired Service with the nodePorts the API server allocated to the stored one, so an update does not
   * move a NodePort or LoadBalancer Service's ports (a port with the same name keeps its nodePort).
   */
  public static Service keepAllocatedNodePorts(Service desired, Service actual) {
    Map<String, Integer> allocated = new java.util.HashMap<>();
    for (ServicePort port : actual.getSpec().getPorts() == null ? List.<ServicePort>of() : actual.getSpec().getPorts()) {
      if (port.getNodePort() != null) {
        allocated.put(String.valueOf(port.getName()), port.getNodePort());
      }
    }
    List<ServicePort> ports = desired.getSpec().getPorts().stream()
        .map(p -> p.getNodePort() != null || !allocated.containsKey(String.valueOf(p.getName()))
            ? p
            : new ServicePortBuilder(p).withNodePort(allocated.get(String.valueOf(p.getName()))).build())
        .toList();
    return new ServiceBuilder(desired).editSpec().withPorts(ports).endSpec().build();
  }

  /** Ports as comparable values; a nodePort counts only where the desired port names one. */
  private static List<List<Object>> comparablePorts(List<ServicePort> ports, List<ServicePort> desired) {
    Set<String> pinnedNodePorts = desired == null ? Set.of() : desired.stream()
        .filter(p -> p.getNodePort() != null).map(p -> String.valueOf(p.getName())).collect(Collectors.toSet());
    return (ports == null ? List.<ServicePort>of() : ports).stream()
        .map(ServiceFactory::normalise)
        .map(p -> java.util.Arrays.<Object>asList(p.getName(), p.getPort(), p.getTargetPort(), p.getProtocol(),
            pinnedNodePorts.contains(String.valueOf(p.getName())) ? p.getNodePort() : null))
        .toList();
  }

  private static ServicePort normalise(ServicePort port) {
    return new ServicePortBuilder(port)
        .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol())
        .withTargetPort(port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort())
        .build();
  }
}
