package dev.baton.devcluster.traffic;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The app running in one simulated pod: a websocket server on {@code <podIP>:<ws port>} and an admin HTTP server on
 * {@code <podIP>:<admin port>}, started when the kubelet starts the pod and killed when the pod stops. Its
 * {@link ServerBehaviour} can change while it runs, for failure tests.
 */
public final class PodServer {

    private final String pod;
    private final String version;
    private final String ip;
    private final Clock clock;
    private final SessionServer sessions;
    private final AdminEndpoint admin;
    private volatile ServerBehaviour behaviour;
    private volatile Instant drainSignalledAt;
    private volatile Instant stoppedAt;

    private PodServer(String pod, String version, String ip, int wsPort, int adminPort, ServerBehaviour behaviour,
                      ScheduledExecutorService pacer, Clock clock) {
        this.pod = pod;
        this.version = version;
        this.ip = ip;
        this.clock = clock;
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.sessions = new SessionServer(new InetSocketAddress(ip, wsPort), new Greeting(pod, version), pacer, clock);
        this.admin = new AdminEndpoint(new InetSocketAddress(ip, adminPort), this::drainSignal, sessions::openSessions);
    }

    static PodServer start(String pod, String version, String ip, int wsPort, int adminPort,
                           ServerBehaviour behaviour, ScheduledExecutorService pacer, Clock clock) {
        PodServer server = new PodServer(pod, version, ip, wsPort, adminPort, behaviour, pacer, clock);
        try {
            server.sessions.startAndAwait();
        } catch (RuntimeException e) {
            server.admin.stop(); // bound in the constructor: free the port
            throw e;
        }
        server.admin.start();
        return server;
    }

    public String pod() {
        return pod;
    }

    public String version() {
        return version;
    }

    public String ip() {
        return ip;
    }

    public ServerBehaviour behaviour() {
        return behaviour;
    }

    /** From now on the app behaves so (a drain already under way goes on). */
    public void behaveAs(ServerBehaviour behaviour) {
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
    }

    /** Sessions open now: what {@code GET /connections} answers. */
    public int openSessions() {
        return sessions.openSessions();
    }

    public boolean isRunning() {
        return stoppedAt == null;
    }

    /** The drain signal ({@code POST /drain}), as if it came over HTTP. */
    public void drainSignal() {
        synchronized (this) {
            if (drainSignalledAt == null) {
                drainSignalledAt = clock.instant();
            }
        }
        ServerBehaviour now = behaviour;
        if (now.honoursDrainSignal()) {
            sessions.drain(now.drainPeriod());
        }
    }

    /** SIGTERM: the pod's deletionTimestamp is set. Most apps do nothing; some drain. */
    void terminating() {
        ServerBehaviour now = behaviour;
        if (now.drainsOnTermination()) {
            synchronized (this) {
                if (drainSignalledAt == null) {
                    drainSignalledAt = clock.instant();
                }
            }
            sessions.drain(now.drainPeriod());
        }
    }

    /** SIGKILL, or the containers exited: sessions still open are cut, both servers stop. */
    void kill() {
        synchronized (this) {
            if (stoppedAt != null) {
                return;
            }
            stoppedAt = clock.instant();
        }
        sessions.cut();
        admin.stop();
    }

    public PodServerStats stats() {
        return new PodServerStats(pod, version, ip, sessions.accepted(), sessions.openSessions(), sessions.refused(),
                sessions.closedGracefully(), sessions.cutAbruptly(), sessions.closedByClient(),
                Optional.ofNullable(drainSignalledAt), sessions.drainedAt(), Optional.ofNullable(stoppedAt));
    }

    @Override
    public String toString() {
        return "PodServer[" + pod + " " + version + " " + ip + ", open " + openSessions() + "]";
    }
}
