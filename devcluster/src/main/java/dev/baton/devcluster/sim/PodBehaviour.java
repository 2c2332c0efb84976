package dev.baton.devcluster.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated kubelet runs the containers of a pod whose image matches a pattern
 * ({@link Kubelet#behaveFor(String, PodBehaviour)}), for failure tests.
 */
public sealed interface PodBehaviour {

    /** Starts and becomes ready after the cluster's {@code podStartDelay}. */
    PodBehaviour NORMAL = new Normal();
    /** Running but never ready; the container exits again and again, restartCount grows, waiting reason CrashLoopBackOff. */
    PodBehaviour CRASH_LOOP = new CrashLoop();
    /** Running, never ready (a readiness probe that never succeeds). */
    PodBehaviour NEVER_READY = new NeverReady();

    /** Running at once, ready only after {@code delay} (a slow warm-up). */
    static PodBehaviour slowStart(Duration delay) {
        return new SlowStart(delay);
    }

    record Normal() implements PodBehaviour {
    }

    record CrashLoop() implements PodBehaviour {
    }

    record NeverReady() implements PodBehaviour {
    }

    record SlowStart(Duration delay) implements PodBehaviour {
        public SlowStart {
            Objects.requireNonNull(delay, "delay");
        }
    }
}
