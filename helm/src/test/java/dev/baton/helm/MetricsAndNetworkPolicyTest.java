package dev.baton.helm;

import static dev.baton.helm.BatonChart.render;
import static dev.baton.helm.BatonChart.renderFailure;
import static dev.baton.helm.BatonChart.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.helm.BatonChart.Rendered;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How Prometheus reaches the operator, and how far the operator's pods may reach. */
class MetricsAndNetworkPolicyTest {

  @Test
  void metricsServiceExposesTheEndpointsPortOfEveryReplica() {
    Rendered chart = render("prod", values());

    Service service = chart.named(Service.class, "prod-baton-metrics");
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http-metrics");
      assertThat(port.getPort()).isEqualTo(8080);
      assertThat(port.getTargetPort().getStrVal()).isEqualTo("http-metrics");
    });
    assertThat(service.getSpec().getSelector())
        .isEqualTo(chart.one(Deployment.class).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void noServiceMonitorUnlessAsked() {
    assertThat(render(values()).ofKind("ServiceMonitor")).isEmpty();
  }

  @Test
  void serviceMonitorScrapesTheMetricsPortAtTheGivenInterval() {
    Rendered chart = render(values("metrics.serviceMonitor.enabled", true, "metrics.serviceMonitor.interval", "15s",
        "metrics.serviceMonitor.labels", Map.of("release", "prometheus")));

    GenericKubernetesResource monitor = (GenericKubernetesResource) chart.ofKind("ServiceMonitor").get(0);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("http-metrics");
    assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
    assertThat(monitor.<String>get("spec", "endpoints", 0, "interval")).isEqualTo("15s");
    assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
        .isEqualTo(chart.named(Service.class, "baton-metrics").getSpec().getSelector());
  }

  @Test
  void noNetworkPolicyUnlessAsked() {
    assertThat(render(values()).all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void networkPolicyLetsOnlyTheMonitoringNamespaceScrapeAndOnlyTheApiServerBeReached() {
    Rendered chart = render(values("networkPolicy.enabled", true, "networkPolicy.apiServer.cidrs", List.of("172.18.0.2/32")));

    NetworkPolicy policy = chart.one(NetworkPolicy.class);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(chart.one(Deployment.class).getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    // ingress: the metrics port only, from the monitoring namespace only
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getStrVal()).isEqualTo("http-metrics"));
      assertThat(rule.getFrom()).extracting(NetworkPolicyPeer::getNamespaceSelector)
          .extracting(selector -> selector.getMatchLabels())
          .containsExactly(Map.of("kubernetes.io/metadata.name", "monitoring"));
    });
    // egress: the API server's address on its ports, nothing else
    assertThat(policy.getSpec().getEgress()).singleElement().satisfies(rule -> {
      assertThat(rule.getTo()).extracting(peer -> peer.getIpBlock().getCidr()).containsExactly("172.18.0.2/32");
      assertThat(rule.getPorts()).extracting(port -> port.getPort().getIntVal()).containsExactly(443, 6443);
    });
  }

  @Test
  void networkPolicyWithNoScrapersAllowsNoIngress() {
    NetworkPolicy policy = render(values("networkPolicy.enabled", true, "networkPolicy.metricsFrom", List.of(),
        "networkPolicy.apiServer.cidrs", List.of("10.0.0.10/32"))).one(NetworkPolicy.class);

    // an ingress rule without `from` would admit everyone: there must be none at all
    assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
  }

  @Test
  void networkPolicyAddsTheExtraEgressForDrainCalls() {
    Map<String, Object> toApplications = Map.of(
        "to", List.of(Map.of("namespaceSelector", Map.of("matchLabels", Map.of("baton.dev/drain", "allowed")))),
        "ports", List.of(Map.of("port", 9090, "protocol", "TCP")));
    NetworkPolicy policy = render(values("networkPolicy.enabled", true, "networkPolicy.apiServer.cidrs", List.of("10.0.0.10/32"),
        "networkPolicy.extraEgress", List.of(toApplications))).one(NetworkPolicy.class);

    assertThat(policy.getSpec().getEgress()).hasSize(2);
    assertThat(policy.getSpec().getEgress().get(1).getTo().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("baton.dev/drain", "allowed");
  }

  @Test
  void networkPolicyWithoutTheApiServerAddressFailsWithAdvice() {
    // the address differs per cluster: the user must be told which value to set and where to find it
    assertThat(renderFailure(values("networkPolicy.enabled", true)))
        .contains("networkPolicy.apiServer.cidrs")
        .contains("kubectl get endpointslice kubernetes -n default");
  }
}
