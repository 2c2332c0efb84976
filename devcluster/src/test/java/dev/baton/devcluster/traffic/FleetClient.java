package dev.baton.devcluster.traffic;

import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client of a {@link WebsocketFleet}: holds one session at a time through the load balancer, learns its pod from
 * the greeting, and when the session ends reconnects after a jittered delay, retrying failed connects with a growing
 * back-off up to a bounded number of attempts. The JDK calls a listener's methods one at a time per websocket, and
 * every reconnect is scheduled after the previous attempt ended, so a client's fields see one thread at a time.
 */
final class FleetClient implements WebSocket.Listener {

    private final int id;
    private final WebsocketFleet fleet;
    private final FleetOptions options;
    private final AtomicBoolean inSession = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private volatile WebSocket socket;
    private volatile Greeting greeting;
    private volatile Instant openedAt;
    private volatile boolean gaveUp;
    private int failures;
    private boolean hadSession;

    FleetClient(int id, WebsocketFleet fleet, FleetOptions options) {
        this.id = id;
        this.fleet = fleet;
        this.options = options;
    }

    int id() {
        return id;
    }

    /** Connected: a session is open and its pod has greeted it. */
    boolean isConnected() {
        return inSession.get() && greeting != null;
    }

    /** The pod of the open session, or null. */
    Greeting greeting() {
        return inSession.get() ? greeting : null;
    }

    boolean inSession() {
        return inSession.get();
    }

    boolean gaveUp() {
        return gaveUp;
    }

    void connect() {
        if (fleet.isClosing()) {
            return;
        }
        fleet.http().newWebSocketBuilder()
                .connectTimeout(options.connectTimeout())
                .buildAsync(fleet.uri(), this)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        connectFailed(error);
                    }
                });
    }

    private void connectFailed(Throwable error) {
        fleet.connectFailed();
        failures++;
        if (failures >= options.maxAttempts()) {
            gaveUp = true;
            fleet.gaveUp(this, error);
            return;
        }
        long cap = options.maxRetryBackOff().toMillis();
        long backOff = Math.min(cap, options.retryBackOff().toMillis() << Math.min(failures - 1, 20));
        // "Equal jitter": half fixed, half random, so retries spread out but never come at once.
        long delay = backOff / 2 + ThreadLocalRandom.current().nextLong(backOff / 2 + 1);
        fleet.schedule(this::connect, Duration.ofMillis(delay));
    }

    /** The fleet is closing: end the session with 1000 "normal closure". */
    void closeSession() {
        WebSocket ws = socket;
        if (ws != null && inSession.get()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "test over");
        }
    }

    /** Closing took too long: drop the connection. */
    void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        inSession.set(false);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        openedAt = fleet.now();
        failures = 0;
        text.setLength(0);
        inSession.set(true);
        // Without a request the JDK delivers nothing, not even the close frame.
        webSocket.request(1);
        if (fleet.isClosing()) {
            closeSession(); // a reconnect that was already under way when the fleet closed
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String message = text.toString();
            text.setLength(0);
            if (greeting == null) {
                Greeting.parse(message).ifPresent(g -> {
                    greeting = g;
                    fleet.identified(this, hadSession);
                    hadSession = true;
                });
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        // A missing close frame reaches here as 1006 (RFC 6455 section 7.1.5): abrupt, like an error.
        SessionRecord.Ending ending = fleet.isClosing() ? SessionRecord.Ending.BY_CLIENT
                : statusCode == 1006 ? SessionRecord.Ending.ABRUPT : SessionRecord.Ending.GRACEFUL;
        endSession(statusCode, ending);
        return null; // the JDK answers the close frame now, completing the close handshake
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        endSession(1006, fleet.isClosing() ? SessionRecord.Ending.BY_CLIENT : SessionRecord.Ending.ABRUPT);
    }

    private void endSession(int code, SessionRecord.Ending ending) {
        if (!inSession.compareAndSet(true, false)) {
            return;
        }
        Greeting was = greeting;
        greeting = null;
        socket = null;
        fleet.ended(new SessionRecord(id, was == null ? "?" : was.pod(), was == null ? "?" : was.version(),
                openedAt, fleet.now(), code, ending), was != null);
        if (!fleet.isClosing()) {
            long jitter = options.reconnectJitter().toMillis();
            fleet.schedule(this::connect, Duration.ofMillis(ThreadLocalRandom.current().nextLong(jitter + 1)));
        }
    }
}
