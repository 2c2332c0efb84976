package dev.baton.devcluster.traffic;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/**
 * The websocket side of the app in one simulated pod: greets every session with the pod's name and version, closes
 * its sessions gracefully on a drain (close code 1001 "going away", RFC 6455 section 7.4.1, paced over a period)
 * and cuts them when the pod is killed (no close frame: the client reports 1006 "abnormal closure", RFC 6455
 * section 7.1.5, or an I/O error). Counts each way a session ended.
 */
final class SessionServer extends WebSocketServer {

    /** Why the server is ending a session; attached to the connection so {@link #onClose} can count it. */
    private enum Ending { DRAIN }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(5);

    private final Greeting greeting;
    private final ScheduledExecutorService pacer;
    private final Clock clock;
    private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong closedGracefully = new AtomicLong();
    private final AtomicLong cutAbruptly = new AtomicLong();
    private final AtomicLong closedByClient = new AtomicLong();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;
    private volatile boolean draining;
    private volatile boolean killed;
    private volatile Instant drainedAt;

    SessionServer(InetSocketAddress address, Greeting greeting, ScheduledExecutorService pacer, Clock clock) {
        // One decoder thread: a pod holds a few hundred idle sessions, not a throughput benchmark.
        super(address, 1);
        this.greeting = greeting;
        this.pacer = pacer;
        this.clock = clock;
        setReuseAddr(true);
        setDaemon(true);
        // No keep-alive pings: sessions are on loopback and a test must not see pings it did not ask for.
        setConnectionLostTimeout(0);
    }

    /** Binds and returns once the server accepts connections, so the pod's readiness that follows finds it listening. */
    void startAndAwait() {
        start();
        try {
            if (!started.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Websocket server on " + getAddress() + " did not start within "
                        + START_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the websocket server on " + getAddress(), e);
        }
        if (startFailure != null) {
            throw new IllegalStateException("Websocket server could not bind " + getAddress() + ": " + startFailure,
                    startFailure);
        }
    }

    /**
     * Closes every open session with 1001, spread evenly over {@code period}, and refuses new sessions from now on (a
     * draining app sends newcomers elsewhere). Idempotent: a second signal changes nothing.
     */
    synchronized void drain(Duration period) {
        if (draining || killed) {
            return;
        }
        draining = true;
        List<WebSocket> sessions = List.copyOf(open);
        if (sessions.isEmpty()) {
            drainedAt = clock.instant();
            return;
        }
        long periodNanos = period.toNanos();
        for (int i = 0; i < sessions.size(); i++) {
            WebSocket session = sessions.get(i);
            long delay = periodNanos * i / sessions.size();
            pacer.schedule(() -> closeGracefully(session), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void closeGracefully(WebSocket session) {
        if (!killed && session.isOpen()) {
            session.setAttachment(Ending.DRAIN);
            session.close(CloseFrame.GOING_AWAY, "going away: pod draining");
        }
    }

    /**
     * What a killed process does to its sockets: they close without a close frame. Then the listening socket goes.
     */
    synchronized void cut() {
        if (killed) {
            return;
        }
        killed = true;
        for (WebSocket session : List.copyOf(open)) {
            if (open.remove(session)) {
                cutAbruptly.incrementAndGet();
                session.closeConnection(CloseFrame.ABNORMAL_CLOSE, "pod killed");
            }
        }
        try {
            // Any session left (a handshake in flight) gets closed as well; a bounded wait for the selector thread.
            stop(1000, "pod killed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                                                                       ClientHandshake request)
            throws InvalidDataException {
        if (draining || killed) {
            refused.incrementAndGet();
            // Java-WebSocket answers a refused upgrade with an HTTP error: the client's handshake fails and it retries.
            throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "pod draining: connect elsewhere");
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        open.add(conn);
        accepted.incrementAndGet();
        conn.send(greeting.toText());
        if (draining) {
            // The drain began between this session's handshake and now: it goes the same way as the others.
            pacer.execute(() -> closeGracefully(conn));
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        if (!open.remove(conn)) {
            return; // a refused handshake, or a session cut() already counted
        }
        if (conn.getAttachment() == Ending.DRAIN) {
            closedGracefully.incrementAndGet();
        } else {
            closedByClient.incrementAndGet();
        }
        if (draining && open.isEmpty() && drainedAt == null) {
            drainedAt = clock.instant();
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        // Clients only listen; anything they send is ignored.
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startFailure = ex; // bind failed; the server thread ends
            started.countDown();
        }
        // Per-session errors end in onClose, which counts them.
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    int openSessions() {
        return open.size();
    }

    long accepted() {
        return accepted.get();
    }

    long refused() {
        return refused.get();
    }

    long closedGracefully() {
        return closedGracefully.get();
    }

    long cutAbruptly() {
        return cutAbruptly.get();
    }

    long closedByClient() {
        return closedByClient.get();
    }

    Optional<Instant> drainedAt() {
        return Optional.ofNullable(drainedAt);
    }
}
