package dev.baton.devcluster.traffic;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The figures of one traffic run, for assertions and for the docs: how many clients and sessions, how sessions
 * ended, how fast clients reconnected, how long the drain took.
 *
 * @param clients                 fleet size
 * @param connected               clients connected when the report was taken
 * @param connectedByVersion      connected clients per version
 * @param sessions                sessions opened (first connects plus reconnects)
 * @param gracefulCloses          sessions the server ended with a close frame
 * @param abruptCloses            sessions ended without one (1006 or an error)
 * @param abruptClosesByPod       the same, per pod
 * @param reconnects              reconnections after a session ended
 * @param peakReconnectsPerSecond most reconnects in any one-second window
 * @param failedConnects          connect attempts refused or failed (retried)
 * @param peakConcurrentDrains    most pods draining at once
 * @param drainWallTime           first drain signal to the last drained (or killed) pod
 * @param initialConnectTime      fleet start to every client connected, if reached
 */
public record TrafficReport(int clients, int connected, SortedMap<String, Integer> connectedByVersion, long sessions,
                            long gracefulCloses, long abruptCloses, SortedMap<String, Long> abruptClosesByPod,
                            int reconnects, int peakReconnectsPerSecond, long failedConnects,
                            int peakConcurrentDrains, Duration drainWallTime, Optional<Duration> initialConnectTime) {

    public TrafficReport {
        connectedByVersion = new TreeMap<>(connectedByVersion);
        abruptClosesByPod = new TreeMap<>(abruptClosesByPod);
        Objects.requireNonNull(drainWallTime, "drainWallTime");
        Objects.requireNonNull(initialConnectTime, "initialConnectTime");
    }

    /** The figures now. */
    public static TrafficReport of(WebsocketFleet fleet, PodServers servers) {
        return new TrafficReport(fleet.size(), fleet.connectedCount(), fleet.connectedByVersion(), fleet.sessions(),
                fleet.gracefulCloses(), fleet.abruptCloses(), fleet.abruptClosesByPod(), fleet.reconnects(),
                fleet.peakReconnectsPerSecond(), fleet.failedConnects(), servers.peakConcurrentDrains(),
                servers.drainWallTime(), fleet.initialConnectTime());
    }

    /** A two-column Markdown table. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("| figure | value |\n|---|---|\n");
        row(md, "websocket clients", Integer.toString(clients));
        row(md, "connected at the end", connected + " " + format(connectedByVersion));
        row(md, "first connect of all clients", initialConnectTime.map(TrafficReport::format).orElse("not reached"));
        row(md, "sessions opened", Long.toString(sessions));
        row(md, "graceful closes (close frame)", Long.toString(gracefulCloses));
        row(md, "abrupt closes (1006 / error)", abruptCloses + (abruptClosesByPod.isEmpty() ? ""
                : " " + format(abruptClosesByPod)));
        row(md, "reconnects", Integer.toString(reconnects));
        row(md, "peak reconnects in 1 s", Integer.toString(peakReconnectsPerSecond));
        row(md, "failed connect attempts (retried)", Long.toString(failedConnects));
        row(md, "peak pods draining at once", Integer.toString(peakConcurrentDrains));
        row(md, "drain wall time", format(drainWallTime));
        return md.toString();
    }

    private static void row(StringBuilder md, String figure, String value) {
        md.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    private static String format(Map<String, ? extends Number> counts) {
        StringBuilder text = new StringBuilder("(");
        counts.forEach((key, n) -> text.append(text.length() > 1 ? ", " : "").append(key).append(": ").append(n));
        return text.append(")").toString();
    }

    private static String format(Duration d) {
        return String.format("%.2f s", d.toMillis() / 1000.0);
    }
}
