package dev.baton.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.sim.SimulationSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Gateway API router's writes against the embedded API, which serves gateway.networking.k8s.io/v1 HTTPRoutes
 * as a built-in kind (no CRD: so no schema defaulting of backendRef kind, which the router does not rely on).
 */
class GatewayApiRouterTest {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static EmbeddedKubernetes kubernetes;
  private static KubernetesClient client;

  private final GatewayApiRouter router = new GatewayApiRouter(client);
  private String namespace;
  private RouteBackends chat;

  @BeforeAll
  static void startApi() {
    kubernetes = EmbeddedKubernetes.start(SimulationSettings.forTests());
    client = kubernetes.client();
  }

  @AfterAll
  static void stopApi() {
    kubernetes.close();
  }

  @BeforeEach
  void newNamespace() {
    namespace = "route-" + NAMESPACES.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    chat = new RouteBackends(namespace, "chat", "chat-stable", "chat-canary", 80);
  }

  @Test
  void settingAWeightChangesOnlyTheBatonBackendRefs() {
    // given the user's route, with a status its gateway wrote
    createUserRoute();
    JsonNode before = raw();

    // when Baton puts 10% on the canary
    GatewayApiRouter.Result result = router.apply(chat, TrafficSplit.canary(10));

    // then, taking away the canary ref and the stable weight, the stored route is the user's byte for byte
    assertThat(result.changed()).isTrue();
    ObjectNode after = (ObjectNode) raw();
    ArrayNode refs = (ArrayNode) after.at("/spec/rules/0/backendRefs");
    JsonNode canary = refs.remove(1);
    assertThat(((ObjectNode) refs.get(0)).remove("weight").asInt()).isEqualTo(90);
    assertThat(canary).isEqualTo(((ObjectNode) before.at("/spec/rules/0/backendRefs/0").deepCopy())
        .put("name", "chat-canary").put("weight", 10));
    ((ObjectNode) after.get("metadata")).set("resourceVersion", before.at("/metadata/resourceVersion"));
    ((ObjectNode) after.get("metadata")).set("generation", before.at("/metadata/generation"));
    assertThat(after.toString()).isEqualTo(before.toString());
  }

  @Test
  void aConcurrentEditBetweenReadAndWriteIsNotLost() {
    // given the route as the planner saw it
    createUserRoute();
    HTTPRoute seen = route();

    // and a user who inserts a rule in front of Baton's before Baton writes
    client.resources(HTTPRoute.class).inNamespace(namespace).withName("chat").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"add\",\"path\":\"/spec/rules/0\",\"value\":{\"matches\":[{\"path\":{\"type\":\"PathPrefix\","
            + "\"value\":\"/admin\"}}],\"backendRefs\":[{\"name\":\"chat-admin\",\"port\":9090}]}}]");

    // when Baton writes 10% from what it saw
    GatewayApiRouter.Result result = router.apply(chat, TrafficSplit.canary(10), seen);

    // then the stale patch was refused, and the second one landed in the rule that moved, next to the user's rule
    assertThat(result.attempts()).isEqualTo(2);
    HTTPRoute after = route();
    assertThat(Routes.weights(after, 0)).containsExactly("chat-admin");
    assertThat(Routes.weights(after, 1)).containsExactly("chat-stable:90", "chat-canary:10", "chat-legacy:0");
    assertThat(Routes.weights(after, 2)).containsExactly("cdn-proxy");
  }

  @Test
  void aGatewayStatusWriteInBetweenCostsOneRetryAndKeepsTheStatus() {
    createUserRoute();
    HTTPRoute seen = route();
    HTTPRoute reported = route();
    reported.getStatus().getParents().get(0).getConditions().get(0).setMessage("re-reconciled");
    client.resource(reported).updateStatus();

    GatewayApiRouter.Result result = router.apply(chat, TrafficSplit.canary(30), seen);

    assertThat(result.attempts()).isEqualTo(2);
    assertThat(route().getStatus().getParents().get(0).getConditions().get(0).getMessage()).isEqualTo("re-reconciled");
    assertThat(Routes.weights(route(), 0)).containsExactly("chat-stable:70", "chat-canary:30", "chat-legacy:0");
  }

  @Test
  void theSameSplitTwiceWritesOnce() {
    createUserRoute();
    router.apply(chat, TrafficSplit.canary(50));
    String resourceVersion = route().getMetadata().getResourceVersion();

    GatewayApiRouter.Result again = router.apply(chat, TrafficSplit.canary(50));

    assertThat(again.changed()).isFalse();
    assertThat(route().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
  }

  @Test
  void aReleaseEndsWithTheRouteTheUserWrote() {
    createUserRoute();
    JsonNode written = raw().get("spec");

    for (int weight : List.of(0, 10, 50, 100)) {
      router.apply(chat, TrafficSplit.canary(weight));
    }
    assertThat(Routes.weights(route(), 0)).containsExactly("chat-stable:0", "chat-canary:100", "chat-legacy:0");
    router.apply(chat, TrafficSplit.stableOnly());

    assertThat(raw().get("spec").toString()).isEqualTo(written.toString());
  }

  @Test
  void aMissingRouteIsAnErrorTheUserCanActOn() {
    assertThatThrownBy(() -> router.apply(chat, TrafficSplit.canary(10)))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessage("HTTPRoute chat not found in namespace " + namespace + ": create it, or remove"
            + " spec.strategy.trafficRouting.gatewayAPI");
  }

  @Test
  void aRouteDeletedSinceThePlannerSawItIsAnErrorTheUserCanActOn() {
    createUserRoute();
    HTTPRoute seen = route();
    client.resources(HTTPRoute.class).inNamespace(namespace).withName("chat").delete();

    assertThatThrownBy(() -> router.apply(chat, TrafficSplit.canary(10), seen))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessageStartingWith("HTTPRoute chat not found");
  }

  /** Creates the user's route of {@link Routes#userRouteYaml()}, then writes its status as its gateway would. */
  private void createUserRoute() {
    HTTPRoute route = Routes.userRoute();
    route.getMetadata().setNamespace(namespace);
    route.getMetadata().setResourceVersion(null);
    route.getMetadata().setGeneration(null);
    HTTPRoute created = client.resource(route).create();
    created.setStatus(route.getStatus());
    client.resource(created).updateStatus();
  }

  private HTTPRoute route() {
    return client.resources(HTTPRoute.class).inNamespace(namespace).withName("chat").get();
  }

  /** The route exactly as the API returns it, not through fabric8's model. */
  private JsonNode raw() {
    String json = client.raw(client.getMasterUrl() + "apis/gateway.networking.k8s.io/v1/namespaces/" + namespace
        + "/httproutes/chat");
    return Serialization.unmarshal(json, JsonNode.class);
  }
}
