package dev.baton.devcluster.traffic;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WebsocketFleet}'s clients connect and reconnect.
 *
 * @param clients         how many clients (each holds at most one session at a time)
 * @param ramp            the first connects are spread over this period (zero: all at once)
 * @param reconnectJitter after its session ends a client waits a random time in {@code [0, reconnectJitter]} before
 *                        reconnecting, as real clients add jitter so a drain does not turn into a thundering herd
 * @param retryBackOff    first back-off after a failed connect; doubles per failure up to {@code maxRetryBackOff},
 *                        with jitter
 * @param maxRetryBackOff the longest back-off
 * @param maxAttempts     failed connects in a row after which a client gives up (bounded: a test always ends)
 * @param connectTimeout  TCP connect plus websocket handshake
 */
public record FleetOptions(int clients, Duration ramp, Duration reconnectJitter, Duration retryBackOff,
                           Duration maxRetryBackOff, int maxAttempts, Duration connectTimeout) {

    public FleetOptions {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be at least 1: " + clients);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(ramp, "ramp");
        Objects.requireNonNull(reconnectJitter, "reconnectJitter");
        Objects.requireNonNull(retryBackOff, "retryBackOff");
        Objects.requireNonNull(maxRetryBackOff, "maxRetryBackOff");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** All at once; reconnect within 100 ms; retry from 50 ms up to 1 s, 40 times (about 30 s) before giving up. */
    public static FleetOptions of(int clients) {
        return new FleetOptions(clients, Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofSeconds(1), 40, Duration.ofSeconds(5));
    }

    public FleetOptions withRamp(Duration ramp) {
        return new FleetOptions(clients, ramp, reconnectJitter, retryBackOff, maxRetryBackOff, maxAttempts,
                connectTimeout);
    }

    public FleetOptions withReconnectJitter(Duration jitter) {
        return new FleetOptions(clients, ramp, jitter, retryBackOff, maxRetryBackOff, maxAttempts, connectTimeout);
    }

    public FleetOptions withMaxAttempts(int attempts) {
        return new FleetOptions(clients, ramp, reconnectJitter, retryBackOff, maxRetryBackOff, attempts,
                connectTimeout);
    }
}
