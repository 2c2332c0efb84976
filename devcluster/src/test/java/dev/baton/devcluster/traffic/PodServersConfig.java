package dev.baton.devcluster.traffic;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Which pods {@link PodServers} stands real servers behind, and on which ports.
 *
 * @param namespace        the pods' namespace
 * @param selector         label equality selector of the application's pods (e.g. {@code app=chat})
 * @param wsPortName       container port name of the websocket server; its number comes from the pod spec
 * @param defaultWsPort    used when no container declares {@code wsPortName}
 * @param adminPortName    container port name of the admin server ({@code /drain}, {@code /connections})
 * @param defaultAdminPort used when no container declares {@code adminPortName}
 * @param behaviour        how the app behaves unless {@link PodServers#behaveForVersion} or
 *                         {@link PodServer#behaveAs} says otherwise
 */
public record PodServersConfig(String namespace, Map<String, String> selector, String wsPortName, int defaultWsPort,
                               String adminPortName, int defaultAdminPort, ServerBehaviour behaviour) {

    /** All sessions of a pod close within one second of its drain signal. */
    public static final Duration DEFAULT_DRAIN_PERIOD = Duration.ofSeconds(1);

    public PodServersConfig {
        Objects.requireNonNull(namespace, "namespace");
        selector = Map.copyOf(selector);
        Objects.requireNonNull(wsPortName, "wsPortName");
        Objects.requireNonNull(adminPortName, "adminPortName");
        Objects.requireNonNull(behaviour, "behaviour");
    }

    /** Ports {@code ws} 8080 and {@code admin} 9090; graceful drain over {@link #DEFAULT_DRAIN_PERIOD}. */
    public static PodServersConfig forApp(String namespace, Map<String, String> selector) {
        return new PodServersConfig(namespace, selector, "ws", 8080, "admin", 9090,
                ServerBehaviour.graceful(DEFAULT_DRAIN_PERIOD));
    }

    public PodServersConfig withBehaviour(ServerBehaviour behaviour) {
        return new PodServersConfig(namespace, selector, wsPortName, defaultWsPort, adminPortName, defaultAdminPort,
                behaviour);
    }
}
