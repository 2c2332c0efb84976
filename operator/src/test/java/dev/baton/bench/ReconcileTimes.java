package dev.baton.bench;

import dev.baton.metrics.BatonMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A meter registry for the operator that keeps every sample of Baton's own reconcile timer
 * ({@value BatonMetrics#RECONCILE_DURATION}, which times each reconcile around the SDK's execution): exact
 * percentiles per benchmark phase, from the timer the operator exports, without changing what it exports.
 */
final class ReconcileTimes extends SimpleMeterRegistry {

  private static final String TIMER = "baton.reconcile.duration";

  private final List<Long> nanos = new ArrayList<>();

  @Override
  protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
    if (!TIMER.equals(id.getName())) {
      return super.newTimer(id, config, pauseDetector);
    }
    return new CumulativeTimer(id, clock, config, pauseDetector, getBaseTimeUnit(), false) {
      @Override
      protected void recordNonNegative(long amount, TimeUnit unit) {
        super.recordNonNegative(amount, unit);
        synchronized (nanos) {
          nanos.add(unit.toNanos(amount));
        }
      }
    };
  }

  /** The reconcile times recorded since the last call, and forgets them. */
  Samples take() {
    synchronized (nanos) {
      long[] taken = nanos.stream().mapToLong(Long::longValue).toArray();
      nanos.clear();
      Arrays.sort(taken);
      return new Samples(taken);
    }
  }

  /** Reconcile times, sorted. */
  record Samples(long[] sortedNanos) {
    int count() {
      return sortedNanos.length;
    }

    /** The nearest-rank percentile in milliseconds, or NaN without samples. */
    double percentileMillis(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100 * sortedNanos.length);
      return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    double maxMillis() {
      return sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6;
    }
  }
}
