package dev.baton.devcluster.sim;

/**
 * Told when the simulated kubelet starts or stops a pod, so a test can stand a real server on the pod's loopback
 * address while the pod runs. Called on the kubelet's thread: return quickly.
 */
public interface KubeletListener {

    /** The pod has an IP and its containers are starting; readiness follows later. */
    default void podStarted(String namespace, String name, String podIp) {
    }

    /** The pod's containers are told to stop (deletionTimestamp set): the time to close connections gracefully. */
    default void podTerminating(String namespace, String name, String podIp) {
    }

    /** The pod is gone from the API; its IP is free again. */
    default void podStopped(String namespace, String name, String podIp) {
    }
}
