package dev.baton.drain;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods as the API returns them for a running app: a container with named ports and a pod IP. */
final class TestPods {

  static final String NAMESPACE = "realtime";

  private TestPods() {}

  /** A pod {@code name} at 127.0.0.1 with one container {@code chat} exposing {@code ports}. */
  static Pod pod(String name, ContainerPort... ports) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withNewSpec()
        .addToContainers(new ContainerBuilder().withName("chat").withImage("registry.example.com/chat:1.4.2")
            .withPorts(ports).build())
        .endSpec()
        .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus()
        .build();
  }

  static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder().withName(name).withContainerPort(number).build();
  }

  /** The same pod without an IP, as it is before the kubelet starts it. */
  static Pod withoutIp(Pod pod) {
    return new PodBuilder(pod).editStatus().withPodIP(null).endStatus().build();
  }
}
