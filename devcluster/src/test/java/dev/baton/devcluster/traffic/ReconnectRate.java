package dev.baton.devcluster.traffic;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * When clients reconnected, to see how hard a drain hits the remaining pods: the count per wall-clock second and the
 * peak over any sliding one-second window (which a per-second bucket could split in two). A few thousand longs.
 */
final class ReconnectRate {

    private long[] millis = new long[1024];
    private int size;

    synchronized void record(Instant at) {
        if (size == millis.length) {
            millis = Arrays.copyOf(millis, size * 2);
        }
        millis[size++] = at.toEpochMilli();
    }

    synchronized int count() {
        return size;
    }

    /** The most reconnects within any window of {@code window} length. */
    synchronized int peak(Duration window) {
        long[] sorted = Arrays.copyOf(millis, size);
        Arrays.sort(sorted);
        long width = window.toMillis();
        int peak = 0;
        int from = 0;
        for (int to = 0; to < sorted.length; to++) {
            while (sorted[to] - sorted[from] >= width) {
                from++;
            }
            peak = Math.max(peak, to - from + 1);
        }
        return peak;
    }

    /** Reconnects per wall-clock second (seconds with none are left out). */
    synchronized SortedMap<Instant, Integer> perSecond() {
        SortedMap<Instant, Integer> buckets = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            buckets.merge(Instant.ofEpochMilli(millis[i]).truncatedTo(ChronoUnit.SECONDS), 1, Integer::sum);
        }
        return buckets;
    }
}
