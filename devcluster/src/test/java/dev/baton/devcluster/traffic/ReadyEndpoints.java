package dev.baton.devcluster.traffic;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ready endpoints of one Service port, as kube-proxy sees them: it watches the Service's EndpointSlices (label
 * {@code kubernetes.io/service-name}) and routes new connections only to endpoints whose {@code conditions.ready} is
 * true, a nil {@code ready} counting as true (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions).
 * Serving-but-terminating endpoints are never used here, even when nothing else is left (kube-proxy's fallback to
 * terminating endpoints is not simulated).
 */
final class ReadyEndpoints implements AutoCloseable {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    /** One routable endpoint: the pod (targetRef) and its address for the port. */
    record Backend(String pod, InetSocketAddress address) {
    }

    private final String portName;
    private final SharedIndexInformer<EndpointSlice> informer;
    private volatile List<Backend> ready = List.of();

    ReadyEndpoints(KubernetesClient client, String namespace, String service, String portName) {
        this.portName = portName;
        this.informer = client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel(SERVICE_NAME_LABEL, service)
                .runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                refresh();
            }

            @Override
            public void onUpdate(EndpointSlice oldSlice, EndpointSlice newSlice) {
                refresh();
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean deletedFinalStateUnknown) {
                refresh();
            }
        });
        try {
            // Ready once the first list is in the cache, as kube-proxy syncs before it programs rules.
            informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            informer.close();
            throw new IllegalStateException("Interrupted while listing the EndpointSlices of " + service, e);
        } catch (ExecutionException | TimeoutException e) {
            informer.close();
            throw new IllegalStateException("Could not list the EndpointSlices of Service " + namespace + "/"
                    + service + ": " + e, e);
        }
        refresh();
    }

    /** A snapshot, sorted by pod name. */
    List<Backend> ready() {
        return ready;
    }

    /** Rebuilt from every slice of the Service: a Service may have several. */
    private synchronized void refresh() {
        List<Backend> backends = new ArrayList<>();
        for (EndpointSlice slice : informer.getStore().list()) {
            Integer port = portOf(slice);
            if (port == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean isReady = endpoint.getConditions() == null
                        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (isReady && endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()) {
                    String pod = endpoint.getTargetRef() != null ? endpoint.getTargetRef().getName()
                            : endpoint.getAddresses().get(0);
                    backends.add(new Backend(pod, new InetSocketAddress(endpoint.getAddresses().get(0), port)));
                }
            }
        }
        backends.sort(Comparator.comparing(Backend::pod));
        ready = List.copyOf(backends);
    }

    /** The slice's port named like the Service port (or its only port when the Service port has no name). */
    private Integer portOf(EndpointSlice slice) {
        List<EndpointPort> ports = Objects.requireNonNullElse(slice.getPorts(), List.of());
        for (EndpointPort port : ports) {
            if (Objects.equals(portName, port.getName()) || (portName == null && ports.size() == 1)) {
                return port.getPort();
            }
        }
        return null;
    }

    @Override
    public void close() {
        informer.close();
    }
}
