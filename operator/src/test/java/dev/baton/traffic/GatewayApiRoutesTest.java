package dev.baton.traffic;

import static dev.baton.traffic.Routes.CHAT;
import static dev.baton.traffic.Routes.applied;
import static dev.baton.traffic.Routes.json;
import static dev.baton.traffic.Routes.oneRule;
import static dev.baton.traffic.Routes.userRoute;
import static dev.baton.traffic.Routes.weights;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Gateway API router's decisions, from a route as observed to the exact patch: no API involved. */
class GatewayApiRoutesTest {

  @Test
  void settingAWeightChangesOnlyTheBatonBackendRefs() {
    // given the user's route, with matches, filters, a foreign backend, a second rule, hostnames and status
    HTTPRoute route = userRoute();

    // when Baton puts 10% on the canary
    HTTPRoute after = applied(route, GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10)));

    // then the route is the user's, plus a weight on chat-stable and a chat-canary ref cloned from it right after
    ObjectNode expected = (ObjectNode) json(route).deepCopy();
    ArrayNode refs = (ArrayNode) expected.at("/spec/rules/0/backendRefs");
    ((ObjectNode) refs.get(0)).put("weight", 90);
    refs.insert(1, ((ObjectNode) refs.get(0).deepCopy()).put("name", "chat-canary").put("weight", 10));
    assertThat(json(after)).isEqualTo(expected);
  }

  @Test
  void theFirstWeightIsOneGuardedPatchOfTwoOperations() {
    HTTPRoute route = oneRule("- {name: chat-stable, port: 80}");

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10));

    assertThat(edit).isInstanceOf(RouteEdit.Patch.class);
    assertThat(((RouteEdit.Patch) edit).patch().toJson()).isEqualTo("["
        + "{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"},"
        + "{\"op\":\"add\",\"path\":\"/spec/rules/0/backendRefs/0/weight\",\"value\":90},"
        + "{\"op\":\"add\",\"path\":\"/spec/rules/0/backendRefs/1\",\"value\":{\"name\":\"chat-canary\",\"port\":80,\"weight\":10}}"
        + "]");
  }

  @Test
  void theNextWeightReplacesTheTwoWeightsAndNothingElse() {
    HTTPRoute route = oneRule("""
        - {name: chat-stable, port: 80, weight: 90}
        - {name: chat-canary, port: 80, weight: 10}
        """);

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(50));

    assertThat(((RouteEdit.Patch) edit).patch().changes()).extracting(JsonPatch.Operation::toString).containsExactly(
        "{\"op\":\"replace\",\"path\":\"/spec/rules/0/backendRefs/0/weight\",\"value\":50}",
        "{\"op\":\"replace\",\"path\":\"/spec/rules/0/backendRefs/1/weight\",\"value\":50}");
  }

  @ParameterizedTest(name = "canary weight {0}")
  @ValueSource(ints = {0, 50, 100})
  void aWeightIsWrittenAsStableHundredMinusWAndCanaryW(int weight) {
    HTTPRoute route = oneRule("- {name: chat-stable, port: 80}");

    HTTPRoute after = applied(route, GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(weight)));

    assertThat(weights(after, 0)).containsExactly("chat-stable:" + (100 - weight), "chat-canary:" + weight);
  }

  @ParameterizedTest(name = "canary weight {0}")
  @ValueSource(ints = {0, 1, 50, 100})
  void theSameWeightTwiceNeedsNoPatch(int weight) {
    HTTPRoute route = userRoute();
    HTTPRoute once = applied(route, GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(weight)));

    RouteEdit again = GatewayApiRoutes.edit(Optional.of(once), CHAT, TrafficSplit.canary(weight));

    assertThat(again).isInstanceOf(RouteEdit.InForce.class);
  }

  @Test
  void everyRuleThatSendsToTheStableServiceIsShifted() {
    HTTPRoute route = Routes.route("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat, namespace: realtime, resourceVersion: "7"}
        spec:
          rules:
          - matches: [{path: {type: PathPrefix, value: /ws}}]
            backendRefs: [{name: chat-stable, port: 80}]
          - matches: [{path: {type: PathPrefix, value: /sse}}]
            backendRefs: [{name: other, port: 80}, {name: chat-stable, port: 80, weight: 5}]
        """);

    HTTPRoute after = applied(route, GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(25)));

    assertThat(weights(after, 0)).containsExactly("chat-stable:75", "chat-canary:25");
    assertThat(weights(after, 1)).containsExactly("other", "chat-stable:75", "chat-canary:25");
  }

  @Test
  void aRuleWithoutTheStableRefIsLeftUntouched() {
    HTTPRoute route = Routes.route("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat, namespace: realtime, resourceVersion: "7"}
        spec:
          rules:
          - backendRefs: [{name: chat-stable, port: 80}]
          - backendRefs: [{name: chat-canary, port: 80, weight: 3}]
          - backendRefs:
            - {name: chat-stable, kind: ServiceImport, group: multicluster.x-k8s.io, port: 80}
            - {name: chat-stable, namespace: elsewhere, port: 80}
        """);

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10));

    assertThat(((RouteEdit.Patch) edit).patch().changes())
        .allSatisfy(op -> assertThat(op.path()).startsWith("/spec/rules/0/"));
  }

  @Test
  void explicitKindGroupAndNamespaceOfTheStableRefAreOurs() {
    HTTPRoute route = oneRule("- {name: chat-stable, kind: Service, group: '', namespace: realtime, port: 80}");

    HTTPRoute after = applied(route, GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10)));

    assertThat(json(after).at("/spec/rules/0/backendRefs/1")).isEqualTo(json(oneRule(
        "- {name: chat-canary, kind: Service, group: '', namespace: realtime, port: 80, weight: 10}"))
        .at("/spec/rules/0/backendRefs/0"));
  }

  @Test
  void aCanaryRefThatNoLongerMirrorsTheStableRefIsReplacedWhole() {
    HTTPRoute route = oneRule("""
        - {name: chat-stable, port: 80, weight: 90, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: a, value: b}]}}]}
        - {name: chat-canary, port: 80, weight: 10}
        """);

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10));

    assertThat(((RouteEdit.Patch) edit).patch().changes()).singleElement()
        .satisfies(op -> assertThat(op.op() + " " + op.path()).isEqualTo("replace /spec/rules/0/backendRefs/1"));
    assertThat(json(applied(route, edit)).at("/spec/rules/0/backendRefs/1/filters"))
        .isEqualTo(json(route).at("/spec/rules/0/backendRefs/0/filters"));
  }

  @Test
  void endingTheReleaseGivesBackTheRouteTheUserWrote() {
    // given a release that went 10, 50, 100
    HTTPRoute original = userRoute();
    HTTPRoute route = original;
    for (int weight : List.of(10, 50, 100)) {
      route = applied(route, GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(weight)));
    }

    // when it ends (chat-stable now selects the new version)
    RouteEdit end = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.stableOnly());

    // then the canary ref and Baton's stable weight are gone: the route is as written, and stays so
    assertThat(((RouteEdit.Patch) end).patch().changes()).extracting(JsonPatch.Operation::toString).containsExactly(
        "{\"op\":\"remove\",\"path\":\"/spec/rules/0/backendRefs/0/weight\"}",
        "{\"op\":\"remove\",\"path\":\"/spec/rules/0/backendRefs/1\"}");
    HTTPRoute ended = applied(route, end);
    assertThat(json(ended)).isEqualTo(json(original));
    assertThat(GatewayApiRoutes.edit(Optional.of(ended), CHAT, TrafficSplit.stableOnly()))
        .isInstanceOf(RouteEdit.InForce.class);
  }

  @Test
  void aRouteBetweenReleasesIsNotWritten() {
    HTTPRoute route = oneRule("- {name: chat-stable, port: 80, weight: 100}");

    assertThat(GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.stableOnly()))
        .isInstanceOf(RouteEdit.InForce.class);
  }

  @Test
  void aMissingRouteSaysHowToFixIt() {
    RouteEdit edit = GatewayApiRoutes.edit(Optional.empty(), CHAT, TrafficSplit.canary(10));

    assertThat(edit).isEqualTo(new RouteEdit.Problem("HTTPRoute chat not found in namespace realtime: create it, or"
        + " remove spec.strategy.trafficRouting.gatewayAPI"));
  }

  @Test
  void aRouteWithoutTheStableRefSaysWhatToAdd() {
    HTTPRoute route = oneRule("- {name: chat, port: 80}");

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10));

    assertThat(edit).isEqualTo(new RouteEdit.Problem("HTTPRoute chat has no backendRef to Service chat-stable; add one"
        + " ({name: chat-stable, port: 80}) to each rule whose traffic Baton should shift"));
  }

  @Test
  void aStableRefWithoutAPortSaysWhichPort() {
    HTTPRoute route = oneRule("- {name: chat-stable}");

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10));

    assertThat(edit).isEqualTo(new RouteEdit.Problem("HTTPRoute chat, spec.rules[0]: the backendRef to Service"
        + " chat-stable has no port; set port: 80"));
  }

  @Test
  void aStableRefOnAnotherPortIsAProblemNotAGuess() {
    HTTPRoute route = oneRule("- {name: chat-stable, port: 9090}");

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10));

    assertThat(((RouteEdit.Problem) edit).message()).startsWith(
        "HTTPRoute chat, spec.rules[0]: the backendRef to Service chat-stable uses port 9090, but Baton routes port 80");
  }

  @Test
  void twoStableRefsInOneRuleAreAProblem() {
    HTTPRoute route = oneRule("""
        - {name: chat-stable, port: 80}
        - {name: chat-stable, port: 80}
        """);

    RouteEdit edit = GatewayApiRoutes.edit(Optional.of(route), CHAT, TrafficSplit.canary(10));

    assertThat(edit).isEqualTo(new RouteEdit.Problem(
        "HTTPRoute chat, spec.rules[0] has 2 backendRefs to Service chat-stable: keep one"));
  }

  @Test
  void theApplicationsPortDecidesAndMustBeAServicePort() {
    GatewayApiRoutes router = new GatewayApiRoutes();
    HTTPRoute route = oneRule("- {name: chat-stable, port: 9090}");

    RouteEdit onAdmin = router.edit(Routes.chat("realtime", 9090), ObservedTraffic.of(route), TrafficSplit.canary(10));
    RouteEdit onUnknown = router.edit(Routes.chat("realtime", 81), ObservedTraffic.of(route), TrafficSplit.canary(10));

    assertThat(onAdmin).isInstanceOf(RouteEdit.Patch.class);
    assertThat(onUnknown).isEqualTo(new RouteEdit.Problem("spec.strategy.trafficRouting.gatewayAPI.port is 81, but the"
        + " Services expose 80, 9090: choose one of those, or add the port to spec.service.ports"));
  }

  @Test
  void aSplitIsVerifiedOnceEveryParentAcceptedTheCurrentGeneration() {
    // given the route written with 10% (generation 4), the gateway still reporting generation 3
    HTTPRoute written = applied(userRoute(), GatewayApiRoutes.edit(Optional.of(userRoute()), CHAT,
        TrafficSplit.canary(10)));
    written.getMetadata().setGeneration(4L);

    // then 10% is not verified yet, and 20% is not even written
    assertThat(GatewayApiRoutes.verify(Optional.of(written), CHAT, TrafficSplit.canary(10)).message())
        .isEqualTo("Gateway public (listener https) has not accepted it (it reports generation 3) for generation 4 of"
            + " HTTPRoute chat");
    assertThat(GatewayApiRoutes.verify(Optional.of(written), CHAT, TrafficSplit.canary(20)).message())
        .isEqualTo("HTTPRoute chat does not route chat-stable 80, chat-canary 20 yet");

    // when the gateway catches up
    written.getStatus().getParents().get(0).getConditions().forEach(c -> c.setObservedGeneration(4L));

    // then it is
    assertThat(GatewayApiRoutes.verify(Optional.of(written), CHAT, TrafficSplit.canary(10)))
        .isEqualTo(Verification.verified());
  }

  @Test
  void aGatewayThatCannotResolveTheCanaryServiceHoldsTheSplit() {
    HTTPRoute written = applied(userRoute(), GatewayApiRoutes.edit(Optional.of(userRoute()), CHAT,
        TrafficSplit.canary(10)));
    written.getStatus().getParents().get(0).getConditions().get(1).setStatus("False");
    written.getStatus().getParents().get(0).getConditions().get(1).setReason("BackendNotFound");
    written.getStatus().getParents().get(0).getConditions().get(1).setMessage("Service chat-canary not found");

    Verification verification = GatewayApiRoutes.verify(Optional.of(written), CHAT, TrafficSplit.canary(10));

    assertThat(verification).isEqualTo(Verification.pending("Gateway public (listener https) has not resolved its"
        + " backendRefs (BackendNotFound: Service chat-canary not found) for generation 3 of HTTPRoute chat"));
  }

  @Test
  void aPatchIsNeverWithoutItsResourceVersionTest() {
    JsonNode route = json(userRoute());

    RouteEdit edit = GatewayApiRoutes.edit(route, CHAT, TrafficSplit.canary(10));

    assertThat(((RouteEdit.Patch) edit).patch().operations().get(0))
        .isEqualTo(JsonPatch.Operation.test("/metadata/resourceVersion", "41"));
  }
}
