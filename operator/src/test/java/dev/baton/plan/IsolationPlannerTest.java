package dev.baton.plan;

import static dev.baton.plan.Fixtures.NOW;
import static dev.baton.plan.Fixtures.pool;
import static dev.baton.plan.ReleasePlannerTest.KEEP_FULL;
import static dev.baton.plan.ReleasePlannerTest.SHRINK;
import static dev.baton.plan.ReleasePlannerTest.annotated;
import static dev.baton.plan.ReleasePlannerTest.at;
import static dev.baton.plan.ReleasePlannerTest.canary;
import static dev.baton.plan.ReleasePlannerTest.canaryStatus;
import static dev.baton.plan.ReleasePlannerTest.drainStarts;
import static dev.baton.plan.ReleasePlannerTest.finished;
import static dev.baton.plan.ReleasePlannerTest.phase;
import static dev.baton.plan.ReleasePlannerTest.release;
import static dev.baton.plan.ReleasePlannerTest.statusPointingAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Isolation through the phases of a release (ReleasePlanner decides which pools are kept, DrainPlanner isolates the
 * ones retired whole): the old pool once the new one serves everything, the new pool after an abort, and the way
 * back into the Services when a retiring pool is kept again. A release from 1.0 to 1.1 with four replicas; the
 * default drain, so one pod drains at a time.
 */
class IsolationPlannerTest {

  @Nested
  class RetiredPools {

    @Test
    void onceTheNewPoolServesEverythingTheWholeOldPoolLeavesTheServices() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(draining()).withCanaryPool(4, 4).plan();

