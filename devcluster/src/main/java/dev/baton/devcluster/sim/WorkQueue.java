package dev.baton.devcluster.sim;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's queue of object keys ({@code namespace/name}), drained by one worker thread.
 *
 * <p>Shaped like client-go's workqueue: a key waiting in the queue is stored once however many events name it,
 * a key is never processed by two threads at once, a key enqueued while it is being processed runs again afterwards,
 * and a failed key is retried with exponential back-off. Delays come from the shared scheduler, never from sleeping.
 */
final class WorkQueue implements AutoCloseable {

    /** What a controller does for one key; returns when to look at the key again, if a timer is needed. */
    @FunctionalInterface
    interface Reconciler {
        Optional<Duration> reconcile(String namespace, String name);
    }

    private static final Duration FIRST_RETRY = Duration.ofMillis(20);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final Logger log;
    private final String name;
    private final Reconciler reconciler;
    private final ScheduledExecutorService timers;
    private final ExecutorService worker;
    private final Set<String> waiting = new LinkedHashSet<>();
    private final java.util.Map<String, Integer> failures = new java.util.HashMap<>();
    private boolean started;
    private boolean draining;
    private volatile boolean closed;

    WorkQueue(String name, Reconciler reconciler, ScheduledExecutorService timers) {
        this.name = name;
        this.log = LoggerFactory.getLogger(WorkQueue.class.getName() + "." + name);
        this.reconciler = reconciler;
        this.timers = timers;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sim-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Keys enqueued before start wait, so a controller never acts on a half-filled informer cache. */
    synchronized void start() {
        started = true;
        scheduleDrain();
    }

    void enqueue(String namespace, String name) {
        enqueue(key(namespace, name));
    }

    synchronized void enqueue(String key) {
        if (closed) {
            return;
        }
        if (waiting.add(key)) {
            scheduleDrain();
        }
    }

    void enqueueAfter(String key, Duration delay) {
        if (closed) {
            return;
        }
        try {
            timers.schedule(() -> enqueue(key), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void scheduleDrain() {
        if (!started || draining || waiting.isEmpty() || closed) {
            return;
        }
        draining = true;
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            draining = false;
        }
    }

    private void drain() {
        while (!closed) {
            String key;
            synchronized (this) {
                var it = waiting.iterator();
                if (!it.hasNext()) {
                    draining = false;
                    return;
                }
                key = it.next();
                it.remove();
            }
            process(key);
        }
    }

    private void process(String key) {
        int slash = key.indexOf('/');
        String namespace = slash < 0 ? null : key.substring(0, slash);
        String objectName = slash < 0 ? key : key.substring(slash + 1);
        try {
            Optional<Duration> again = reconciler.reconcile(namespace, objectName);
            synchronized (this) {
                failures.remove(key);
            }
            again.ifPresent(delay -> enqueueAfter(key, delay));
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            int attempt;
            synchronized (this) {
                attempt = failures.merge(key, 1, Integer::sum);
            }
            Duration backOff = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 16));
            if (backOff.compareTo(MAX_RETRY) > 0) {
                backOff = MAX_RETRY;
            }
            // Conflicts (409) are expected when two writers race; the retry reads the fresh object.
            if (attempt > 3) {
                log.warn("{} {} failed (attempt {}), retrying in {} ms", name, key, attempt, backOff.toMillis(), e);
            } else {
                log.debug("{} {} failed (attempt {}), retrying in {} ms", name, key, attempt, backOff.toMillis(), e);
            }
            enqueueAfter(key, backOff);
        }
    }

    static String key(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
