package dev.baton.e2e;

import static dev.baton.api.CanaryStep.pause;
import static dev.baton.api.CanaryStep.setWeight;
import static dev.baton.e2e.Releases.gatewayCanary;
import static dev.baton.e2e.Releases.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.api.Application;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStatus;
import dev.baton.api.Strategy;
import dev.baton.e2e.ClusterHistory.RouteState;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Canary releases whose weights go on a user's Gateway API HTTPRoute, on the embedded cluster (which serves
 * gateway.networking.k8s.io/v1 HTTPRoutes; no gateway controller runs, so nothing writes route status). Baton owns
 * the Services {@code chat-stable} and {@code chat-canary} and two backendRefs in the route, nothing else of it.
 * Every route version, pool and Service change is compared in the API's own order ({@link ClusterHistory}).
 */
@Execution(ExecutionMode.CONCURRENT)
class GatewayApiReleaseTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  static final String ROUTE = "chat-route";
  static final Strategy ONE_STEP_AND_A_GATE = gatewayCanary(ROUTE, null, setWeight(33), pause(null));

  /**
   * The user's route, with everything a user may put around Baton's backendRef: labels and annotations, parentRefs,
   * hostnames, a rule with matches, a filter and a foreign backend next to {@code chat-stable}, and a rule Baton has
   * no business in.
   */
  static final String USER_ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: chat-route
        labels: {app: chat, tier: edge}
        annotations: {team: realtime, example.com/reviewed-by: ops}
      spec:
        parentRefs:
        - {name: public, namespace: gateways, sectionName: https}
        hostnames: [chat.example.com, ws.example.com]
        rules:
        - matches:
          - path: {type: PathPrefix, value: /ws}
            headers: [{name: x-client, value: mobile}]
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier:
              add: [{name: x-via, value: gateway}]
          backendRefs:
          - {name: chat-stable, port: 80}
          - {name: chat-legacy, port: 8080, weight: 0}
        - matches:
          - path: {type: PathPrefix, value: /static}
          backendRefs:
          - {name: cdn-proxy, port: 80}
      """;

  @Test
  void aReleaseMovesTheRouteWeightsForwardAndHandsTheRouteBackAsTheUserWroteIt() {
    Releases r = new Releases(cluster, cluster.newNamespace("gw-release"));
    createRoute(r);
    JsonNode asWritten = rawRoute(r);
    r.createReady("1.0", 3, ONE_STEP_AND_A_GATE);

    for (String service : List.of("chat-stable", "chat-canary")) {
      Service s = r.service(service).orElseThrow();
      assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(80));
      assertThat(r.selectedVersion(service)).as("%s between releases", service).contains("1.0");
    }
    assertThat(rawRoute(r).toString()).as("a settled application leaves the route alone")
        .isEqualTo(asWritten.toString());

    CanaryStatus done;
    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), true);
        Releases.CanaryRecorder seen = r.recordCanaries()) {
      r.release("2.0");

      CanaryStatus paused = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
      assertThat(paused.currentStep()).isEqualTo(1);
      assertThat(paused.currentWeight()).isEqualTo(33);
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(weights(r, 0)).containsExactly("chat-stable:67", "chat-canary:33", "chat-legacy:0");
        assertThat(weights(r, 1)).containsExactly("cdn-proxy");
        assertThat(r.selectedVersion("chat-stable")).contains("1.0");
        assertThat(r.selectedVersion("chat-canary")).contains("2.0");
        assertThat(r.readyEndpointVersions("chat-canary")).containsExactly("2.0");
        assertThat(r.pool("1.0")).get().satisfies(p -> assertThat(ready(p)).isEqualTo(3));
        assertThat(r.pool("2.0")).get().satisfies(p -> assertThat(ready(p)).isEqualTo(1));
        assertThat(r.application().getStatus().weight()).as("the route's share, not the pods'").isEqualTo(33);
      });
      assertThat(withoutBatonRefs(rawRoute(r)).toString()).as("the route but for Baton's refs, mid-release")
          .isEqualTo(asWritten.toString());
      JsonNode canaryRef = rawRoute(r).at("/spec/rules/0/backendRefs/1");
      assertThat(canaryRef.toString()).as("a copy of the stable ref").isEqualTo("{\"name\":\"chat-canary\",\"port\":80,\"weight\":33}");

      r.act("chat-2.0", "promote");

      done = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Succeeded);
      await().atMost(Releases.PATIENCE).until(() -> r.poolNames().equals(List.of("chat-2.0")));

      List<RouteState> states = history.routeStates(ROUTE, "chat-stable", "chat-canary");
      assertWeightsOnlyMoveForward(states);
      assertThat(states).extracting(RouteState::canaryShare).as("route canary share, write by write")
          .containsSubsequence(33, 100);
      assertThat(states.get(states.size() - 1).canaryRef()).isFalse();
      assertCanaryWeightOnlyOnReadyPods(history, states, "chat-2.0", "2.0", 3);

      long atFull = states.stream().filter(s -> s.canaryShare() == 100).findFirst().orElseThrow().resourceVersion();
      long handedOver = history.firstSelecting("chat-stable", "2.0").orElseThrow();
      long refRemoved = states.stream().filter(s -> s.resourceVersion() > atFull && !s.canaryRef()).findFirst()
          .orElseThrow().resourceVersion();
      assertThat(atFull).as("100% on the route before chat-stable selects 2.0").isLessThan(handedOver);
      assertThat(handedOver).as("chat-stable selects 2.0 before the canary ref goes").isLessThan(refRemoved);
      assertThat(history.readyBefore("chat-2.0", atFull)).isEqualTo(3);
      assertThat(history.selectedVersions("chat-stable")).containsExactly("1.0", "2.0");
      assertThat(history.selectedVersions("chat-canary")).containsExactly("1.0", "2.0");
      assertThat(history.drainStarts("1.0")).as("old pods drain once the route gives them nothing").hasSize(3)
          .allSatisfy(d -> assertThat(d.resourceVersion()).as("drain start of %s", d.pod()).isGreaterThan(atFull));
      assertThat(history.drainStarts("2.0")).isEmpty();
      assertThat(seen.of("chat-2.0")).extracting(s -> s.status().currentWeight()).as("Canary weights")
          .isSorted().containsSubsequence(33, 100);
    }
    assertThat(done.currentWeight()).isEqualTo(100);
    cluster.awaitCondition(r.namespace(), "chat", "Ready", "True");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      Application app = r.application();
      assertThat(app.getStatus().stableVersion()).isEqualTo("2.0");
      assertThat(app.getStatus().weight()).isEqualTo(100);
      assertThat(r.selectedVersion("chat-stable")).contains("2.0");
      assertThat(r.selectedVersion("chat-canary")).as("between releases chat-canary selects the stable version")
          .contains("2.0");
      assertThat(r.readyEndpointVersions("chat-stable")).containsExactly("2.0", "2.0", "2.0");
      assertThat(r.eventReasons()).contains("ReleaseStarted", "TrafficShifted", "ReleasePaused", "ServiceUpdated",
          "DrainStarted", "PoolDeleted", "ReleaseSucceeded");
    });
    assertThat(rawRoute(r).toString()).as("the route after the release, but for its resourceVersion")
        .isEqualTo(asWritten.toString());
  }

  @Test
  void abortTakesTheCanaryRefOffAtOnceAndTurnsTheCanaryServiceBack() {
    Releases r = new Releases(cluster, cluster.newNamespace("gw-abort"));
    createRoute(r);
    JsonNode asWritten = rawRoute(r);
    r.createReady("1.0", 3, ONE_STEP_AND_A_GATE);

    try (ClusterHistory history = ClusterHistory.record(r.client(), r.namespace(), true)) {
      r.release("2.0");
      r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Paused);
      await().atMost(Releases.PATIENCE).until(() -> weights(r, 0).contains("chat-canary:33"));

      r.act("chat-2.0", "abort");

      CanaryStatus aborted = r.awaitCanary("chat-2.0", s -> s.phase() == CanaryPhase.Aborted);
      assertThat(aborted.message()).contains("aborted by a user");
      await().atMost(Releases.PATIENCE).untilAsserted(() -> {
        assertThat(rawRoute(r).toString()).isEqualTo(asWritten.toString());
        assertThat(r.selectedVersion("chat-canary")).contains("1.0");
        assertThat(r.selectedVersion("chat-stable")).contains("1.0");
        assertThat(r.poolNames()).containsExactly("chat-1.0");
        Application app = r.application();
        assertThat(app.getStatus().weight()).isZero();
        assertThat(app.getStatus().condition("Degraded")).get().satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("ReleaseAborted");
        });
      });

      List<RouteState> states = history.routeStates(ROUTE, "chat-stable", "chat-canary");
      assertThat(states).extracting(RouteState::canaryShare).as("route canary share, write by write")
          .containsSubsequence(33, 0).endsWith(0);
      long at33 = states.stream().filter(s -> s.canaryShare() == 33).findFirst().orElseThrow().resourceVersion();
      assertWeightsOnlyMoveForward(states.stream().filter(s -> s.resourceVersion() <= at33).toList());
      List<RouteState> afterAbort = states.stream().filter(s -> s.resourceVersion() > at33).toList();
      assertThat(afterAbort).as("after the abort: the canary ref goes at once, nothing in between")
          .singleElement().satisfies(s -> assertThat(s.canaryRef()).isFalse());
      long refRemoved = afterAbort.get(0).resourceVersion();
      long turnedBack = history.of("Service", "chat-canary").stream()
          .filter(v -> v.resourceVersion() > at33 && "1.0".equals(ClusterHistory.selectedVersion((Service) v.object())))
          .findFirst().orElseThrow().resourceVersion();
      assertThat(refRemoved).as("the weight is off before chat-canary selects other pods").isLessThan(turnedBack);
      assertThat(history.drainStarts("1.0")).isEmpty();
      assertThat(history.drainStarts("2.0")).as("the canary pod drains once the route no longer sends it traffic")
          .singleElement().satisfies(d -> assertThat(d.resourceVersion()).isGreaterThan(refRemoved));
      assertThat(history.readyEndpointsBefore("chat-canary", refRemoved))
          .as("chat-canary's ready endpoints until the route stopped sending it 33%").isEqualTo(1);
    }
  }

  @Test
  void aMissingRouteIsReportedAndAFixIsSeenWithoutAnyOtherChange() {
    Releases r = new Releases(cluster, cluster.newNamespace("gw-missing"));
    r.create("1.0", 3, ONE_STEP_AND_A_GATE, null);

    Condition notReady = cluster.awaitCondition(r.namespace(), "chat", "Ready", "False");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> assertThat(r.application().getStatus().condition("Ready"))
        .get().satisfies(c -> {
          assertThat(c.getReason()).isEqualTo("TrafficRoutingError");
          assertThat(c.getMessage()).contains("HTTPRoute chat-route not found in namespace " + r.namespace());
        }));
    assertThat(notReady.getStatus()).isEqualTo("False");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> {
      assertThat(r.pool("1.0")).get().satisfies(p -> assertThat(ready(p)).as("the pool comes up all the same").isEqualTo(3));
      assertThat(r.service("chat-stable")).isPresent();
      assertThat(r.service("chat-canary")).isPresent();
    });

    createRoute(r);
    JsonNode asWritten = rawRoute(r);

    // Baton reads the route again every 10 s while it is broken (no informer watches a user's route).
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(r.application().getStatus().condition("Ready"))
        .get().satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("PoolReady");
        }));
    assertThat(r.application().getStatus().stableVersion()).isEqualTo("1.0");
    assertThat(rawRoute(r).toString()).as("a settled application leaves the route alone").isEqualTo(asWritten.toString());
  }

  @Test
  void aRouteWithoutTheStableBackendRefIsReportedUntilItHasOne() {
    Releases r = new Releases(cluster, cluster.newNamespace("gw-no-ref"));
    HTTPRoute route = Serialization.unmarshal(USER_ROUTE.replace("chat-stable", "chat-v1"), HTTPRoute.class);
    route.getMetadata().setNamespace(r.namespace());
    r.client().resource(route).create();
    r.create("1.0", 3, ONE_STEP_AND_A_GATE, null);

    cluster.awaitCondition(r.namespace(), "chat", "Ready", "False");
    await().atMost(Releases.PATIENCE).untilAsserted(() -> assertThat(r.application().getStatus().condition("Ready"))
        .get().satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("TrafficRoutingError");
          assertThat(c.getMessage()).contains("HTTPRoute chat-route has no backendRef to Service chat-stable");
        }));

    // The user fixes the rule, as kubectl edit would.
    r.client().resources(HTTPRoute.class).inNamespace(r.namespace()).withName(ROUTE).edit(fixed -> {
      fixed.getSpec().getRules().get(0).getBackendRefs().get(0).setName("chat-stable");
      return fixed;
    });

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(r.application().getStatus().condition("Ready"))
        .get().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True")));
  }

  // --- helpers ---

  static void createRoute(Releases r) {
    HTTPRoute route = Serialization.unmarshal(USER_ROUTE, HTTPRoute.class);
    route.getMetadata().setNamespace(r.namespace());
    r.client().resource(route).create();
  }

  /** The route exactly as the API returns it, not through fabric8's model, without its resourceVersion and generation. */
  static JsonNode rawRoute(Releases r) {
    return rawRoute(r, ROUTE);
  }

  static JsonNode rawRoute(Releases r, String name) {
    String json = r.client().raw(r.client().getMasterUrl() + "apis/gateway.networking.k8s.io/v1/namespaces/"
        + r.namespace() + "/httproutes/" + name);
    ObjectNode route = (ObjectNode) Serialization.unmarshal(json, JsonNode.class);
    ((ObjectNode) route.get("metadata")).remove(List.of("resourceVersion", "generation", "managedFields"));
    return route;
  }

  /** The route without Baton's canary ref and the stable ref's weight: what the user wrote, if Baton kept to its own. */
  static JsonNode withoutBatonRefs(JsonNode route) {
    ObjectNode copy = route.deepCopy();
    for (JsonNode rule : copy.path("spec").path("rules")) {
      ArrayNode refs = (ArrayNode) rule.path("backendRefs");
      for (int i = refs.size() - 1; i >= 0; i--) {
        if ("chat-canary".equals(refs.get(i).path("name").asText())) {
          refs.remove(i);
        } else if ("chat-stable".equals(refs.get(i).path("name").asText())) {
          ((ObjectNode) refs.get(i)).remove("weight");
        }
      }
    }
    return copy;
  }

  /** A rule's backendRefs as "name:weight" ("name" alone when the weight is unset). */
  static List<String> weights(Releases r, int rule) {
    return weights(r, ROUTE, rule);
  }

  static List<String> weights(Releases r, String name, int rule) {
    HTTPRoute route = r.client().resources(HTTPRoute.class).inNamespace(r.namespace()).withName(name).get();
    return route.getSpec().getRules().get(rule).getBackendRefs().stream()
        .map(ref -> ref.getName() + (ref.getWeight() == null ? "" : ":" + ref.getWeight()))
        .toList();
  }

  /**
   * A release's route states only go forward: no canary ref, then the canary's share rising, then no canary ref
   * again (once the stable Service selects the new version) and no stable weight either; while a canary ref is
   * there, the weights add up to 100.
   */
  static void assertWeightsOnlyMoveForward(List<RouteState> states) {
    boolean released = false;
    int share = -1;
    for (RouteState state : states) {
      if (state.canaryRef()) {
        assertThat(released).as("a canary ref after the release handed the route back: %s", states).isFalse();
        assertThat(state.stableWeight() + state.canaryWeight()).as("weights of %s", state).isEqualTo(100);
        assertThat(state.canaryShare()).as("canary share never goes back: %s", states).isGreaterThanOrEqualTo(share);
        share = state.canaryShare();
      } else if (share >= 0) {
        assertThat(state.stableWeight()).as("the stable ref after the release: %s", states).isNull();
        released = true;
      }
    }
  }

  /**
   * A canary weight W is only written once the new pool has the pods for it ready (its Deployment's status just
   * before the route write said so) and chat-canary selects the new version.
   */
  static void assertCanaryWeightOnlyOnReadyPods(ClusterHistory history, List<RouteState> states, String pool,
      String version, int replicas) {
    assertCanaryWeightOnlyOnReadyPods(history, states, pool, "chat-canary", version, replicas);
  }

  static void assertCanaryWeightOnlyOnReadyPods(ClusterHistory history, List<RouteState> states, String pool,
      String canaryService, String version, int replicas) {
    assertThat(states).as("route states").anyMatch(s -> s.canaryRef() && s.canaryWeight() > 0);
    for (RouteState state : states) {
      if (state.canaryRef() && state.canaryWeight() > 0) {
        int needed = (int) Math.ceil(replicas * state.canaryWeight() / 100.0);
        assertThat(history.readyBefore(pool, state.resourceVersion()))
            .as("ready %s pods when the route said %s", version, state).isGreaterThanOrEqualTo(needed);
        assertThat(history.before(Service.class, canaryService, state.resourceVersion()).map(ClusterHistory::selectedVersion))
            .as("%s when the route said %s", canaryService, state).isEqualTo(Optional.of(version));
      }
    }
  }
}
