package dev.baton.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Strategy;
import dev.baton.api.TrafficRouting;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** HTTPRoutes and Applications for the traffic tests, written as a user would write them. */
final class Routes {

  static final RouteBackends CHAT = new RouteBackends("realtime", "chat", "chat-stable", "chat-canary", 80);

  private Routes() {}

  /** A chat server routed through the HTTPRoute {@code chat}, Service ports ws 80 and admin 9090. */
  static Application chat(String namespace, Integer gatewayPort) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("chat").withNamespace(namespace).withUid("uid-chat").build());
    app.setSpec(new ApplicationSpec(
        null,
        3,
        new PodTemplateSpecBuilder()
            .withNewSpec()
              .addNewContainer().withName("chat").withImage("registry.example.com/chat:1.4.2")
                .addNewPort().withName("ws").withContainerPort(8080).endPort()
                .addNewPort().withName("admin").withContainerPort(9090).endPort()
              .endContainer()
            .endSpec()
            .build(),
        new ApplicationService(ApplicationService.ServiceType.LoadBalancer, List.of(
            new ServicePortBuilder().withName("ws").withPort(80).withTargetPort(new IntOrString("ws")).build(),
            new ServicePortBuilder().withName("admin").withPort(9090).withTargetPort(new IntOrString("admin")).build())),
        new Strategy(null, null, new TrafficRouting(null, new TrafficRouting.GatewayApi("chat", gatewayPort)), null),
        null, null, null));
    return app;
  }

  /**
   * The route of the product brief's chat server, with everything a user may put around Baton's backendRef: a
   * rule with matches, filters and a foreign backend next to {@code chat-stable}, a rule Baton has no business in,
   * hostnames, parentRefs, annotations and a status written by a gateway controller.
   */
  static String userRouteYaml() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: chat
          namespace: realtime
          resourceVersion: "41"
          generation: 3
          annotations:
            team: realtime
          labels:
            app: chat
        spec:
          parentRefs:
          - name: public
            namespace: gateways
            sectionName: https
          hostnames: [chat.example.com]
          rules:
          - matches:
            - path: {type: PathPrefix, value: /ws}
              headers: [{name: x-client, value: mobile}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                add: [{name: x-via, value: gateway}]
            backendRefs:
            - name: chat-stable
              port: 80
              filters:
              - type: ResponseHeaderModifier
                responseHeaderModifier:
                  set: [{name: x-pool, value: chat}]
            - name: chat-legacy
              port: 8080
              weight: 0
            timeouts: {request: 30s}
          - matches:
            - path: {type: PathPrefix, value: /static}
            backendRefs:
            - name: cdn-proxy
              port: 80
        status:
          parents:
          - parentRef: {name: public, namespace: gateways, sectionName: https}
            controllerName: example.com/gateway
            conditions:
            - {type: Accepted, status: "True", reason: Accepted, message: "", observedGeneration: 3,
               lastTransitionTime: "2024-05-01T10:00:00Z"}
            - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, message: "", observedGeneration: 3,
               lastTransitionTime: "2024-05-01T10:00:00Z"}
        """;
  }

  static HTTPRoute route(String yaml) {
    return Serialization.unmarshal(yaml, HTTPRoute.class);
  }

  static HTTPRoute userRoute() {
    return route(userRouteYaml());
  }

  /** A route with one rule and only Baton's backends in it. */
  static HTTPRoute oneRule(String backendRefsYaml) {
    return route("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat, namespace: realtime, resourceVersion: "7"}
        spec:
          parentRefs: [{name: public}]
          rules:
          - backendRefs:
        """ + backendRefsYaml.indent(4));
  }

  static JsonNode json(HTTPRoute route) {
    return GatewayApiRoutes.asJson(route);
  }

  /** The route after a patch, as the API server would store it (minus its resourceVersion bump). */
  static HTTPRoute applied(HTTPRoute route, RouteEdit edit) {
    JsonNode patched = io.fabric8.zjsonpatch.JsonPatch.apply(
        Serialization.jsonMapper().valueToTree(((RouteEdit.Patch) edit).patch().operations().stream()
            .map(o -> o.toJson()).toList()),
        json(route));
    return Serialization.jsonMapper().convertValue(patched, HTTPRoute.class);
  }

  /** The backendRefs of one rule as compact "name:weight" strings ("name" alone when the weight is unset). */
  static List<String> weights(HTTPRoute route, int rule) {
    return route.getSpec().getRules().get(rule).getBackendRefs().stream()
        .map(r -> r.getName() + (r.getWeight() == null ? "" : ":" + r.getWeight()))
        .toList();
  }

  static ObjectNode object(JsonNode node) {
    return (ObjectNode) node;
  }
}
