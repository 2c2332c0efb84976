package dev.baton.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.api.Application;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Gateway API router, pure: from an HTTPRoute as observed and the split Baton wants, the one JSON patch that
 * puts the split in force, touching nothing but Baton's two backendRefs.
 *
 * <h2>What Baton edits</h2>
 * In every rule with a backendRef to {@code <app>-stable} (kind Service or unset, group core or unset, namespace
 * the route's or unset), and only there:
 * <ul>
 *   <li>while a release runs ({@link TrafficSplit.Weighted}), the stable ref gets weight {@code 100-W}, and a
 *       backendRef to {@code <app>-canary} with weight {@code W} sits right after it: a copy of the stable ref
 *       (same port, same per-backend filters) with the other name, as openkruise's gateway router clones it;</li>
 *   <li>between releases ({@link TrafficSplit.StableOnly}), the canary ref is removed and the stable ref's weight
 *       with it, so the rule reads as the user wrote it (weight unset means 1, Gateway API's default). This is
 *       openkruise's {@code Finalise}. It runs after a promotion once {@code <app>-stable} selects the new version,
 *       or after an abort; a rule without a canary ref is left exactly as it is.</li>
 * </ul>
 * Other rules, matches, filters, other backendRefs, hostnames, parentRefs, metadata and status are never in a
 * patch. Weights are relative within a rule: a third backendRef in the same rule keeps its weight, so its share
 * changes as Baton's refs move from (unset=1) to a sum of 100; route other backends in their own rules.
 *
 * <h2>Why a JSON patch</h2>
 * {@code rules} and {@code backendRefs} are {@code +listType=atomic} in the Gateway API types, so a server-side
 * apply of one weight would take ownership of (and replace) the whole list, and an Update sends every field the
 * client's model knows, dropping those it does not (Flagger regenerates the spec and loses user rules, flagger
 * #1857). A JSON patch names the exact positions; they are only right for the version read, so the patch first
 * tests {@code /metadata/resourceVersion}: a route changed in between refuses the patch instead of getting a
 * weight at the wrong index.
 */
public final class GatewayApiRoutes implements TrafficRouter {

  private static final String CORE_GROUP = "";
  private static final String SERVICE_KIND = "Service";
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final String GATEWAY_KIND = "Gateway";

  @Override
  public List<Service> services(Application app, String stableVersion, String canaryVersion) {
    return RouterServices.both(app, stableVersion, canaryVersion);
  }

  @Override
  public RouteEdit edit(Application app, ObservedTraffic observed, TrafficSplit split) {
    Optional<String> problem = RouteBackends.problem(app);
    if (problem.isPresent()) {
      return new RouteEdit.Problem(problem.get());
    }
    return edit(observed.httpRoute(), RouteBackends.of(app), split);
  }

  @Override
  public Verification verify(Application app, ObservedTraffic observed, TrafficSplit split) {
    Optional<String> problem = RouteBackends.problem(app);
    if (problem.isPresent()) {
      return Verification.pending(problem.get());
    }
    return verify(observed.httpRoute(), RouteBackends.of(app), split);
  }

  /** The edit that puts {@code split} in force on the route as observed (empty: the route does not exist). */
  public static RouteEdit edit(Optional<HTTPRoute> route, RouteBackends backends, TrafficSplit split) {
    if (route.isEmpty()) {
      return new RouteEdit.Problem(notFound(backends));
    }
    return edit(asJson(route.get()), backends, split);
  }

  /** The same, on the route's JSON. */
  public static RouteEdit edit(JsonNode route, RouteBackends backends, TrafficSplit split) {
    List<JsonPatch.Operation> changes = new ArrayList<>();
    boolean referenced = false;
    JsonNode rules = route.path("spec").path("rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode refs = rules.get(i).path("backendRefs");
      List<Integer> stable = refsTo(refs, backends.stableService(), backends.namespace());
      if (stable.isEmpty()) {
        continue; // not a rule Baton routes: untouched, even if it names <app>-canary
      }
      referenced = true;
      List<Integer> canary = refsTo(refs, backends.canaryService(), backends.namespace());
      Optional<String> problem = ruleProblem(backends, i, refs, stable, canary);
      if (problem.isPresent()) {
        return new RouteEdit.Problem(problem.get());
      }
      String base = "/spec/rules/" + i + "/backendRefs/";
      int s = stable.get(0);
      JsonNode stableRef = refs.get(s);
      // Edits at the positions as read first, then at most one insertion or removal, so no path goes stale.
      if (split instanceof TrafficSplit.Weighted) {
        setWeight(changes, base + s, stableRef, split.stableWeight());
        ObjectNode desiredCanary = ((ObjectNode) stableRef.deepCopy())
            .put("name", backends.canaryService()).put("weight", split.canaryWeight());
        if (canary.isEmpty()) {
          changes.add(JsonPatch.Operation.add(base + (s + 1), desiredCanary));
        } else {
          int c = canary.get(0);
          JsonNode canaryRef = refs.get(c);
          if (withoutWeight(canaryRef).equals(withoutWeight(desiredCanary))) {
            setWeight(changes, base + c, canaryRef, split.canaryWeight());
          } else {
            changes.add(JsonPatch.Operation.replace(base + c, desiredCanary));
          }
        }
      } else if (!canary.isEmpty()) {
        if (stableRef.has("weight")) {
          changes.add(JsonPatch.Operation.remove(base + s + "/weight"));
        }
        changes.add(JsonPatch.Operation.remove(base + canary.get(0)));
      }
    }
    if (!referenced) {
      return new RouteEdit.Problem(noStableRef(backends));
    }
    if (changes.isEmpty()) {
      return new RouteEdit.InForce();
    }
    List<JsonPatch.Operation> operations = new ArrayList<>();
    String resourceVersion = route.path("metadata").path("resourceVersion").asText("");
    if (!resourceVersion.isEmpty()) {
      operations.add(JsonPatch.Operation.test("/metadata/resourceVersion", resourceVersion));
    }
    operations.addAll(changes);
    return new RouteEdit.Patch(new JsonPatch(operations));
  }

  /**
   * Whether the split is in force: written in the route, and accepted with resolved backends, at the route's
   * current generation, by the controller of every parent it attaches to ({@code status.parents}: Gateway API
   * conditions Accepted and ResolvedRefs carry the observedGeneration they judged). The Gateway API has no
   * acknowledgement of weights as such; a controller that processed the generation programs what it says.
   */
  public static Verification verify(Optional<HTTPRoute> route, RouteBackends backends, TrafficSplit split) {
    RouteEdit edit = edit(route, backends, split);
    if (edit instanceof RouteEdit.Problem problem) {
      return Verification.pending(problem.message());
    }
    if (edit instanceof RouteEdit.Patch) {
      return Verification.pending("HTTPRoute " + backends.httpRoute() + " does not route " + describe(backends, split)
          + " yet");
    }
    JsonNode json = asJson(route.orElseThrow());
    long generation = json.path("metadata").path("generation").asLong(0);
    JsonNode parentRefs = json.path("spec").path("parentRefs");
    if (parentRefs.isEmpty()) {
      return Verification.pending("HTTPRoute " + backends.httpRoute() + " has no parentRefs: no Gateway serves it;"
          + " add the Gateway it should attach to in spec.parentRefs");
    }
    for (JsonNode parentRef : parentRefs) {
      Optional<JsonNode> status = statusOf(json.path("status").path("parents"), parentRef, backends.namespace());
      String parent = parentName(parentRef);
      if (status.isEmpty()) {
        return Verification.pending("no controller has reported on HTTPRoute " + backends.httpRoute() + " for "
            + parent + " yet (status.parents)");
      }
      for (String type : List.of("Accepted", "ResolvedRefs")) {
        Optional<String> notYet = conditionNotCurrent(status.get(), type, generation);
        if (notYet.isPresent()) {
          return Verification.pending(parent + " has not " + notYet.get() + " for generation " + generation
              + " of HTTPRoute " + backends.httpRoute());
        }
      }
    }
    return Verification.verified();
  }

  /**
   * The canary's share of the route's traffic as the route says it now, in percent: from the first rule that
   * routes to {@code <app>-stable} (a weight left unset counts 1, as the Gateway API reads it). Empty when the
   * route does not exist or routes nothing to Baton's Services.
   */
  public static OptionalInt canaryShare(Optional<HTTPRoute> route, RouteBackends backends) {
    if (route.isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode rules = asJson(route.get()).path("spec").path("rules");
    for (JsonNode rule : rules) {
      JsonNode refs = rule.path("backendRefs");
      List<Integer> stable = refsTo(refs, backends.stableService(), backends.namespace());
      if (stable.isEmpty()) {
        continue;
      }
      List<Integer> canary = refsTo(refs, backends.canaryService(), backends.namespace());
      int stableWeight = refs.get(stable.get(0)).path("weight").asInt(1);
      int canaryWeight = canary.isEmpty() ? 0 : refs.get(canary.get(0)).path("weight").asInt(1);
      int total = stableWeight + canaryWeight;
      return OptionalInt.of(total == 0 ? 0 : Math.round(100f * canaryWeight / total));
    }
    return OptionalInt.empty();
  }

  /** The split in words, for Events and messages: "chat-stable 90, chat-canary 10". */
  public static String describe(RouteBackends backends, TrafficSplit split) {
    if (split instanceof TrafficSplit.StableOnly) {
      return backends.stableService() + " only";
    }
    return backends.stableService() + " " + split.stableWeight() + ", " + backends.canaryService() + " "
        + split.canaryWeight();
  }

  static String notFound(RouteBackends backends) {
    return "HTTPRoute " + backends.httpRoute() + " not found in namespace " + backends.namespace()
        + ": create it, or remove spec.strategy.trafficRouting.gatewayAPI";
  }

  static JsonNode asJson(HTTPRoute route) {
    return Serialization.jsonMapper().valueToTree(route);
  }

  private static Optional<String> ruleProblem(RouteBackends backends, int rule, JsonNode refs, List<Integer> stable,
      List<Integer> canary) {
    String where = "HTTPRoute " + backends.httpRoute() + ", spec.rules[" + rule + "]";
    if (stable.size() > 1 || canary.size() > 1) {
      String service = stable.size() > 1 ? backends.stableService() : backends.canaryService();
      return Optional.of(where + " has " + Math.max(stable.size(), canary.size()) + " backendRefs to Service " + service
          + ": keep one");
    }
    JsonNode port = refs.get(stable.get(0)).path("port");
    if (!port.isIntegralNumber()) {
      return Optional.of(where + ": the backendRef to Service " + backends.stableService() + " has no port; set port: "
          + backends.port());
    }
    if (port.asInt() != backends.port()) {
      return Optional.of(where + ": the backendRef to Service " + backends.stableService() + " uses port " + port.asInt()
          + ", but Baton routes port " + backends.port() + " (spec.strategy.trafficRouting.gatewayAPI.port, default the"
          + " first port of spec.service): make them the same");
    }
    return Optional.empty();
  }

  private static String noStableRef(RouteBackends backends) {
    return "HTTPRoute " + backends.httpRoute() + " has no backendRef to Service " + backends.stableService()
        + "; add one ({name: " + backends.stableService() + ", port: " + backends.port() + "}) to each rule whose"
        + " traffic Baton should shift";
  }

  /** Positions of the backendRefs to a Service of this name in the route's namespace; kind and group default to Service. */
  private static List<Integer> refsTo(JsonNode refs, String service, String namespace) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      JsonNode ref = refs.get(i);
      if (service.equals(ref.path("name").asText())
          && SERVICE_KIND.equals(ref.path("kind").asText(SERVICE_KIND))
          && CORE_GROUP.equals(ref.path("group").asText(CORE_GROUP))
          && namespace.equals(ref.path("namespace").asText(namespace))) {
        found.add(i);
      }
    }
    return found;
  }

  /** Sets a ref's weight; an unset weight means 1 to the Gateway API, so it is written even when the value is 1. */
  private static void setWeight(List<JsonPatch.Operation> changes, String ref, JsonNode current, int weight) {
    JsonNode existing = current.path("weight");
    if (existing.isIntegralNumber() && existing.asInt() == weight) {
      return;
    }
    changes.add(current.has("weight")
        ? JsonPatch.Operation.replace(ref + "/weight", IntNode.valueOf(weight))
        : JsonPatch.Operation.add(ref + "/weight", IntNode.valueOf(weight)));
  }

  private static JsonNode withoutWeight(JsonNode ref) {
    ObjectNode copy = (ObjectNode) ref.deepCopy();
    copy.remove("weight");
    return copy;
  }

  /** The status.parents entry of a parentRef: same name, namespace (default the route's), section and port. */
  private static Optional<JsonNode> statusOf(JsonNode parents, JsonNode parentRef, String namespace) {
    for (JsonNode status : parents) {
      JsonNode ref = status.path("parentRef");
      if (Objects.equals(parentKey(ref, namespace), parentKey(parentRef, namespace))) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }

  private static List<String> parentKey(JsonNode ref, String namespace) {
    return List.of(ref.path("group").asText(GATEWAY_GROUP), ref.path("kind").asText(GATEWAY_KIND),
        ref.path("namespace").asText(namespace), ref.path("name").asText(), ref.path("sectionName").asText(""),
        ref.path("port").asText(""));
  }

  private static String parentName(JsonNode ref) {
    String section = ref.path("sectionName").asText("");
    return ref.path("kind").asText(GATEWAY_KIND) + " " + ref.path("name").asText()
        + (section.isEmpty() ? "" : " (listener " + section + ")");
  }

  /** Why a condition does not yet say True for this generation, in words ("accepted it (NotAllowedByListeners: ...)"). */
  private static Optional<String> conditionNotCurrent(JsonNode parentStatus, String type, long generation) {
    String verb = type.equals("Accepted") ? "accepted it" : "resolved its backendRefs";
    for (JsonNode condition : parentStatus.path("conditions")) {
      if (!type.equals(condition.path("type").asText())) {
        continue;
      }
      // observedGeneration is optional in a Condition; without it, the status cannot be older than we can tell.
      long observed = condition.path("observedGeneration").asLong(generation);
      if (observed < generation) {
        return Optional.of(verb + " (it reports generation " + observed + ")");
      }
      if (!"True".equals(condition.path("status").asText())) {
        return Optional.of(verb + " (" + condition.path("reason").asText() + ": "
            + condition.path("message").asText() + ")");
      }
      return Optional.empty();
    }
    return Optional.of(verb + " (no " + type + " condition)");
  }
}
