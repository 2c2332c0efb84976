package dev.baton.plan;

import static dev.baton.plan.ApplicationPlannerTest.condition;
import static dev.baton.plan.Fixtures.NOW;
import static dev.baton.plan.ReleasePlannerTest.STEPS;
import static dev.baton.plan.ReleasePlannerTest.annotated;
import static dev.baton.plan.ReleasePlannerTest.at;
import static dev.baton.plan.ReleasePlannerTest.canaryStatus;
import static dev.baton.plan.ReleasePlannerTest.drainStarts;
import static dev.baton.plan.ReleasePlannerTest.phase;
import static dev.baton.plan.ReleasePlannerTest.statusPointingAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStrategy;
import dev.baton.api.Strategy;
import dev.baton.api.TrafficRouting;
import dev.baton.traffic.RouterServices;
import dev.baton.traffic.TrafficSplit;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A canary from 1.0 to 1.1 (four replicas, steps 25%, pause 1m, 50%, pause) whose weights are set on the HTTPRoute
 * {@code chat}: the route follows the canary pool, never ahead of its ready pods, and is handed back to
 * {@code chat-stable} only once that Service selects the new version.
 */
class GatewayApiReleasePlannerTest {

  @Nested
  class BetweenReleases {

    @Test
    void theRouterServicesSelectTheStableVersionAndAnUntouchedRouteIsLeftAlone() {
      Application app = app("1.0");
      Plan plan = Fixtures.snapshot(app).withStableService().withPool("1.0", Fixtures.pool(app, "1.0", 4, 4))
          .withBudget("1.0").withRoute(route(null, null)).plan();

      assertThat(plan.actions()).filteredOn(a -> a instanceof Action.CreateService)
          .extracting(a -> ((Action.CreateService) a).service().getMetadata().getName())
          .containsExactly("chat-stable", "chat-canary");
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.SetTrafficSplit);
    }

