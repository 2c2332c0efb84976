package dev.baton.devcluster.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Timings of the simulated cluster.
 *
 * @param podStartDelay       time from a pod's first sight by the kubelet to its containers being ready (image pull,
 *                            start, first successful readiness probe folded into one delay)
 * @param podTerminationDelay time a terminating pod takes to exit after SIGTERM; capped by the pod's
 *                            {@code deletionGracePeriodSeconds}, as the kubelet kills a container when its grace
 *                            period runs out (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination)
 * @param crashLoopBackOff    first back-off of a crash-looping container; doubles per restart up to five minutes,
 *                            the kubelet's CrashLoopBackOff schedule
 * @param nodeName            the one simulated node every pod runs on
 */
public record SimulationSettings(Duration podStartDelay, Duration podTerminationDelay, Duration crashLoopBackOff,
                                 String nodeName) {

    public static final String DEFAULT_NODE_NAME = "baton-dev-node";

    public SimulationSettings {
        Objects.requireNonNull(podStartDelay, "podStartDelay");
        Objects.requireNonNull(podTerminationDelay, "podTerminationDelay");
        Objects.requireNonNull(crashLoopBackOff, "crashLoopBackOff");
        Objects.requireNonNull(nodeName, "nodeName");
        if (podStartDelay.isNegative() || podTerminationDelay.isNegative() || crashLoopBackOff.isNegative()) {
            throw new IllegalArgumentException("Simulation delays must not be negative: " + podStartDelay + ", "
                    + podTerminationDelay + ", " + crashLoopBackOff);
        }
    }

    /** Fast enough for a test suite, slow enough that a test can observe "not ready yet". */
    public static SimulationSettings forTests() {
        return new SimulationSettings(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200),
                DEFAULT_NODE_NAME);
    }

    /** Close to what a person watching {@code kubectl get pods -w} expects from a small real service. */
    public static SimulationSettings forDevMode() {
        return new SimulationSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(10),
                DEFAULT_NODE_NAME);
    }

    public SimulationSettings withPodStartDelay(Duration delay) {
        return new SimulationSettings(delay, podTerminationDelay, crashLoopBackOff, nodeName);
    }

    public SimulationSettings withPodTerminationDelay(Duration delay) {
        return new SimulationSettings(podStartDelay, delay, crashLoopBackOff, nodeName);
    }

    public SimulationSettings withCrashLoopBackOff(Duration backOff) {
        return new SimulationSettings(podStartDelay, podTerminationDelay, backOff, nodeName);
    }
}
