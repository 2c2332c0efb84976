package dev.baton.devcluster.traffic;

import java.time.Duration;
import java.util.Objects;

/**
 * How the application in a simulated pod treats its websocket sessions when asked to let go of them.
 *
 * @param honoursDrainSignal   on {@code POST /drain}, close every session gracefully (close code 1001 "going away",
 *                             RFC 6455 section 7.4.1) and refuse new ones; false: the app ignores the signal and keeps
 *                             its sessions until the pod is killed, which then cuts them (the failure Baton must
 *                             survive)
 * @param drainPeriod          the closes are spread evenly over this period, as a real app paces its closes so its
 *                             clients do not all reconnect in the same millisecond; zero closes all at once
 * @param drainsOnTermination  also drain on SIGTERM (the pod's deletionTimestamp set); false is what many apps do:
 *                             nothing, until SIGKILL at the end of the grace period cuts every session
 */
public record ServerBehaviour(boolean honoursDrainSignal, Duration drainPeriod, boolean drainsOnTermination) {

    public ServerBehaviour {
        Objects.requireNonNull(drainPeriod, "drainPeriod");
        if (drainPeriod.isNegative()) {
            throw new IllegalArgumentException("drainPeriod must not be negative: " + drainPeriod);
        }
    }

    /** Honours the drain signal, closing its sessions over {@code drainPeriod}; ignores SIGTERM. */
    public static ServerBehaviour graceful(Duration drainPeriod) {
        return new ServerBehaviour(true, drainPeriod, false);
    }

    /** Ignores the drain signal and SIGTERM: its sessions stay until the pod is killed. */
    public static ServerBehaviour ignoresDrainSignal() {
        return new ServerBehaviour(false, Duration.ZERO, false);
    }

    public ServerBehaviour withDrainsOnTermination(boolean drains) {
        return new ServerBehaviour(honoursDrainSignal, drainPeriod, drains);
    }
}
