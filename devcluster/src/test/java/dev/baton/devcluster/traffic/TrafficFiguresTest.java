package dev.baton.devcluster.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small computations behind the traffic figures. */
class TrafficFiguresTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void peakReconnectsUseASlidingWindowThatWallClockSecondsWouldSplit() {
        ReconnectRate rate = new ReconnectRate();
        // 10 reconnects in 0.2 s straddling a second boundary: buckets say 5 + 5, the window says 10.
        for (int i = 0; i < 10; i++) {
            rate.record(T0.plusMillis(900 + 20L * i));
        }
        rate.record(T0.plusMillis(3000));

        assertThat(rate.peak(Duration.ofSeconds(1))).isEqualTo(10);
        assertThat(rate.perSecond()).containsExactly(
                java.util.Map.entry(T0, 5), java.util.Map.entry(T0.plusSeconds(1), 5),
                java.util.Map.entry(T0.plusSeconds(3), 1));
        assertThat(rate.count()).isEqualTo(11);
    }

    @Test
    void peakOverlapCountsWindowsOpenAtOnceAndAnEndBeforeAStartAtATie() {
        assertThat(PeakOverlap.of(List.of())).isZero();
        assertThat(PeakOverlap.of(List.of(
                window(0, 10), window(5, 15), window(12, 20),   // two at once at most
                window(20, 30)))).isEqualTo(2);                 // [12,20) ends as [20,30) starts
        assertThat(PeakOverlap.of(List.of(window(0, 10), window(1, 9), window(2, 8)))).isEqualTo(3);
    }

    @Test
    void greetingRoundTripsAndIgnoresOtherMessages() {
        Greeting greeting = new Greeting("chat-1.4.2-abcde", "1.4.2");

        assertThat(Greeting.parse(greeting.toText())).contains(greeting);
        assertThat(Greeting.parse("hi there")).isEmpty();
        assertThat(Greeting.parse("hello pod=x")).isEmpty();
    }

    private static Instant[] window(long fromSeconds, long toSeconds) {
        return new Instant[] {T0.plusSeconds(fromSeconds), T0.plusSeconds(toSeconds)};
    }
}
