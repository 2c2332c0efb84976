package dev.baton.devcluster.traffic;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * N real websocket clients (the JDK's {@code java.net.http} client) that connect through a {@link LoadBalancer}, stay
 * connected, and reconnect whenever their session ends: the users of a chat app during a release. Counts how every
 * session ended (graceful: a close frame; abrupt: 1006 or an error) and when clients reconnected.
 *
 * <pre>{@code
 * try (WebsocketFleet fleet = WebsocketFleet.connect(loadBalancer.websocketUri(), 1000)) {
 *     fleet.awaitAllConnected(Duration.ofSeconds(20));
 *     ... drain ...
 *     assertThat(fleet.abruptCloses()).isZero();
 * }
 * }</pre>
 * One {@link HttpClient} for all, two callback threads and one timer thread: 1,000 clients fit in a few tens of MiB.
 */
public final class WebsocketFleet implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final FleetOptions options;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService callbacks;
    private final ScheduledExecutorService timers;
    private final HttpClient http;
    private final List<FleetClient> clients = new ArrayList<>();
    private final Instant startedAt;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong graceful = new AtomicLong();
    private final AtomicLong abrupt = new AtomicLong();
    private final AtomicLong byClient = new AtomicLong();
    private final AtomicLong failedConnects = new AtomicLong();
    private final Map<String, AtomicLong> abruptByPod = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<SessionRecord> ended = new ConcurrentLinkedQueue<>();
    private final Map<Integer, String> gaveUp = new ConcurrentHashMap<>();
    private final ReconnectRate reconnects = new ReconnectRate();
    private volatile Instant allConnectedAt;
    private volatile boolean closing;

    private WebsocketFleet(URI uri, FleetOptions options) {
        this.uri = uri;
        this.options = options;
        this.callbacks = Executors.newFixedThreadPool(2, daemon("fleet-callbacks"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("fleet-timers"));
        this.http = HttpClient.newBuilder().executor(callbacks).connectTimeout(options.connectTimeout()).build();
        this.startedAt = clock.instant();
        for (int i = 0; i < options.clients(); i++) {
            clients.add(new FleetClient(i, this, options));
        }
        long rampNanos = options.ramp().toNanos();
        for (FleetClient client : clients) {
            schedule(client::connect, Duration.ofNanos(rampNanos * client.id() / options.clients()));
        }
    }

    /** Starts {@code clients} clients connecting to {@code uri} at once, with {@link FleetOptions#of} defaults. */
    public static WebsocketFleet connect(URI uri, int clients) {
        return connect(uri, FleetOptions.of(clients));
    }

    public static WebsocketFleet connect(URI uri, FleetOptions options) {
        return new WebsocketFleet(uri, options);
    }

    public int size() {
        return clients.size();
    }

    /** Clients with an open, greeted session now. */
    public int connectedCount() {
        return connected.get();
    }

    /** Waits until every client is connected; fails with the counts so far if that takes longer than {@code timeout}. */
    public void awaitAllConnected(Duration timeout) {
        Awaitility.await("all " + size() + " websocket clients connected")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .failFast("a client gave up connecting", () -> !gaveUp.isEmpty())
                .until(() -> connectedCount() == size());
    }

    /** From the fleet's start to the moment every client was first connected at once. */
    public Optional<Duration> initialConnectTime() {
        Instant at = allConnectedAt;
        return at == null ? Optional.empty() : Optional.of(Duration.between(startedAt, at));
    }

    /** Connected clients per version of the pod they are on. */
    public SortedMap<String, Integer> connectedByVersion() {
        SortedMap<String, Integer> byVersion = new TreeMap<>();
        for (FleetClient client : clients) {
            Greeting g = client.greeting();
            if (g != null) {
                byVersion.merge(g.version(), 1, Integer::sum);
            }
        }
        return byVersion;
    }

    /** Connected clients per pod. */
    public SortedMap<String, Integer> connectedByPod() {
        SortedMap<String, Integer> byPod = new TreeMap<>();
        for (FleetClient client : clients) {
            Greeting g = client.greeting();
            if (g != null) {
                byPod.merge(g.pod(), 1, Integer::sum);
            }
        }
        return byPod;
    }

    /** The numbers of the clients connected to {@code pod} now. */
    public Set<Integer> clientsOn(String pod) {
        Set<Integer> ids = new TreeSet<>();
        for (FleetClient client : clients) {
            Greeting g = client.greeting();
            if (g != null && g.pod().equals(pod)) {
                ids.add(client.id());
            }
        }
        return ids;
    }

    /** The pod client {@code id} is connected to now, if it is. */
    public Optional<String> podOf(int id) {
        return Optional.ofNullable(clients.get(id).greeting()).map(Greeting::pod);
    }

    /** Sessions that ended with a close frame from the server. */
    public long gracefulCloses() {
        return graceful.get();
    }

    /** Sessions that ended without a close frame (1006) or with an error: what a graceful drain must never cause. */
    public long abruptCloses() {
        return abrupt.get();
    }

    /** Sessions the clients ended themselves ({@link #close()}). */
    public long closedByClient() {
        return byClient.get();
    }

    public SortedMap<String, Long> abruptClosesByPod() {
        SortedMap<String, Long> byPod = new TreeMap<>();
        abruptByPod.forEach((pod, n) -> byPod.put(pod, n.get()));
        return byPod;
    }

    /** Sessions ever opened and greeted (first connects and reconnects). */
    public long sessions() {
        return sessions.get();
    }

    /** Connected again after a session had ended. */
    public int reconnects() {
        return reconnects.count();
    }

    public SortedMap<Instant, Integer> reconnectsPerSecond() {
        return reconnects.perSecond();
    }

    /** The most reconnects in any one-second window: how hard a drain hit the pods that stayed. */
    public int peakReconnectsPerSecond() {
        return reconnects.peak(Duration.ofSeconds(1));
    }

    /** Connects that failed (refused by the load balancer or a draining pod, timed out) and were retried. */
    public long failedConnects() {
        return failedConnects.get();
    }

    /** Clients that gave up after {@link FleetOptions#maxAttempts} failed connects in a row, with the last error. */
    public Map<Integer, String> gaveUp() {
        return Map.copyOf(gaveUp);
    }

    /** Every session that has ended so far. */
    public List<SessionRecord> endedSessions() {
        return List.copyOf(ended);
    }

    // --- called by the clients ---

    HttpClient http() {
        return http;
    }

    URI uri() {
        return uri;
    }

    boolean isClosing() {
        return closing;
    }

    Instant now() {
        return clock.instant();
    }

    void schedule(Runnable task, Duration delay) {
        if (!closing) {
            timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    void identified(FleetClient client, boolean reconnect) {
        sessions.incrementAndGet();
        if (reconnect) {
            reconnects.record(now());
        }
        if (connected.incrementAndGet() == size() && allConnectedAt == null) {
            allConnectedAt = now();
        }
    }

    void ended(SessionRecord session, boolean wasIdentified) {
        if (wasIdentified) {
            connected.decrementAndGet();
        }
        ended.add(session);
        switch (session.ending()) {
            case GRACEFUL -> graceful.incrementAndGet();
            case ABRUPT -> {
                abrupt.incrementAndGet();
                abruptByPod.computeIfAbsent(session.pod(), p -> new AtomicLong()).incrementAndGet();
            }
            case BY_CLIENT -> byClient.incrementAndGet();
        }
    }

    void connectFailed() {
        failedConnects.incrementAndGet();
    }

    void gaveUp(FleetClient client, Throwable lastError) {
        gaveUp.put(client.id(), String.valueOf(lastError));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Stops reconnecting and ends every session with 1000 "normal closure", waiting up to five seconds for the close
     * handshakes; sessions still open then are dropped.
     */
    @Override
    public void close() {
        closing = true;
        clients.forEach(FleetClient::closeSession);
        try {
            Awaitility.await().atMost(CLOSE_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> clients.stream().noneMatch(FleetClient::inSession));
        } catch (ConditionTimeoutException e) {
            clients.forEach(FleetClient::abort);
        }
        timers.shutdownNow();
        callbacks.shutdownNow();
    }
}
