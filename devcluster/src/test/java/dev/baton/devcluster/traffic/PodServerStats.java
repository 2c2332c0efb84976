package dev.baton.devcluster.traffic;

import java.time.Instant;
import java.util.Optional;

/**
 * What one pod's websocket server saw, for assertions and reports.
 *
 * @param pod              the pod's name
 * @param version          the version the pod runs
 * @param ip               the pod's loopback IP
 * @param accepted         sessions opened (handshake completed)
 * @param open             sessions open now
 * @param refused          handshakes refused because the server was draining
 * @param closedGracefully sessions the server closed with 1001 "going away" after a drain signal (or SIGTERM), once
 *                         the client answered the close frame
 * @param cutAbruptly      sessions still open when the pod was killed: cut without a close frame, the client sees 1006
 * @param closedByClient   sessions the client closed first
 * @param drainSignalledAt when the server was told to drain (signal or SIGTERM), if it was
 * @param drainedAt        when the last session left after the drain signal, if it has
 * @param stoppedAt        when the pod was killed (its servers stopped), if it was
 */
public record PodServerStats(String pod, String version, String ip, long accepted, int open, long refused,
                             long closedGracefully, long cutAbruptly, long closedByClient,
                             Optional<Instant> drainSignalledAt, Optional<Instant> drainedAt,
                             Optional<Instant> stoppedAt) {
}