      assertThat(drainStarts(plan, "1.0")).as("one drain slot").hasSize(1);
      assertThat(isolations(plan, "1.0")).as("the three others wait out of the Services").hasSize(3);
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.ScalePool scale && scale.deployment().equals("chat-1.0"));
      assertThat(plan.status().draining()).filteredOn(d -> d.stage().equals("Isolated")).hasSize(3);
    }

    @Test
    void anIsolatedPoolIsOutOfTheWeight() {
      ReleasePlannerTest.ReleaseCluster cluster = release("1.1", KEEP_FULL);
      cluster.application().setStatus(statusPointingAt("chat-1.1"));
      cluster.withCanary(draining()).withCanaryPool(4, 4).withPods("1.0", oldPool(1, 3));

      Plan plan = cluster.plan();

      assertThat(plan.status().weight()).as("isolated pods take no new clients").isEqualTo(100);
      assertThat(isolations(plan, "1.0")).isEmpty();
      assertThat(drainStarts(plan, "1.0")).as("the slot is taken").isEmpty();
    }

    @Test
    void theOldPoolKeepsServingWhileTheNewPoolIsShortOfReadyPods() {
      Plan plan = release("1.1", KEEP_FULL).withCanary(draining()).withCanaryPool(4, 3).plan();

      assertThat(isolations(plan, "1.0")).isEmpty();
      assertThat(drainStarts(plan, "1.0")).as("drains go on, one slot at a time").hasSize(1);
    }

    @Test
    void anAbortIsolatesTheNewPoolOnceTheStablePoolIsWhole() {
      Canary aborting = annotated(canary("1.1", at(2, 50, NOW.minusSeconds(10))), "abort");

      Plan plan = release("1.1", KEEP_FULL).withCanary(aborting).withCanaryPool(2, 2).plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Aborted);
      assertThat(drainStarts(plan, "1.1")).hasSize(1);
      assertThat(isolations(plan, "1.1")).hasSize(1);
      assertThat(isolations(plan, "1.0")).isEmpty();
    }

    @Test
    void withShrinkAnAbortIsolatesNothingUntilTheStablePoolIsBack() {
      Application app = ReleasePlannerTest.app("1.1", SHRINK);
      Canary aborting = annotated(canary(app, "1.1", at(2, 50, NOW.minusSeconds(10))), "abort");

      Plan plan = new Fixtures.Snapshot(app).withStableService().withBudget("1.0")
          .withPool("1.0", pool(ReleasePlannerTest.app("1.0", SHRINK), "1.0", 2, 2))
          .withPool("1.1", pool(app, "1.1", 2, 2)).withCanary(aborting).plan();

      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.IsolatePod || a instanceof Action.StartDrain);
    }

    @Test
    void aSupersededCanaryIsIsolatedOnlyOnceTheNextReleasesPoolIsReady() {
      Application third = ReleasePlannerTest.app("1.2", KEEP_FULL);
      third.setStatus(statusPointingAt("chat-1.1"));
      Fixtures.Snapshot cluster = new Fixtures.Snapshot(third).withStableService().withBudget("1.0")
          .withPool("1.0", pool(ReleasePlannerTest.app("1.0", KEEP_FULL), "1.0", 4, 4))
          .withPool("1.1", pool(ReleasePlannerTest.app("1.1", KEEP_FULL), "1.1", 2, 2))
          .withCanary(canary("1.1", at(3, 50, NOW.minusSeconds(10))));

      Plan before = cluster.plan();
      assertThat(isolations(before, "1.1")).as("1.2 has no ready pod yet").isEmpty();
      assertThat(drainStarts(before, "1.1")).as("1.1 drains as without isolation").hasSize(1);

      cluster.withPool("1.2", pool(third, "1.2", 1, 1));
      Plan after = cluster.plan();
      assertThat(drainStarts(after, "1.1")).hasSize(1);
      assertThat(isolations(after, "1.1")).hasSize(1);
    }
  }

  @Nested
  class KeptAgain {

    @Test
    void theVersionSetBackDuringTheDrainPutsTheIsolatedOldPodsBackInTheServices() {
      // 1.1 serves everything, 1.0 is being drained (one draining, three isolated); the user sets 1.0 again.
      Application back = ReleasePlannerTest.app("1.0", KEEP_FULL);
      back.setStatus(statusPointingAt("chat-1.1"));
      Fixtures.Snapshot cluster = new Fixtures.Snapshot(back).withStableService().withBudget("1.0")
          .withPool("1.0", pool(back, "1.0", 4, 4)).withPods("1.0", oldPool(1, 3))
          .withPool("1.1", pool(ReleasePlannerTest.app("1.1", KEEP_FULL), "1.1", 4, 4))
          .withCanary(draining());

      Plan plan = cluster.plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.RolledBack);
      assertThat(restorations(plan, "1.0")).as("1.0 must not be left without endpoints")
          .containsExactlyInAnyOrder("chat-1.0-1", "chat-1.0-2", "chat-1.0-3");
      assertThat(plan.actions()).as("1.1 keeps serving until 1.0 is ready again")
          .noneMatch(a -> a instanceof Action.IsolatePod || a instanceof Action.StartDrain);
      assertThat(plan.actions()).as("3 back in + the one draining + a new one for the target of 4")
          .contains(new Action.ScalePool("chat-1.0", 4, 5));
    }

    @Test
    void onceTheOldPoolIsWholeAgainTheAbandonedNewPoolIsIsolated() {
      Application back = ReleasePlannerTest.app("1.0", KEEP_FULL);
      back.setStatus(statusPointingAt("chat-1.1"));
      List<Pod> old = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        old.add(Fixtures.pod("chat-1.0-" + i, "1.0", true, i));
      }
      old.set(0, DrainPlannerTest.finished(old.get(0)));
      Canary rolledBack = canary("1.1", finished(phase(at(4, 100, NOW.minusSeconds(60)), CanaryPhase.Draining),
          CanaryPhase.RolledBack));

      Plan plan = new Fixtures.Snapshot(back).withStableService().withBudget("1.0")
          .withPool("1.0", pool(back, "1.0", 5, 5)).withPods("1.0", old)
          .withPool("1.1", pool(ReleasePlannerTest.app("1.1", KEEP_FULL), "1.1", 4, 4))
          .withCanary(rolledBack).plan();

      assertThat(drainStarts(plan, "1.1")).hasSize(1);
      assertThat(isolations(plan, "1.1")).hasSize(3);
      assertThat(plan.actions()).as("the drained 1.0 pod goes").contains(new Action.ScalePool("chat-1.0", 5, 4));
    }

    @Test
    void aRetryAfterAnAbortTakesBackTheIsolatedCanaryPodItNeeds() {
      Canary retrying = annotated(canary("1.1", finished(at(2, 50, NOW.minusSeconds(60)), CanaryPhase.Aborted)), "retry");
      List<Pod> canaryPods = List.of(
          DrainPlannerTest.drainingSince(Fixtures.pod("chat-1.1-0", "1.1", true, 0), NOW.minusSeconds(10),
              NOW.minusSeconds(5)),
          DrainPlannerTest.isolatedSince(Fixtures.pod("chat-1.1-1", "1.1", true, 1), NOW.minusSeconds(10)));
      ReleasePlannerTest.ReleaseCluster cluster = release("1.1", KEEP_FULL);
      cluster.application().setStatus(statusPointingAt("chat-1.1"));
      cluster.withCanary(retrying).withCanaryPool(2, 2).withPods("1.1", canaryPods);

      Plan plan = cluster.plan();

      assertThat(canaryStatus(plan).phase()).isEqualTo(CanaryPhase.Progressing);
      assertThat(restorations(plan, "1.1")).as("the first step's one canary pod").containsExactly("chat-1.1-1");
      assertThat(drainStarts(plan, "1.1")).isEmpty();
    }
  }

  static final dev.baton.api.Strategy STRATEGY = BlueGreenPlannerTest.blueGreen(true, null);

  @Nested
  class BlueGreen {

    @Test
    void theOldPoolStaysInTheServicesThroughTheRollbackWindow() {
      Application app = BlueGreenPlannerTest.app(STRATEGY);
      Canary switched = BlueGreenPlannerTest.canary(app, phase(at(0, 100, NOW.minusSeconds(60)), CanaryPhase.Draining));

      Plan plan = BlueGreenPlannerTest.switchedCluster(app, switched).plan();

      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.IsolatePod || a instanceof Action.StartDrain);
    }

    @Test
    void afterTheWindowTheOldPoolIsIsolatedWhole() {
      Application app = BlueGreenPlannerTest.app(STRATEGY);
      Canary switched = BlueGreenPlannerTest.canary(app, phase(at(0, 100, NOW.minus(Duration.ofMinutes(2))),
          CanaryPhase.Draining));

      Plan plan = BlueGreenPlannerTest.switchedCluster(app, switched).plan();

      assertThat(drainStarts(plan, "1.0")).hasSize(1);
      assertThat(isolations(plan, "1.0")).hasSize(3);
    }

    @Test
    void anAbortInsideTheWindowIsolatesTheNewPoolOnlyOnceTheServiceIsSeenBackOnTheOldOne() {
      Application app = BlueGreenPlannerTest.app(STRATEGY);
      Canary aborting = annotated(BlueGreenPlannerTest.canary(app, phase(at(0, 100, NOW.minusSeconds(60)),
          CanaryPhase.Draining)), "abort");

      Plan switchingBack = BlueGreenPlannerTest.switchedCluster(app, aborting).plan();
      assertThat(drainStarts(switchingBack, "1.1")).as("1.1 is kept while the Service chat is seen selecting it")
          .isEmpty();
      assertThat(isolations(switchingBack, "1.1")).as("the Service chat still selects 1.1: it would have no endpoint")
          .isEmpty();

      Canary aborted = BlueGreenPlannerTest.canary(app, finished(phase(at(0, 100, NOW.minusSeconds(60)),
          CanaryPhase.Draining), CanaryPhase.Aborted));
      Plan switchedBack = BlueGreenPlannerTest.switchedCluster(app, aborted)
          .withService(dev.baton.resources.ServiceFactory.stable(app, java.util.Optional.of("1.0"))).plan();
      assertThat(drainStarts(switchedBack, "1.1")).hasSize(1);
      assertThat(isolations(switchedBack, "1.1")).hasSize(3);
    }

    @Test
    void settingTheVersionBackAfterTheWindowPutsTheIsolatedPodsBack() {
      Application app = BlueGreenPlannerTest.app(STRATEGY);
      Canary switched = BlueGreenPlannerTest.canary(app, phase(at(0, 100, NOW.minus(Duration.ofMinutes(3))),
          CanaryPhase.Draining));
      Application back = BlueGreenPlannerTest.app(STRATEGY, "1.0");
      back.setStatus(statusPointingAt("chat-1.1"));

      Plan plan = new Fixtures.Snapshot(back)
          .withService(dev.baton.resources.ServiceFactory.stable(back, java.util.Optional.of("1.1")))
          .withPool("1.0", pool(back, "1.0", 4, 4)).withPods("1.0", oldPool(1, 3))
          .withPool("1.1", pool(app, "1.1", 4, 4)).withCanary(switched).plan();

      assertThat(restorations(plan, "1.0")).hasSize(3);
      assertThat(plan.actions()).noneMatch(a -> a instanceof Action.IsolatePod);
    }
  }

  @Nested
  class GatewayApi {

    @Test
    void anAbortedCanaryIsIsolatedOnlyOnceTheRouteIsSeenWithoutItsWeight() {
      Canary aborting = annotated(GatewayApiReleasePlannerTest.canary(at(2, 50, NOW.minusSeconds(10))), "abort");

      Plan weighted = GatewayApiReleasePlannerTest.release().withRoute(GatewayApiReleasePlannerTest.route(50, 50))
          .withCanaryPool(2, 2).withCanaryService("1.1").withCanary(aborting).plan();
      assertThat(canaryStatus(weighted).phase()).isEqualTo(CanaryPhase.Aborted);
      assertThat(drainStarts(weighted, "1.1")).as("1.1 is kept while the route is seen sending it 50%").isEmpty();
      assertThat(isolations(weighted, "1.1")).as("the route still sends 50% to chat-canary, on 1.1").isEmpty();

      Canary aborted = GatewayApiReleasePlannerTest.canary(finished(at(2, 50, NOW.minusSeconds(10)), CanaryPhase.Aborted));
      Plan moved = GatewayApiReleasePlannerTest.release().withRoute(GatewayApiReleasePlannerTest.route(100, 0))
          .withCanaryPool(2, 2).withCanaryService("1.1").withCanary(aborted).plan();
      assertThat(drainStarts(moved, "1.1")).hasSize(1);
      assertThat(isolations(moved, "1.1")).hasSize(1);
    }

    @Test
    void theOldPoolIsIsolatedOnceTheRouteCarriesAllTrafficToTheNewOne() {
      Plan plan = GatewayApiReleasePlannerTest.release().withRoute(GatewayApiReleasePlannerTest.route(0, 100))
          .withCanaryPool(4, 4).withCanaryService("1.1")
          .withCanary(GatewayApiReleasePlannerTest.canary(phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Draining)))
          .plan();

      assertThat(drainStarts(plan, "1.0")).hasSize(1);
      assertThat(isolations(plan, "1.0")).hasSize(3);
    }
  }

  // --- fixtures ---

  /** The release of 1.1 after promotion: the new pool serves all traffic, the old one goes. */
  static Canary draining() {
    return canary("1.1", phase(at(4, 100, NOW.minusSeconds(5)), CanaryPhase.Draining));
  }

  /** Pool 1.0 mid-drain: {@code draining} pods signalled, then {@code isolated} pods waiting for a slot. */
  static List<Pod> oldPool(int draining, int isolated) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < draining + isolated; i++) {
      Pod pod = Fixtures.pod("chat-1.0-" + i, "1.0", true, i);
      Instant since = NOW.minusSeconds(10);
      pods.add(i < draining ? DrainPlannerTest.drainingSince(pod, since, since.plusSeconds(5))
          : DrainPlannerTest.isolatedSince(pod, since));
    }
    return pods;
  }

  static List<String> isolations(Plan plan, String version) {
    return plan.actions().stream()
        .filter(a -> a instanceof Action.IsolatePod isolate && isolate.version().equals(version))
        .map(a -> ((Action.IsolatePod) a).pod().getMetadata().getName())
        .toList();
  }

  static List<String> restorations(Plan plan, String version) {
    return plan.actions().stream()
        .filter(a -> a instanceof Action.RestorePod restore && restore.version().equals(version))
        .map(a -> ((Action.RestorePod) a).pod().getMetadata().getName())
        .toList();
  }
}