    @Test
    void aMissingRouteMakesTheApplicationNotReadyWithWhatToDo() {
      Application app = app("1.0");
      Plan plan = settled(app).plan();

      assertThat(condition(plan.status(), "Ready")).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("TrafficRoutingError");
        assertThat(c.getMessage()).contains("HTTPRoute chat not found in namespace realtime");
      });
      assertThat(plan.requeueAfter()).as("the route has no informer: looked at again")
          .hasValue(ApplicationPlanner.ROUTE_RECHECK.plusMillis(10));
    }

    @Test
    void aCanaryRefLeftInTheRouteIsRemoved() {
      Application app = app("1.0");
      Plan plan = settled(app).withRoute(route(90, 10)).plan();

      assertThat(routeWrite(plan)).hasValue(TrafficSplit.stableOnly());
      assertThat(plan.requeueAfter()).as("the write is looked at again at once").hasValue(Duration.ofMillis(10));
    }
  }

  @Nested
  class Steps {

    @Test
    void theReleaseStartsAtZeroWeightBeforeTheCanaryServiceTurnsToTheNewVersion() {
      Plan plan = release().withRoute(route(null, null)).withCanaryPool(1, 0)
          .withCanary(canary(at(0, 25, NOW.minusSeconds(5)))).plan();

      int write = indexOf(plan, a -> a instanceof Action.SetTrafficSplit);
      int turn = indexOf(plan, a -> a instanceof Action.UpdateService u
          && u.desired().getMetadata().getName().equals("chat-canary"));
      assertThat(routeWrite(plan)).hasValue(TrafficSplit.canary(0));
      assertThat(write).as("weight off the canary ref before its Service changes").isLessThan(turn);
    }

    @Test
    void theWeightGoesOnTheRouteOnceTheCanaryPodsAreReady() {
      Plan waiting = release().withRoute(route(100, 0)).withCanaryPool(1, 0).withCanaryService("1.1")
          .withCanary(canary(at(0, 25, NOW.minusSeconds(5)))).plan();
      assertThat(routeWrite(waiting)).isEmpty();

      Plan ready = release().withRoute(route(100, 0)).withCanaryPool(1, 1).withCanaryService("1.1")
          .withCanary(canary(at(0, 25, NOW.minusSeconds(5)))).plan();
      assertThat(routeWrite(ready)).hasValue(TrafficSplit.canary(25));
      assertThat(canaryStatus(ready).currentStep()).as("not done until the route says 25").isZero();
      assertThat(canaryStatus(ready).message()).contains("setting 25% on the route");
    }

    @Test
    void theStepIsDoneWhenTheRouteCarriesItsWeight() {
      Plan plan = release().withRoute(route(75, 25)).withCanaryPool(1, 1).withCanaryService("1.1")
          .withCanary(canary(at(0, 25, NOW.minusSeconds(5)))).plan();

      assertThat(canaryStatus(plan).currentStep()).isEqualTo(1);
      assertThat(routeWrite(plan)).isEmpty();
      assertThat(plan.status().weight()).as("read from the route").isEqualTo(25);
    }

    @Test
    void aRouteThatCannotCarryTheWeightRollsBackAtTheProgressDeadlineSayingWhy() {
      HTTPRoute foreign = Serialization.unmarshal("""
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: chat, namespace: realtime, resourceVersion: "5"}
          spec:
            rules:
            - backendRefs: [{name: other, port: 8080}]
          """, HTTPRoute.class);
      Plan plan = release().withRoute(foreign).withCanaryPool(1, 1).withCanaryService("1.1")
          .withCanary(canary(at(0, 25, NOW.minus(Duration.ofMinutes(11))))).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(canaryStatus(plan).message()).contains("has no backendRef to Service chat-stable");
      assertThat(condition(plan.status(), "Ready").getReason()).isEqualTo("TrafficRoutingError");
    }
  }

  @Nested
  class Promotion {

    @Test
    void promotingPutsAllTrafficOnTheRouteOnceTheNewPoolIsWhole() {
      Plan plan = release().withRoute(route(50, 50)).withCanaryPool(4, 4).withCanaryService("1.1")
          .withCanary(canary(phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Promoting))).plan();

      assertThat(routeWrite(plan)).hasValue(TrafficSplit.canary(100));
      assertThat(canaryStatus(plan).phase()).as("not draining before the route says 100").isEqualTo(CanaryPhase.Promoting);
      assertThat(drainStarts(plan, "1.0")).isEmpty();
    }

    @Test
    void atOneHundredPercentChatStableTurnsToTheNewVersionAndTheOldPoolDrains() {
      Plan plan = release().withRoute(route(0, 100)).withCanaryPool(4, 4).withCanaryService("1.1")
          .withCanary(canary(phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Promoting))).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Draining);
      assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.UpdateService.class, u -> {
        assertThat(u.desired().getMetadata().getName()).isEqualTo("chat-stable");
        assertThat(u.desired().getSpec().getSelector()).containsEntry("baton.dev/version", "1.1");
      }));
      assertThat(routeWrite(plan)).as("the canary ref stays until chat-stable is seen on 1.1").isEmpty();
      assertThat(drainStarts(plan, "1.0")).hasSize(1);
    }

    @Test
    void theRouteIsHandedBackToChatStableOnceItSelectsTheNewVersion() {
      Plan plan = release().withRoute(route(0, 100)).withCanaryPool(4, 4).withCanaryService("1.1")
          .withService(RouterServices.stable(app("1.1"), "1.1"))
          .withCanary(canary(phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Draining))).plan();

      assertThat(routeWrite(plan)).hasValue(TrafficSplit.stableOnly());
    }
  }

  @Test
  void anAbortTakesTheWeightOffAtOnceAndTurnsTheCanaryServiceBack() {
    Plan plan = release().withRoute(route(75, 25)).withCanaryPool(1, 1).withCanaryService("1.1")
        .withCanary(annotated(canary(at(1, 25, NOW.minusSeconds(5))), "abort")).plan();

    assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Aborted);
    assertThat(routeWrite(plan)).hasValue(TrafficSplit.stableOnly());
    int write = indexOf(plan, a -> a instanceof Action.SetTrafficSplit);
    int turn = indexOf(plan, a -> a instanceof Action.UpdateService u
        && u.desired().getMetadata().getName().equals("chat-canary"));
    assertThat(write).isLessThan(turn);
    assertThat(ReleasePlannerTest.drainStarts(plan, "1.1")).as("not while the route gives chat-canary 25%").isEmpty();
  }

  // --- fixtures ---

  static Application app(String version) {
    ApplicationSpec s = Fixtures.app("registry.example.com/chat:" + version, 4).getSpec();
    Application app = Fixtures.app(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(),
        new Strategy(new CanaryStrategy(STEPS, null), null,
            new TrafficRouting(null, new TrafficRouting.GatewayApi("chat", null)), "10m"),
        s.drain(), s.analysis(), s.releaseHistoryLimit()));
    app.setStatus(statusPointingAt(null));
    return app;
  }

  /** 1.0 settled, with its Services, no route yet. */
  static Fixtures.Snapshot settled(Application app) {
    return Fixtures.snapshot(app).withStableService().withPool("1.0", Fixtures.pool(app, "1.0", 4, 4)).withBudget("1.0")
        .withService(RouterServices.stable(app, "1.0")).withService(RouterServices.canary(app, "1.0"));
  }

  /** A release of 1.1 from 1.0, both router Services on 1.0. */
  static GatewayCluster release() {
    Application app = app("1.1");
    app.setStatus(statusPointingAt("chat-1.1"));
    GatewayCluster cluster = new GatewayCluster(app);
    cluster.withService(RouterServices.stable(app, "1.0")).withService(RouterServices.canary(app, "1.0"));
    return cluster;
  }

  static final class GatewayCluster extends ReleasePlannerTest.ReleaseCluster {
    GatewayCluster(Application app) {
      super(app, "1.1");
    }

    GatewayCluster withCanaryService(String version) {
      withService(RouterServices.canary(application(), version));
      return this;
    }

    @Override
    GatewayCluster withCanaryPool(int replicas, int ready) {
      super.withCanaryPool(replicas, ready);
      return this;
    }

    @Override
    GatewayCluster withCanary(Canary canary) {
      super.withCanary(canary);
      return this;
    }

    @Override
    GatewayCluster withService(io.fabric8.kubernetes.api.model.Service service) {
      super.withService(service);
      return this;
    }

    @Override
    GatewayCluster withRoute(HTTPRoute route) {
      super.withRoute(route);
      return this;
    }
  }

  static Canary canary(dev.baton.api.CanaryStatus status) {
    return ReleasePlannerTest.canary(app("1.1"), "1.1", status);
  }

  /** The user's route with Baton's refs at these weights (null: the ref or its weight is absent). */
  static HTTPRoute route(Integer stableWeight, Integer canaryWeight) {
    String stable = "{name: chat-stable, port: 8080" + (stableWeight == null ? "" : ", weight: " + stableWeight) + "}";
    String canary = canaryWeight == null ? "" : ", {name: chat-canary, port: 8080, weight: " + canaryWeight + "}";
    return Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat, namespace: realtime, resourceVersion: "5"}
        spec:
          parentRefs: [{name: public}]
          rules:
          - backendRefs: [%s%s]
        """.formatted(stable, canary), HTTPRoute.class);
  }

  static Optional<TrafficSplit> routeWrite(Plan plan) {
    return plan.actions().stream().filter(a -> a instanceof Action.SetTrafficSplit)
        .map(a -> ((Action.SetTrafficSplit) a).split()).findFirst();
  }

  static int indexOf(Plan plan, java.util.function.Predicate<Action> which) {
    List<Action> actions = plan.actions();
    for (int i = 0; i < actions.size(); i++) {
      if (which.test(actions.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such action in " + actions);
  }
}
