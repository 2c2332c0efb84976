package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps one EndpointSlice per Service port group in step with the pods behind every Service that has a selector
 * (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/; {@code syncService} in
 * pkg/controller/endpointslice/endpointslice_controller.go and the reconciler in staging/src/k8s.io/endpointslice).
 *
 * <p>Slices are named {@code <service>-<5 random characters>}, labelled {@code kubernetes.io/service-name} and
 * {@code endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}, owned by the Service, address type
 * IPv4. A Service whose pods are all gone keeps one empty slice, as Kubernetes keeps a placeholder. A slice is
 * written only when its endpoints or ports change. Not simulated: the 100-endpoint slice limit, topology hints,
 * dual-stack.
 */
final class EndpointSliceController {

    static final String SERVICE_NAME = "kubernetes.io/service-name";
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";

    private final Lister<Service> services;
    private final Lister<io.fabric8.kubernetes.api.model.Pod> pods;
    private final Lister<EndpointSlice> slices;
    private final ApiWrites writes;

    EndpointSliceController(Lister<Service> services, Lister<io.fabric8.kubernetes.api.model.Pod> pods,
                            Lister<EndpointSlice> slices, ApiWrites writes) {
        this.services = services;
        this.pods = pods;
        this.slices = slices;
        this.writes = writes;
    }

    Optional<Duration> reconcile(String namespace, String name) {
        Optional<Service> found = services.get(namespace, name);
        if (found.isEmpty() || Ownership.isTerminating(found.get()) || found.get().getSpec().getSelector() == null
                || found.get().getSpec().getSelector().isEmpty()) {
            return Optional.empty(); // a Service without selector has user-managed endpoints; deleted ones are GC'd
        }
        Service service = found.get();
        List<ServiceEndpoints.Group> groups = new ArrayList<>(ServiceEndpoints.of(service, pods.list(namespace)));
        if (groups.isEmpty()) {
            groups.add(new ServiceEndpoints.Group(List.of(), List.of()));
        }
        List<EndpointSlice> existing = new ArrayList<>(slices.list(namespace).stream()
                .filter(s -> s.getMetadata().getLabels() != null
                        && name.equals(s.getMetadata().getLabels().get(SERVICE_NAME))
                        && CONTROLLER_NAME.equals(s.getMetadata().getLabels().get(MANAGED_BY))
                        && !Ownership.isTerminating(s))
                .toList());
        List<ServiceEndpoints.Group> unplaced = new ArrayList<>();
        for (ServiceEndpoints.Group group : groups) {
            List<EndpointPort> ports = ports(group);
            Optional<EndpointSlice> samePorts = existing.stream()
                    .filter(s -> Objects.equals(normalize(s.getPorts()), ports)).findFirst();
            if (samePorts.isPresent()) {
                existing.remove(samePorts.get());
                update(samePorts.get(), endpoints(group));
            } else {
                unplaced.add(group);
            }
        }
        for (ServiceEndpoints.Group group : unplaced) {
            if (!existing.isEmpty()) {
                EndpointSlice reused = existing.remove(0);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("ports", ports(group));
                body.put("endpoints", endpoints(group));
                slices.recordWrite(writes.patch(reused, body));
            } else {
                create(service, group);
            }
        }
        existing.forEach(writes::delete);
        return Optional.empty();
    }

    private void update(EndpointSlice slice, List<Endpoint> endpoints) {
        if (!Objects.equals(normalizeEndpoints(slice.getEndpoints()), endpoints)) {
            slices.recordWrite(writes.patch(slice, Map.of("endpoints", endpoints)));
        }
    }

    private void create(Service service, ServiceEndpoints.Group group) {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(service.getMetadata().getNamespace())
                .withName(service.getMetadata().getName() + "-" + RandomSuffix.next())
                .addToLabels(SERVICE_NAME, service.getMetadata().getName())
                .addToLabels(MANAGED_BY, CONTROLLER_NAME)
                .withOwnerReferences(Ownership.controllerRef(service))
                .endMetadata()
                .withAddressType("IPv4")
                .withPorts(ports(group))
                .withEndpoints(endpoints(group))
                .build();
        slices.recordWrite(writes.create(slice));
    }

    private static List<EndpointPort> ports(ServiceEndpoints.Group group) {
        return group.ports().stream()
                .map(p -> new EndpointPortBuilder().withName(p.name()).withProtocol(p.protocol()).withPort(p.port())
                        .withAppProtocol(p.appProtocol()).build())
                .toList();
    }

    private static List<Endpoint> endpoints(ServiceEndpoints.Group group) {
        return group.endpoints().stream()
                .map(e -> new EndpointBuilder()
                        .withAddresses(e.ip())
                        .withNewConditions().withReady(e.ready()).withServing(e.serving())
                        .withTerminating(e.terminating()).endConditions()
                        .withNodeName(e.pod().getSpec().getNodeName())
                        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                                .withNamespace(e.pod().getMetadata().getNamespace())
                                .withName(e.pod().getMetadata().getName())
                                .withUid(e.pod().getMetadata().getUid()).build())
                        .build())
                .toList();
    }

    private static List<EndpointPort> normalize(List<EndpointPort> ports) {
        return ports == null ? List.of() : ports;
    }

    private static List<Endpoint> normalizeEndpoints(List<Endpoint> endpoints) {
        return endpoints == null ? List.of() : endpoints;
    }
}
