package dev.baton.devcluster.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Service's virtual IP as kube-proxy makes it, for one port: a TCP proxy on {@code 127.0.0.1:<free port>} that
 * sends each new connection to one ready endpoint of the Service ({@link ReadyEndpoints}), chosen round-robin (IPVS
 * mode's default scheduler) or by least connections (IPVS {@code lc}). A connection stays on the endpoint it was given
 * for its whole life, whatever happens to the endpoints later (conntrack), so taking a pod out of the Service stops
 * only new connections to it. With no ready endpoint a connection is refused with a reset (kube-proxy's REJECT rule
 * for Services without endpoints); clients retry.
 */
public final class LoadBalancer implements AutoCloseable {

    public enum Balancing { ROUND_ROBIN, LEAST_CONNECTIONS }

    private static final int ACCEPT_BACKLOG = 2048;

    private final ReadyEndpoints endpoints;
    private final Balancing balancing;
    private final AsynchronousChannelGroup group;
    private final AsynchronousServerSocketChannel listener;
    private final ScheduledExecutorService timers;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final Map<String, AtomicInteger> activeByPod = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> routedByPod = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    private LoadBalancer(ReadyEndpoints endpoints, Balancing balancing) throws IOException {
        this.endpoints = endpoints;
        this.balancing = balancing;
        this.group = AsynchronousChannelGroup.withFixedThreadPool(2, daemon("load-balancer"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("load-balancer-timers"));
        this.listener = AsynchronousServerSocketChannel.open(group)
                .bind(new InetSocketAddress("127.0.0.1", 0), ACCEPT_BACKLOG);
        acceptNext();
    }

    /** Balances the Service's port {@code portName} round-robin, once the Service's EndpointSlices are listed. */
    public static LoadBalancer start(KubernetesClient client, String namespace, String service, String portName) {
        return start(client, namespace, service, portName, Balancing.ROUND_ROBIN);
    }

    public static LoadBalancer start(KubernetesClient client, String namespace, String service, String portName,
                                     Balancing balancing) {
        ReadyEndpoints endpoints = new ReadyEndpoints(client, namespace, service, portName);
        try {
            return new LoadBalancer(endpoints, balancing);
        } catch (IOException e) {
            endpoints.close();
            throw new UncheckedIOException("Load balancer could not listen on loopback: " + e.getMessage(), e);
        }
    }

    public int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ws://127.0.0.1:<port>/}: where websocket clients connect. */
    public URI websocketUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/");
    }

    /** Pods that get new connections now. */
    public List<String> readyPods() {
        return endpoints.ready().stream().map(ReadyEndpoints.Backend::pod).toList();
    }

    /** Connections being relayed now, per pod. */
    public Map<String, Integer> activeConnectionsByPod() {
        Map<String, Integer> active = new TreeMap<>();
        activeByPod.forEach((pod, n) -> {
            if (n.get() > 0) {
                active.put(pod, n.get());
            }
        });
        return active;
    }

    public int activeConnections() {
        return activeByPod.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Connections ever sent to each pod. */
    public Map<String, Long> routedByPod() {
        Map<String, Long> routed = new TreeMap<>();
        routedByPod.forEach((pod, n) -> routed.put(pod, n.get()));
        return routed;
    }

    /** Connections refused: no ready endpoint, or the endpoint refused the TCP connection. */
    public long refusedConnections() {
        return refused.get();
    }

    private void acceptNext() {
        listener.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel client, Void unused) {
                acceptNext();
                route(client);
            }

            @Override
            public void failed(Throwable error, Void unused) {
                if (listener.isOpen()) {
                    acceptNext();
                }
            }
        });
    }

    private void route(AsynchronousSocketChannel client) {
        List<ReadyEndpoints.Backend> ready = endpoints.ready();
        if (ready.isEmpty()) {
            refuse(client);
            return;
        }
        ReadyEndpoints.Backend chosen = choose(ready);
        AsynchronousSocketChannel backend;
        try {
            backend = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            refuse(client);
            return;
        }
        AtomicInteger active = activeByPod.computeIfAbsent(chosen.pod(), p -> new AtomicInteger());
        active.incrementAndGet();
        routedByPod.computeIfAbsent(chosen.pod(), p -> new AtomicLong()).incrementAndGet();
        backend.connect(chosen.address(), null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void unused) {
                new Relay(client, backend, timers, active::decrementAndGet).start();
            }

            @Override
            public void failed(Throwable error, Void unused) {
                active.decrementAndGet();
                closeQuietly(backend);
                refuse(client);
            }
        });
    }

    private ReadyEndpoints.Backend choose(List<ReadyEndpoints.Backend> ready) {
        if (balancing == Balancing.LEAST_CONNECTIONS) {
            return ready.stream().min(Comparator.comparingInt(b -> {
                AtomicInteger n = activeByPod.get(b.pod());
                return n == null ? 0 : n.get();
            })).orElseThrow();
        }
        return ready.get(Math.floorMod(nextIndex.getAndIncrement(), ready.size()));
    }

    /** A reset, as a REJECT rule answers: the client sees the connection refused or reset and retries. */
    private void refuse(AsynchronousSocketChannel client) {
        refused.incrementAndGet();
        try {
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
        closeQuietly(client);
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops accepting and closes every relayed connection. */
    @Override
    public void close() {
        endpoints.close();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        timers.shutdownNow();
        try {
            group.shutdownNow(); // closes every relayed connection
            group.awaitTermination(5, TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
