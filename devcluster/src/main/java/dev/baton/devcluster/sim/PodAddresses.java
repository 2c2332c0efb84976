package dev.baton.devcluster.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pod IPs on the loopback network: every pod gets its own 127.x.y.z address, so a test can bind a real server to
 * "the pod" and clients reach exactly that pod. Linux routes all of 127.0.0.0/8 to the loopback interface.
 *
 * <p>Addresses start at 127.1.0.1 (never 127.0.0.1 or anything in 127.0.0.0/16, which other local services use), skip
 * .0 and .255 host parts, and are unique among the live pods of every simulated cluster in the JVM: the counter is
 * shared because test classes running side by side share one loopback interface.
 */
final class PodAddresses {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final int FIRST = 1 << 16;          // 127.1.0.0
    private static final int SPAN = (254 << 16) - 1;    // up to 127.254.255.255
    private static final Map<String, String> IN_USE = new ConcurrentHashMap<>(); // ip -> owner key, JVM-wide

    private final String clusterId;

    PodAddresses(String clusterId) {
        this.clusterId = clusterId;
    }

    /** A fresh address for the pod with this UID. */
    String allocate(String podUid) {
        for (int attempts = 0; attempts < SPAN; attempts++) {
            int n = FIRST + Math.floorMod(NEXT.getAndIncrement(), SPAN);
            int b = (n >>> 16) & 0xff;
            int c = (n >>> 8) & 0xff;
            int d = n & 0xff;
            if (d == 0 || d == 255) {
                continue;
            }
            String ip = "127." + b + "." + c + "." + d;
            if (IN_USE.putIfAbsent(ip, owner(podUid)) == null) {
                return ip;
            }
        }
        throw new IllegalStateException("No free loopback address for a pod: every 127.x.y.z is taken");
    }

    /** A pod that already has an IP (the simulation restarted): keep it reserved. */
    void adopt(String ip, String podUid) {
        IN_USE.putIfAbsent(ip, owner(podUid));
    }

    void release(String ip, String podUid) {
        if (ip != null) {
            IN_USE.remove(ip, owner(podUid));
        }
    }

    void releaseAll() {
        IN_USE.entrySet().removeIf(e -> e.getValue().startsWith(clusterId + "/"));
    }

    private String owner(String podUid) {
        return clusterId + "/" + podUid;
    }
}
