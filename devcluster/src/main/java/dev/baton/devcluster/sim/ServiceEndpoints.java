package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which pods back a Service and on which ports, as the EndpointSlice controller sees it
 * (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions; {@code podToEndpoint} and
 * {@code ShouldPodBeInEndpoints} in staging/src/k8s.io/endpointslice/utils.go, {@code FindPort} in
 * pkg/api/v1/pod/util.go).
 *
 * <p>A pod is an endpoint when it matches the selector, has a podIP and has not finished. Its conditions:
 * serving = pod Ready; terminating = deletionTimestamp set; ready = serving and not terminating (or always, with
 * {@code publishNotReadyAddresses}). Ports are resolved per pod (a named targetPort looks the name up in the pod's
 * containers), so pods that resolve differently land in different groups, one slice per group.
 */
final class ServiceEndpoints {

    record Port(String name, String protocol, int port, String appProtocol) {
    }

    record Endpoint(Pod pod, String ip, boolean ready, boolean serving, boolean terminating) {
    }

    /** Endpoints sharing one resolved port list. */
    record Group(List<Port> ports, List<Endpoint> endpoints) {
    }

    private ServiceEndpoints() {
    }

    static List<Group> of(Service service, List<Pod> podsInNamespace) {
        Map<String, String> selector = service.getSpec().getSelector();
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<List<Port>, List<Endpoint>> byPorts = new LinkedHashMap<>();
        podsInNamespace.stream()
                .filter(p -> LabelSelectors.matches(selector, p.getMetadata().getLabels()))
                .filter(ServiceEndpoints::hasAddress)
                .filter(p -> !"Succeeded".equals(PodState.phase(p)) && !"Failed".equals(PodState.phase(p)))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .forEach(pod -> {
                    boolean serving = PodState.isReady(pod);
                    boolean terminating = Ownership.isTerminating(pod);
                    boolean ready = publishNotReady || (serving && !terminating);
                    byPorts.computeIfAbsent(portsFor(service, pod), k -> new ArrayList<>())
                            .add(new Endpoint(pod, pod.getStatus().getPodIP(), ready, serving, terminating));
                });
        List<Group> groups = new ArrayList<>();
        byPorts.forEach((ports, endpoints) -> groups.add(new Group(ports, endpoints)));
        return groups;
    }

    private static boolean hasAddress(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty();
    }

    private static List<Port> portsFor(Service service, Pod pod) {
        List<Port> ports = new ArrayList<>();
        for (ServicePort servicePort : Objects.requireNonNullElse(service.getSpec().getPorts(), List.<ServicePort>of())) {
            String protocol = Objects.requireNonNullElse(servicePort.getProtocol(), "TCP");
            resolve(servicePort, protocol, pod).ifPresent(number ->
                    ports.add(new Port(servicePort.getName(), protocol, number, servicePort.getAppProtocol())));
        }
        return List.copyOf(ports);
    }

    /** FindPort: a number is used as is; a name is looked up among the pod's container ports with that protocol. */
    private static Optional<Integer> resolve(ServicePort servicePort, String protocol, Pod pod) {
        IntOrString target = servicePort.getTargetPort();
        if (target == null) {
            return Optional.ofNullable(servicePort.getPort());
        }
        if (target.getIntVal() != null) {
            return Optional.of(target.getIntVal());
        }
        String name = target.getStrVal();
        for (Container container : pod.getSpec().getContainers()) {
            for (ContainerPort port : Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of())) {
                if (name.equals(port.getName()) && protocol.equals(Objects.requireNonNullElse(port.getProtocol(), "TCP"))) {
                    return Optional.of(port.getContainerPort());
                }
            }
        }
        return Optional.empty();
    }
}
