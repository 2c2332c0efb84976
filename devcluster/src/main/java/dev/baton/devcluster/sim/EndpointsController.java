package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The legacy core/v1 Endpoints object of each Service with a selector, named like the Service, which
 * {@code kubectl describe service} still shows (https://kubernetes.io/docs/concepts/services-networking/service/#endpoints;
 * pkg/controller/endpoint/endpoints_controller.go). Ready endpoints go to {@code addresses}, the others to
 * {@code notReadyAddresses}; terminating pods are left out, as that controller does. Written only on change.
 */
final class EndpointsController {

    static final String MANAGED_BY = "endpoints.kubernetes.io/managed-by";
    static final String CONTROLLER_NAME = "endpoint-controller";

    private final Lister<Service> services;
    private final Lister<Pod> pods;
    private final Lister<Endpoints> endpoints;
    private final ApiWrites writes;

    EndpointsController(Lister<Service> services, Lister<Pod> pods, Lister<Endpoints> endpoints, ApiWrites writes) {
        this.services = services;
        this.pods = pods;
        this.endpoints = endpoints;
        this.writes = writes;
    }

    Optional<Duration> reconcile(String namespace, String name) {
        Optional<Service> found = services.get(namespace, name);
        Optional<Endpoints> current = endpoints.get(namespace, name);
        if (found.isEmpty() || Ownership.isTerminating(found.get())) {
            // The endpoints controller deletes the Endpoints of a deleted Service (they carry no owner reference).
            current.filter(e -> e.getMetadata().getLabels() != null
                            && CONTROLLER_NAME.equals(e.getMetadata().getLabels().get(MANAGED_BY)))
                    .ifPresent(writes::delete);
            return Optional.empty();
        }
        Service service = found.get();
        if (service.getSpec().getSelector() == null || service.getSpec().getSelector().isEmpty()) {
            return Optional.empty();
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        for (ServiceEndpoints.Group group : ServiceEndpoints.of(service, pods.list(namespace))) {
            List<EndpointAddress> ready = new ArrayList<>();
            List<EndpointAddress> notReady = new ArrayList<>();
            for (ServiceEndpoints.Endpoint e : group.endpoints()) {
                if (e.terminating() && !Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses())) {
                    continue;
                }
                EndpointAddress address = new EndpointAddressBuilder().withIp(e.ip())
                        .withNodeName(e.pod().getSpec().getNodeName())
                        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                                .withNamespace(namespace).withName(e.pod().getMetadata().getName())
                                .withUid(e.pod().getMetadata().getUid()).build())
                        .build();
                (e.ready() ? ready : notReady).add(address);
            }
            if (ready.isEmpty() && notReady.isEmpty()) {
                continue;
            }
            subsets.add(new EndpointSubsetBuilder()
                    .withAddresses(ready.isEmpty() ? null : ready)
                    .withNotReadyAddresses(notReady.isEmpty() ? null : notReady)
                    .withPorts(group.ports().stream().map(p -> new EndpointPortBuilder().withName(p.name())
                            .withPort(p.port()).withProtocol(p.protocol()).withAppProtocol(p.appProtocol()).build()).toList())
                    .build());
        }
        if (current.isEmpty()) {
            endpoints.recordWrite(writes.create(new EndpointsBuilder()
                    .withNewMetadata().withNamespace(namespace).withName(name)
                    .withLabels(Map.of(MANAGED_BY, CONTROLLER_NAME)).endMetadata()
                    .withSubsets(subsets).build()));
        } else if (!Objects.equals(Objects.requireNonNullElse(current.get().getSubsets(), List.of()), subsets)) {
            endpoints.recordWrite(writes.patch(current.get(), Map.of("subsets", subsets)));
        }
        return Optional.empty();
    }
}
