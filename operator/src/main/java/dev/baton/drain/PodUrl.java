package dev.baton.drain;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The URL of an endpoint on a pod: {@code http://<podIP>:<port><path>}. Baton calls the pod directly, not
 * through a Service, because the pod has already been taken out of the Services' endpoints when it drains.
 */
final class PodUrl {

  private PodUrl() {}

  /**
   * Resolves {@code port} (a number, or the name of a container port as a Service's {@code targetPort}
   * may name it) against {@code pod}'s containers and builds the URL.
   *
   * @throws Unresolvable with a sentence for the status when the pod has no IP or no such port
   */
  static URI of(Pod pod, IntOrString port, String path) throws Unresolvable {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      throw new Unresolvable("pod " + name(pod) + " has no IP address (status.podIP is empty), so it cannot be called");
    }
    int number = portNumber(pod, port);
    // IPv6 pod IPs need brackets in a URL (RFC 3986, section 3.2.2).
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return URI.create("http://" + host + ":" + number + (path == null || path.isEmpty() ? "/" : path));
  }

  private static int portNumber(Pod pod, IntOrString port) throws Unresolvable {
    if (port == null) {
      throw new Unresolvable("no port given: set a container port number or name");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    // A numeric string ("8080") is a number, as it is for a Service's targetPort.
    if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
      return Integer.parseInt(name);
    }
    List<ContainerPort> ports = containers(pod).stream()
        .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
        .collect(Collectors.toList());
    return ports.stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .filter(Objects::nonNull)
        .findFirst()
        .orElseThrow(() -> new Unresolvable("pod " + name(pod) + " has no container port named '" + name + "'"
            + (ports.isEmpty() ? "; it declares no named ports" : "; its ports are " + ports.stream()
                .map(p -> (p.getName() == null ? "" : p.getName() + "=") + p.getContainerPort())
                .collect(Collectors.joining(", ")))
            + ". Name one of them, or give the port number."));
  }

  private static List<Container> containers(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
  }

  static String name(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** The pod cannot be called: no IP yet, or no such port. */
  static final class Unresolvable extends Exception {
    Unresolvable(String message) {
      super(message);
    }
  }
}
