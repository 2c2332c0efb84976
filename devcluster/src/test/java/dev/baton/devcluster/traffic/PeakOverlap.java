package dev.baton.devcluster.traffic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The most time windows open at one instant (a sweep over their starts and ends; an end before a start at a tie). */
final class PeakOverlap {

    private PeakOverlap() {
    }

    /** Each window is {@code [from, to)}. */
    static int of(List<Instant[]> windows) {
        List<long[]> events = new ArrayList<>();
        for (Instant[] w : windows) {
            events.add(new long[] {toNanos(w[0]), +1});
            events.add(new long[] {toNanos(w[1]), -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int peak = 0;
        for (long[] e : events) {
            open += (int) e[1];
            peak = Math.max(peak, open);
        }
        return peak;
    }

    private static long toNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
