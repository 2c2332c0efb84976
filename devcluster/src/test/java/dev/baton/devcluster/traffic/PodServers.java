package dev.baton.devcluster.traffic;

import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.Kubelet;
import dev.baton.devcluster.sim.KubeletListener;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands the app's real servers behind the simulated pods of one application: when the kubelet starts a pod that
 * matches the selector, a {@link PodServer} starts on the pod's loopback IP (websocket + admin ports from the pod's
 * named container ports); on SIGTERM (deletionTimestamp) it may drain; when the pod stops it is killed, cutting the
 * sessions it still holds, as a real pod kill does.
 *
 * <pre>{@code
 * try (PodServers servers = PodServers.start(k8s, PodServersConfig.forApp("default", Map.of("app", "chat")))) {
 *     ...
 * }
 * }</pre>
 */
public final class PodServers implements KubeletListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodServers.class);
    private static final List<String> VERSION_LABELS = List.of("baton.dev/version", "app.kubernetes.io/version",
            "version");

    private final KubernetesClient client;
    private final Kubelet kubelet;
    private final PodServersConfig config;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService pacer;
    private final Map<String, ServerBehaviour> behaviourByVersion = new ConcurrentHashMap<>();
    private final Map<String, PodServer> byPod = new ConcurrentHashMap<>();
    private final List<PodServer> all = new CopyOnWriteArrayList<>();
    private final List<String> startFailures = new CopyOnWriteArrayList<>();

    private PodServers(KubernetesClient client, Kubelet kubelet, PodServersConfig config) {
        this.client = client;
        this.kubelet = kubelet;
        this.config = config;
        this.pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pod-servers-drain");
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens to the embedded cluster's kubelet from now on. Start it before the pods are created. */
    public static PodServers start(EmbeddedKubernetes kubernetes, PodServersConfig config) {
        return start(kubernetes.client(), kubernetes.cluster().kubelet(), config);
    }

    public static PodServers start(KubernetesClient client, Kubelet kubelet, PodServersConfig config) {
        PodServers servers = new PodServers(Objects.requireNonNull(client), Objects.requireNonNull(kubelet),
                Objects.requireNonNull(config));
        kubelet.addListener(servers);
        return servers;
    }

    /** Pods of this version started from now on behave so (e.g. a release whose app ignores the drain signal). */
    public PodServers behaveForVersion(String version, ServerBehaviour behaviour) {
        behaviourByVersion.put(version, Objects.requireNonNull(behaviour));
        return this;
    }

    /** The server of this pod, running or stopped. */
    public Optional<PodServer> server(String pod) {
        return Optional.ofNullable(byPod.get(pod));
    }

    /** Every server started so far, running or stopped, in start order. */
    public List<PodServer> servers() {
        return List.copyOf(all);
    }

    public List<PodServer> running() {
        return all.stream().filter(PodServer::isRunning).toList();
    }

    public List<PodServerStats> stats() {
        return all.stream().map(PodServer::stats).toList();
    }

    /** Pods whose servers could not start (e.g. a port taken), with the reason; a test asserts this is empty. */
    public List<String> startFailures() {
        return List.copyOf(startFailures);
    }

    /**
     * The most pods that were draining at the same moment. A pod drains from its drain signal until its last session
     * has left or it was killed, whichever comes first: the window in which its clients reconnect.
     */
    public int peakConcurrentDrains() {
        Instant now = clock.instant();
        List<Instant[]> windows = new ArrayList<>();
        for (PodServerStats s : stats()) {
            s.drainSignalledAt().ifPresent(from -> windows.add(new Instant[] {from, drainEnd(s).orElse(now)}));
        }
        return PeakOverlap.of(windows);
    }

    /** From the first drain signal to the moment the last signalled pod was drained or killed; zero if none drained. */
    public Duration drainWallTime() {
        Optional<Instant> first = stats().stream().flatMap(s -> s.drainSignalledAt().stream())
                .min(Comparator.naturalOrder());
        Optional<Instant> last = stats().stream().filter(s -> s.drainSignalledAt().isPresent())
                .map(s -> drainEnd(s).orElse(clock.instant())).max(Comparator.naturalOrder());
        return first.isPresent() ? Duration.between(first.get(), last.get()) : Duration.ZERO;
    }

    private static Optional<Instant> drainEnd(PodServerStats s) {
        return s.drainedAt().isPresent() && s.stoppedAt().isPresent()
                ? Optional.of(s.drainedAt().get().isBefore(s.stoppedAt().get()) ? s.drainedAt().get() : s.stoppedAt().get())
                : s.drainedAt().or(s::stoppedAt);
    }

    /**
     * Runs on the kubelet's thread, on purpose: the pod's readiness comes later on that same thread, so the servers
     * are listening before the pod can become a ready endpoint (as a readiness probe only passes once the app
     * listens). Starting takes a few milliseconds.
     */
    @Override
    public void podStarted(String namespace, String name, String podIp) {
        if (!config.namespace().equals(namespace)) {
            return;
        }
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null || !selected(pod)) {
            return;
        }
        String version = versionOf(pod);
        int wsPort = containerPort(pod, config.wsPortName()).orElse(config.defaultWsPort());
        int adminPort = containerPort(pod, config.adminPortName()).orElse(config.defaultAdminPort());
        ServerBehaviour behaviour = behaviourByVersion.getOrDefault(version, config.behaviour());
        try {
            PodServer server = PodServer.start(name, version, podIp, wsPort, adminPort, behaviour, pacer, clock);
            byPod.put(name, server);
            all.add(server);
            LOG.debug("Started {}", server);
        } catch (RuntimeException e) {
            startFailures.add(name + ": " + e.getMessage());
            LOG.warn("Could not start the servers of pod {} on {}", name, podIp, e);
        }
    }

    @Override
    public void podTerminating(String namespace, String name, String podIp) {
        if (config.namespace().equals(namespace)) {
            server(name).ifPresent(PodServer::terminating);
        }
    }

    @Override
    public void podStopped(String namespace, String name, String podIp) {
        if (config.namespace().equals(namespace)) {
            server(name).ifPresent(PodServer::kill);
        }
    }

    private boolean selected(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && config.selector().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The version label Baton or the user sets, else the image tag of the first container. */
    static String versionOf(Pod pod) {
        Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
        for (String label : VERSION_LABELS) {
            if (labels.containsKey(label)) {
                return labels.get(label);
            }
        }
        String image = pod.getSpec().getContainers().get(0).getImage();
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "unknown";
    }

    private static Optional<Integer> containerPort(Pod pod, String name) {
        for (Container container : pod.getSpec().getContainers()) {
            for (ContainerPort port : Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of())) {
                if (name.equals(port.getName())) {
                    return Optional.of(port.getContainerPort());
                }
            }
        }
        return Optional.empty();
    }

    /** Stops listening and kills every server still running. */
    @Override
    public void close() {
        kubelet.removeListener(this);
        running().forEach(PodServer::kill);
        pacer.shutdownNow();
    }
}
