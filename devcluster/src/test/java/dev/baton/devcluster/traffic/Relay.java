package dev.baton.devcluster.traffic;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies bytes both ways between a client connection and the backend it was given, for the connection's whole life,
 * as kube-proxy's NAT does once conntrack has an entry: the connection stays with its backend even after the
 * backend leaves the endpoints. An end of stream is passed on as a half-close (so a websocket close handshake
 * completes as it would without the proxy); an error is passed on as a reset. Once one side has ended, the other
 * gets {@link #LINGER} to end too before both are closed, so no relay outlives its test.
 */
final class Relay {

    static final Duration LINGER = Duration.ofSeconds(5);
    private static final int BUFFER_BYTES = 4096; // websocket frames here are tens of bytes

    private final AsynchronousSocketChannel client;
    private final AsynchronousSocketChannel backend;
    private final ScheduledExecutorService timers;
    private final Runnable onClosed;
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();

    Relay(AsynchronousSocketChannel client, AsynchronousSocketChannel backend, ScheduledExecutorService timers,
          Runnable onClosed) {
        this.client = client;
        this.backend = backend;
        this.timers = timers;
        this.onClosed = onClosed;
    }

    void start() {
        pump(client, backend, ByteBuffer.allocate(BUFFER_BYTES));
        pump(backend, client, ByteBuffer.allocate(BUFFER_BYTES));
    }

    private void pump(AsynchronousSocketChannel from, AsynchronousSocketChannel to, ByteBuffer buffer) {
        buffer.clear();
        from.read(buffer, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer read, Void unused) {
                if (read < 0) {
                    endOfStream(to);
                    return;
                }
                buffer.flip();
                writeAll(to, buffer, () -> pump(from, to, buffer));
            }

            @Override
            public void failed(Throwable error, Void unused) {
                reset();
            }
        });
    }

    private void writeAll(AsynchronousSocketChannel to, ByteBuffer buffer, Runnable then) {
        to.write(buffer, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer written, Void unused) {
                if (buffer.hasRemaining()) {
                    writeAll(to, buffer, then);
                } else {
                    then.run();
                }
            }

            @Override
            public void failed(Throwable error, Void unused) {
                reset();
            }
        });
    }

    private void endOfStream(AsynchronousSocketChannel to) {
        try {
            to.shutdownOutput();
        } catch (IOException e) {
            reset();
            return;
        }
        if (openDirections.decrementAndGet() == 0) {
            close(false);
        } else {
            timers.schedule(() -> close(false), LINGER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** An error on one side: reset both (SO_LINGER 0 makes close send RST), as a broken path would. */
    void reset() {
        close(true);
    }

    private void close(boolean abortive) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AsynchronousSocketChannel channel : new AsynchronousSocketChannel[] {client, backend}) {
            try {
                if (abortive && channel.isOpen()) {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException | RuntimeException ignored) {
                // already gone
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        onClosed.run();
    }
}
