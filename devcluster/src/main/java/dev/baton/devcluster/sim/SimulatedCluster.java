package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The parts of Kubernetes that Baton relies on and fabric8's mock API lacks, running as controllers against any
 * Kubernetes API through a {@link KubernetesClient}: Deployments, ReplicaSets, a kubelet for one node,
 * EndpointSlices and Endpoints. Garbage collection is the embedded API's (as the API server and the garbage
 * collector together do). See docs/dev-cluster.md.
 *
 * <pre>{@code
 * try (var cluster = SimulatedCluster.start(client, SimulationSettings.forTests())) {
 *     cluster.kubelet().behaveFor(":2.0.0", PodBehaviour.NEVER_READY);
 *     ...
 * }
 * }</pre>
 * Every controller is driven by informer events (plus timers for delays), one worker thread each; {@link #close()}
 * stops informers, workers and timers.
 */
public final class SimulatedCluster implements AutoCloseable {

    private final SharedInformerFactory informers;
    private final ScheduledExecutorService timers;
    private final ApiWrites writes;
    private final Kubelet kubelet;
    private final List<WorkQueue> queues = new ArrayList<>();
    private final Lister<Pod> podCache;

    private SimulatedCluster(KubernetesClient client, SimulationSettings settings) {
        Clock clock = Clock.systemUTC();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-timers");
            t.setDaemon(true);
            return t;
        });
        this.writes = new ApiWrites(client);
        this.informers = client.informers();

        Lister<Deployment> deployments = new Lister<>(informers.sharedIndexInformerFor(Deployment.class, 0));
        Lister<ReplicaSet> replicaSets = new Lister<>(informers.sharedIndexInformerFor(ReplicaSet.class, 0));
        Lister<Pod> pods = new Lister<>(informers.sharedIndexInformerFor(Pod.class, 0));
        this.podCache = pods;
        Lister<Service> services = new Lister<>(informers.sharedIndexInformerFor(Service.class, 0));
        Lister<EndpointSlice> slices = new Lister<>(informers.sharedIndexInformerFor(EndpointSlice.class, 0));
        Lister<Endpoints> endpoints = new Lister<>(informers.sharedIndexInformerFor(Endpoints.class, 0));

        var deploymentController = new DeploymentController(deployments, replicaSets, pods, writes, clock);
        var replicaSetController = new ReplicaSetController(replicaSets, pods, writes, clock);
        var sliceController = new EndpointSliceController(services, pods, slices, writes);
        var endpointsController = new EndpointsController(services, pods, endpoints, writes);
        this.kubelet = new Kubelet(pods, writes, settings, clock,
                new PodAddresses(UUID.randomUUID().toString()), timers);

        WorkQueue deploymentQueue = queue("deployments", deploymentController::reconcile);
        WorkQueue replicaSetQueue = queue("replicasets", replicaSetController::reconcile);
        WorkQueue sliceQueue = queue("endpointslices", sliceController::reconcile);
        WorkQueue endpointsQueue = queue("endpoints", endpointsController::reconcile);
        queues.add(kubelet.queue());

        on(deployments, d -> deploymentQueue.enqueue(Lister.keyOf(d)), d -> { });
        on(replicaSets, rs -> {
            replicaSetQueue.enqueue(Lister.keyOf(rs));
            Ownership.controllerOf(rs).filter(ref -> "Deployment".equals(ref.getKind()))
                    .ifPresent(ref -> deploymentQueue.enqueue(rs.getMetadata().getNamespace(), ref.getName()));
        }, rs -> { });
        Consumer<Pod> servicesOfPod = pod -> services.list(pod.getMetadata().getNamespace()).stream()
                .filter(s -> s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()
                        && LabelSelectors.matches(s.getSpec().getSelector(), pod.getMetadata().getLabels()))
                .forEach(s -> {
                    sliceQueue.enqueue(Lister.keyOf(s));
                    endpointsQueue.enqueue(Lister.keyOf(s));
                });
        on(pods, pod -> {
            kubelet.queue().enqueue(Lister.keyOf(pod));
            replicaSetController.replicaSetsFor(pod).forEach(replicaSetQueue::enqueue);
            servicesOfPod.accept(pod);
            if (Ownership.isTerminating(pod)) {
                replicaSetController.podTerminatingOrGone(pod);
            }
        }, pod -> {
            replicaSetController.podTerminatingOrGone(pod);
            deploymentController.deploymentOf(pod).ifPresent(deploymentQueue::enqueue);
        });
        on(services, s -> {
            sliceQueue.enqueue(Lister.keyOf(s));
            endpointsQueue.enqueue(Lister.keyOf(s));
        }, s -> { });
        on(slices, slice -> {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels != null && labels.containsKey(EndpointSliceController.SERVICE_NAME)) {
                sliceQueue.enqueue(slice.getMetadata().getNamespace(), labels.get(EndpointSliceController.SERVICE_NAME));
            }
        }, slice -> { });
        on(endpoints, e -> endpointsQueue.enqueue(Lister.keyOf(e)), e -> { });

        awaitSynced();
        queues.forEach(WorkQueue::start);
    }

    /** Starts the controllers and returns once their informers have listed the cluster. */
    public static SimulatedCluster start(KubernetesClient client, SimulationSettings settings) {
        return new SimulatedCluster(Objects.requireNonNull(client), Objects.requireNonNull(settings));
    }

    /** The node's kubelet, with the knobs tests use. */
    public Kubelet kubelet() {
        return kubelet;
    }

    /** How many writes (creates, patches, deletes) the simulated controllers have sent to the API so far. */
    public long apiWrites() {
        return writes.count();
    }

    /** The pod as the controllers currently see it (tests wait on this to avoid racing the informer). */
    Optional<Pod> cachedPod(String namespace, String name) {
        return podCache.get(namespace, name);
    }

    private WorkQueue queue(String name, WorkQueue.Reconciler reconciler) {
        WorkQueue queue = new WorkQueue(name, reconciler, timers);
        queues.add(queue);
        return queue;
    }

    /**
     * Every add, update and delete is handed to {@code changed} (updates with both the old and the new object, so a
     * label change reaches what the old labels selected too); deletes also go to {@code deleted}.
     */
    private static <T extends HasMetadata> void on(Lister<T> lister, Consumer<T> changed, Consumer<T> deleted) {
        SharedIndexInformer<T> informer = lister.informer();
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
                if (!Objects.equals(oldObj.getMetadata().getLabels(), newObj.getMetadata().getLabels())) {
                    changed.accept(oldObj);
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                lister.recordDeleted(obj);
                changed.accept(obj);
                deleted.accept(obj);
            }
        });
    }

    private void awaitSynced() {
        try {
            informers.startAllRegisteredInformers().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the simulated cluster's informers", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("The simulated cluster's informers could not list the API: " + e, e);
        }
    }

    @Override
    public void close() {
        informers.stopAllRegisteredInformers();
        queues.forEach(WorkQueue::close);
        kubelet.close();
        timers.shutdownNow();
    }
}
