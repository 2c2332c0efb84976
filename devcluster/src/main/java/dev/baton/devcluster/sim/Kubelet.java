package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIPBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one simulated node's kubelet: runs every pod without running any container
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/).
 *
 * <ul>
 *   <li>Binds an unscheduled pod to the node ({@code spec.nodeName}): there is no scheduler.</li>
 *   <li>Gives it a distinct loopback {@code podIP}/{@code podIPs} ({@link PodAddresses}), {@code hostIP} 127.0.0.1,
 *   phase Running, {@code startTime}, container statuses, conditions PodScheduled and Initialized True at once, and
 *   ContainersReady and Ready True after {@code podStartDelay}.</li>
 *   <li>Pod readiness gates: Ready only when every gate's condition is True as well
 *   (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-readiness-gate); conditions written by
 *   others are kept.</li>
 *   <li>Graceful termination: once {@code deletionTimestamp} is set, Ready and ContainersReady turn False at once and
 *   after {@code min(podTerminationDelay, deletionGracePeriodSeconds)} the pod is deleted with grace period 0
 *   (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination).</li>
 *   <li>Knobs for tests: {@link #behaveFor}, {@link #setReady}, {@link #podIp}, {@link #addListener}.</li>
 * </ul>
 * Every status write goes through the pods/status subresource, conditional on the resourceVersion read, so a gate
 * condition written concurrently by someone else is never lost (the write conflicts and is redone).
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
    private static final Set<String> OWN_CONDITIONS = Set.of("PodScheduled", "Initialized", "ContainersReady", "Ready");
    private static final Duration MAX_CRASH_BACK_OFF = Duration.ofMinutes(5);
    private static final String HOST_IP = "127.0.0.1";

    private record BehaviourRule(Pattern image, PodBehaviour behaviour) {
    }

    /** What the kubelet remembers about one running pod (the containers it would be running). */
    private static final class PodRun {
        final String uid;
        final Instant started;
        final PodBehaviour behaviour;
        String ip;
        int restarts;
        Instant lastStart;
        Instant nextCrash;
        Duration backOff;
        Instant terminatingSince;
        boolean startNotified;
        boolean finalDeleteSent;

        PodRun(String uid, Instant started, PodBehaviour behaviour, Duration firstBackOff) {
            this.uid = uid;
            this.started = started;
            this.lastStart = started;
            this.behaviour = behaviour;
            this.backOff = firstBackOff;
            this.nextCrash = started.plus(firstBackOff);
        }
    }

    private final Lister<Pod> pods;
    private final ApiWrites writes;
    private final SimulationSettings settings;
    private final Clock clock;
    private final PodAddresses addresses;
    private final KubernetesSerialization serialization;
    private final WorkQueue queue;
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Boolean> readinessOverrides = new ConcurrentHashMap<>();
    private final List<BehaviourRule> rules = new CopyOnWriteArrayList<>();
    private final List<KubeletListener> listeners = new CopyOnWriteArrayList<>();

    Kubelet(Lister<Pod> pods, ApiWrites writes, SimulationSettings settings, Clock clock, PodAddresses addresses,
            ScheduledExecutorService timers) {
        this.pods = pods;
        this.writes = writes;
        this.settings = settings;
        this.clock = clock;
        this.addresses = addresses;
        this.serialization = writes.client().getKubernetesSerialization();
        this.queue = new WorkQueue("kubelet", this::reconcile, timers);
    }

    WorkQueue queue() {
        return queue;
    }

    /**
     * Pods started from now on whose container image matches {@code imageOrTagPattern} behave so. The pattern is a
     * glob ({@code *} matches anything) against the whole image reference; a pattern without {@code *} also matches
     * as a suffix, so {@code ":1.4.3"} or {@code "chat:1.4.3"} match {@code registry.example.com/chat:1.4.3}. The
     * latest matching rule wins. A pod keeps the behaviour it started with, as a container keeps its image.
     */
    public Kubelet behaveFor(String imageOrTagPattern, PodBehaviour behaviour) {
        Objects.requireNonNull(behaviour, "behaviour");
        String regex = imageOrTagPattern.contains("*")
                ? globToRegex(imageOrTagPattern)
                : ".*" + Pattern.quote(imageOrTagPattern);
        rules.add(0, new BehaviourRule(Pattern.compile(regex), behaviour));
        return this;
    }

    /** Forget every {@link #behaveFor} rule. */
    public Kubelet resetBehaviours() {
        rules.clear();
        return this;
    }

    /**
     * Force a pod's containers ready or not ready, as a readiness probe would; sticky until set again or the pod is
     * gone. A forced-ready pod with readiness gates still waits for its gates.
     */
    public void setReady(String namespace, String podName, boolean ready) {
        readinessOverrides.put(WorkQueue.key(namespace, podName), ready);
        queue.enqueue(namespace, podName);
    }

    /** The pod's IP once the kubelet has started it. */
    public Optional<String> podIp(String namespace, String podName) {
        PodRun run = runs.get(WorkQueue.key(namespace, podName));
        if (run != null && run.ip != null) {
            return Optional.of(run.ip);
        }
        return pods.get(namespace, podName).map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP());
    }

    public void addListener(KubeletListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(KubeletListener listener) {
        listeners.remove(listener);
    }

    Optional<Duration> reconcile(String namespace, String name) {
        String key = WorkQueue.key(namespace, name);
        Optional<Pod> found = pods.get(namespace, name);
        PodRun previous = runs.get(key);
        if (found.isEmpty() || (previous != null && !previous.uid.equals(found.get().getMetadata().getUid()))) {
            stopped(key, namespace, name, previous);
            if (found.isEmpty()) {
                return Optional.empty();
            }
        }
        Pod pod = found.get();
        if (!PodState.isAssigned(pod)) {
            pod = bind(pod);
        } else if (!settings.nodeName().equals(pod.getSpec().getNodeName())) {
            return Optional.empty(); // bound to a node that does not exist here
        }
        Instant now = clock.instant();
        PodRun run = runs.computeIfAbsent(key, k -> newRun(found.get(), now));
        assignAddress(pod, run);

        if (Ownership.isTerminating(pod)) {
            return terminate(pod, run, now);
        }
        advanceCrashLoop(run, now);
        boolean containersReady = containersReady(key, run, now);
        writeStatusIfChanged(pod, run, containersReady, now);
        if (!run.startNotified) {
            run.startNotified = true;
            notify(l -> l.podStarted(namespace, name, run.ip));
        }
        return nextWakeUp(key, run, containersReady, now);
    }

    private PodRun newRun(Pod pod, Instant now) {
        Instant started = pod.getStatus() == null ? null : Times.parse(pod.getStatus().getStartTime()).orElse(null);
        PodRun run = new PodRun(pod.getMetadata().getUid(), started == null ? now : started, behaviourOf(pod),
                settings.crashLoopBackOff());
        run.restarts = PodState.maxRestarts(pod);
        return run;
    }

    private Pod bind(Pod pod) {
        // A real cluster binds through the scheduler (pods/binding); with no scheduler the kubelet takes every pod.
        Pod bound = writes.patch(pod, Map.of("spec", Map.of("nodeName", settings.nodeName())));
        pods.recordWrite(bound);
        return bound;
    }

    private void assignAddress(Pod pod, PodRun run) {
        String existing = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (existing != null && !existing.isEmpty()) {
            if (!existing.equals(run.ip)) {
                addresses.adopt(existing, run.uid);
                run.ip = existing;
            }
        } else if (run.ip == null) {
            run.ip = addresses.allocate(run.uid);
        }
    }

    private Optional<Duration> terminate(Pod pod, PodRun run, Instant now) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        if (run.terminatingSince == null) {
            run.terminatingSince = now;
            notify(l -> l.podTerminating(namespace, name, run.ip));
        }
        writeStatusIfChanged(pod, run, false, now);
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        Duration exitAfter = settings.podTerminationDelay();
        if (grace != null && Duration.ofSeconds(grace).compareTo(exitAfter) < 0) {
            exitAfter = Duration.ofSeconds(grace);
        }
        Instant exitAt = run.terminatingSince.plus(exitAfter);
        if (now.isBefore(exitAt)) {
            return Optional.of(Duration.between(now, exitAt));
        }
        if (!run.finalDeleteSent) {
            // The containers have exited: the kubelet removes the pod for good (grace period 0).
            writes.deleteNow(pod);
            run.finalDeleteSent = true;
        }
        return Optional.empty();
    }

    private void stopped(String key, String namespace, String name, PodRun run) {
        runs.remove(key);
        readinessOverrides.remove(key);
        if (run != null) {
            addresses.release(run.ip, run.uid);
            notify(l -> l.podStopped(namespace, name, run.ip));
        }
    }

    /** The kubelet restarts a crashed container after a back-off that doubles up to five minutes. */
    private void advanceCrashLoop(PodRun run, Instant now) {
        if (!(run.behaviour instanceof PodBehaviour.CrashLoop)) {
            return;
        }
        while (!now.isBefore(run.nextCrash)) {
            run.restarts++;
            run.lastStart = run.nextCrash;
            Duration doubled = run.backOff.multipliedBy(2);
            run.backOff = doubled.compareTo(MAX_CRASH_BACK_OFF) > 0 ? MAX_CRASH_BACK_OFF : doubled;
            if (run.backOff.isZero()) {
                run.backOff = Duration.ofMillis(1);
            }
            run.nextCrash = run.nextCrash.plus(run.backOff);
        }
    }

    private boolean containersReady(String key, PodRun run, Instant now) {
        Boolean forced = readinessOverrides.get(key);
        if (forced != null) {
            return forced;
        }
        return readyAt(run).map(at -> !now.isBefore(at)).orElse(false);
    }

    private Optional<Instant> readyAt(PodRun run) {
        PodBehaviour behaviour = run.behaviour;
        if (behaviour instanceof PodBehaviour.SlowStart slow) {
            return Optional.of(run.started.plus(slow.delay()));
        }
        if (behaviour instanceof PodBehaviour.Normal) {
            return Optional.of(run.started.plus(settings.podStartDelay()));
        }
        return Optional.empty();
    }

    private Optional<Duration> nextWakeUp(String key, PodRun run, boolean containersReady, Instant now) {
        Optional<Duration> untilReady = containersReady || readinessOverrides.containsKey(key) ? Optional.empty()
                : readyAt(run).map(at -> Duration.between(now, at)).filter(d -> !d.isNegative());
        Optional<Duration> untilCrash = run.behaviour instanceof PodBehaviour.CrashLoop
                ? Optional.of(Duration.between(now, run.nextCrash)) : Optional.empty();
        return untilReady.isPresent() && untilCrash.isPresent()
                ? Optional.of(untilReady.get().compareTo(untilCrash.get()) < 0 ? untilReady.get() : untilCrash.get())
                : untilReady.or(() -> untilCrash);
    }

    private void writeStatusIfChanged(Pod pod, PodRun run, boolean containersReady, Instant now) {
        PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        PodStatus desired = desiredStatus(pod, current, run, containersReady, now);
        if (!serialization.convertValue(current, com.fasterxml.jackson.databind.JsonNode.class)
                .equals(serialization.convertValue(desired, com.fasterxml.jackson.databind.JsonNode.class))) {
            ApiWrites.ignoreNotFound(() -> writes.patchStatus(pod, desired)).ifPresent(pods::recordWrite);
        }
    }

    private PodStatus desiredStatus(Pod pod, PodStatus current, PodRun run, boolean containersReady, Instant now) {
        String nowText = Times.format(now);
        boolean gatesPassed = readinessGatesPassed(pod);
        boolean ready = containersReady && gatesPassed;
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(current, "Initialized", true, null, nowText));
        conditions.add(condition(current, "Ready", ready,
                !containersReady ? "ContainersNotReady" : gatesPassed ? null : "ReadinessGatesNotReady", nowText));
        conditions.add(condition(current, "ContainersReady", containersReady,
                containersReady ? null : "ContainersNotReady", nowText));
        conditions.add(condition(current, "PodScheduled", true, null, nowText));
        for (PodCondition other : Objects.requireNonNullElse(current.getConditions(), List.<PodCondition>of())) {
            if (!OWN_CONDITIONS.contains(other.getType())) {
                conditions.add(other);
            }
        }
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            containers.add(containerStatus(pod, container, run, containersReady));
        }
        return new PodStatusBuilder(current)
                .withPhase("Running")
                .withHostIP(HOST_IP)
                .withHostIPs(new HostIPBuilder().withIp(HOST_IP).build())
                .withPodIP(run.ip)
                .withPodIPs(new PodIPBuilder().withIp(run.ip).build())
                .withStartTime(current.getStartTime() != null ? current.getStartTime() : Times.format(run.started))
                .withConditions(conditions)
                .withContainerStatuses(containers)
                .build();
    }

    private ContainerStatus containerStatus(Pod pod, Container container, PodRun run, boolean ready) {
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID("sim://" + container.getImage())
                .withContainerID("sim://" + run.uid + "/" + container.getName())
                .withRestartCount(run.restarts)
                .withReady(ready);
        if (run.behaviour instanceof PodBehaviour.CrashLoop) {
            return status.withStarted(false)
                    .withNewState().withNewWaiting()
                    .withReason("CrashLoopBackOff")
                    .withMessage("back-off " + run.backOff.toSeconds() + "s restarting failed container="
                            + container.getName() + " pod=" + pod.getMetadata().getName())
                    .endWaiting().endState()
                    .withNewLastState().withNewTerminated()
                    .withExitCode(1).withReason("Error")
                    .withStartedAt(Times.format(run.lastStart)).withFinishedAt(Times.format(run.lastStart))
                    .endTerminated().endLastState()
                    .build();
        }
        return status.withStarted(true)
                .withNewState().withNewRunning().withStartedAt(Times.format(run.started)).endRunning().endState()
                .build();
    }

    private static boolean readinessGatesPassed(Pod pod) {
        List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
        if (gates == null) {
            return true;
        }
        return gates.stream().allMatch(gate -> PodState.condition(pod, gate.getConditionType())
                .map(c -> "True".equals(c.getStatus())).orElse(false));
    }

    /** A condition keeps its lastTransitionTime while its status stays the same. */
    private static PodCondition condition(PodStatus current, String type, boolean value, String reason, String now) {
        String status = value ? "True" : "False";
        String since = Objects.requireNonNullElse(current.getConditions(), List.<PodCondition>of()).stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst().orElse(now);
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withLastTransitionTime(since).build();
    }

    private PodBehaviour behaviourOf(Pod pod) {
        for (BehaviourRule rule : rules) {
            for (Container container : pod.getSpec().getContainers()) {
                if (container.getImage() != null && rule.image().matcher(container.getImage()).matches()) {
                    return rule.behaviour();
                }
            }
        }
        return PodBehaviour.NORMAL;
    }

    private void notify(java.util.function.Consumer<KubeletListener> call) {
        for (KubeletListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Kubelet listener {} failed", listener, e);
            }
        }
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return regex.toString();
    }

    @Override
    public void close() {
        queue.close();
        addresses.releaseAll();
    }
}
