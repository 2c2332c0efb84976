package dev.baton.gitops;

import static dev.baton.gitops.ArgoCdLua.actionAnnotations;
import static dev.baton.gitops.ArgoCdLua.discover;
import static dev.baton.gitops.ArgoCdLua.health;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Application;
import dev.baton.api.ApplicationStatus;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanarySpec;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.gitops.ArgoCdLua.Health;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Argo CD health checks and Canary actions in {@code docs/argocd/}, run by real Lua (5.1, the
 * language of Argo CD's gopher-lua, and 5.4) on objects serialised by Jackson from Baton's API classes.
 */
class ArgoCdHealthTest {

  static final List<String> interpreters = ArgoCdLua.INTERPRETERS;

  private static final String APPLICATION = "health-application.lua";
  private static final String CANARY = "health-canary.lua";

  // ---- Application health ----

  @ParameterizedTest
  @FieldSource("interpreters")
  void readyApplicationIsHealthy(String lua) {
    Application app = application(4, status(4, "Ready",
        condition("Ready", "True", "PoolReady", "6/6 pods of chat-1.4.2 are ready"),
        condition("Progressing", "False", "Settled", "Version 1.4.2 runs as requested"),
        condition("Degraded", "False", "Healthy", "All pods of version 1.4.2 are ready")));

    assertThat(health(lua, APPLICATION, app)).isEqualTo(new Health("Healthy", "6/6 pods of chat-1.4.2 are ready"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void applicationWithoutStatusIsProgressing(String lua) {
    assertThat(health(lua, APPLICATION, application(1, null)))
        .isEqualTo(new Health("Progressing", "Waiting for Baton to observe the Application"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void applicationWhoseStatusDescribesAnOlderGenerationIsProgressingEvenIfThatOneWasReady(String lua) {
    Application app = application(5, status(4, "Ready", condition("Ready", "True", "PoolReady", "6/6 ready")));

    assertThat(health(lua, APPLICATION, app))
        .isEqualTo(new Health("Progressing", "Waiting for Baton to observe generation 5"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void rolledBackReleaseMakesTheApplicationDegraded(String lua) {
    Application app = application(7, status(7, "RolledBack",
        condition("Ready", "False", "ReleaseRolledBack", "Version 1.5.0 is not released"),
        condition("Progressing", "False", "ReleaseRolledBack", "Change the version or retry the Canary"),
        condition("Degraded", "True", "ReleaseRolledBack",
            "Release chat-1.5.0 rolledback: the new pool did not get 2 ready pods within the progress deadline (10m)")));

    assertThat(health(lua, APPLICATION, app)).isEqualTo(new Health("Degraded",
        "Release chat-1.5.0 rolledback: the new pool did not get 2 ready pods within the progress deadline (10m)"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void applicationBatonRefusesToActOnIsDegradedWithReadysAdvice(String lua) {
    Application app = application(2, status(2, "Degraded",
        condition("Ready", "False", "InvalidSpec", "spec.template: the image chat:latest has no explicit tag"),
        condition("Progressing", "False", "InvalidSpec", "Nothing is changed until the problem is fixed"),
        condition("Degraded", "False", "Healthy", "Running pools are left as they are")));

    assertThat(health(lua, APPLICATION, app)).isEqualTo(
        new Health("Degraded", "spec.template: the image chat:latest has no explicit tag"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void applicationWithAPausedReleaseIsSuspended(String lua) {
    Application app = application(3, status(3, "Paused",
        condition("Ready", "False", "Releasing", "Releasing 1.5.0: step 2 waits to be promoted"),
        condition("Progressing", "True", "ReleasePaused", "Release chat-1.5.0 paused at step 2 until promoted"),
        condition("Degraded", "False", "Healthy", "No failure seen")));

    assertThat(health(lua, APPLICATION, app))
        .isEqualTo(new Health("Suspended", "Release chat-1.5.0 paused at step 2 until promoted"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void applicationRollingOutIsProgressingWithTheProgressingMessage(String lua) {
    Application app = application(1, status(1, "Progressing",
        condition("Ready", "False", "PoolNotReady", "2/6 pods of chat-1.4.2 are ready"),
        condition("Progressing", "True", "PoolRollingOut", "Waiting for 4 more pods of chat-1.4.2 — “ready” soon"),
        condition("Degraded", "False", "Healthy", "No failure seen")));

    // non-ASCII text survives the trip through Lua
    assertThat(health(lua, APPLICATION, app))
        .isEqualTo(new Health("Progressing", "Waiting for 4 more pods of chat-1.4.2 — “ready” soon"));
  }

  // ---- Canary health ----

  @ParameterizedTest
  @FieldSource("interpreters")
  void pausedCanaryIsSuspended(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Paused, 1, "step 1 waits to be promoted"));

    assertThat(health(lua, CANARY, canary)).isEqualTo(new Health("Suspended", "step 1 waits to be promoted"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void runningCanaryIsProgressingWithItsPhase(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Progressing, 0, "step 0: waiting for 1 ready pod of 1.5.0"));

    assertThat(health(lua, CANARY, canary))
        .isEqualTo(new Health("Progressing", "Progressing: step 0: waiting for 1 ready pod of 1.5.0"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void succeededCanaryIsHealthy(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Succeeded, 4, "1.5.0 released"));

    assertThat(health(lua, CANARY, canary)).isEqualTo(new Health("Healthy", "1.5.0 released"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void abortedCanaryIsDegraded(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Aborted, 2, "aborted by a user: traffic went back to 1.4.2"));

    assertThat(health(lua, CANARY, canary))
        .isEqualTo(new Health("Degraded", "Aborted: aborted by a user: traffic went back to 1.4.2"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void canaryBatonHasNotStartedIsProgressing(String lua) {
    assertThat(health(lua, CANARY, canary(Map.of(), null)))
        .isEqualTo(new Health("Progressing", "Waiting for Baton to start the release"));
  }

  // ---- Canary actions ----

  @ParameterizedTest
  @FieldSource("interpreters")
  void eachActionSetsTheActionAnnotationAndKeepsTheOthers(String lua) {
    Canary canary = canary(Map.of("team", "realtime"), canaryStatus(CanaryPhase.Paused, 1, "paused"));

    for (String action : List.of("promote", "promote-full", "pause", "resume", "abort", "retry")) {
      assertThat(actionAnnotations(lua, "canary-actions/" + action + ".lua", canary)).as(action)
          .isEqualTo(Map.of("baton.dev/action", action, "team", "realtime"));
    }
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void actionOnACanaryWithoutAnnotationsCreatesThem(String lua) {
    Canary canary = canary(null, canaryStatus(CanaryPhase.Paused, 1, "paused"));

    assertThat(actionAnnotations(lua, "canary-actions/promote.lua", canary)).isEqualTo(Map.of("baton.dev/action", "promote"));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void pausedAtAPauseStepEverythingButPauseAndRetryIsOffered(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Paused, 1, "paused"));

    assertThat(discover(lua, canary)).isEqualTo(Map.of("promote", true, "promote-full", true, "pause", false,
        "resume", true, "abort", true, "retry", false));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void atASetWeightStepPromoteIsNotOfferedTheStepEndsWhenItsPodsAreReady(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Progressing, 0, "waiting for pods"));

    assertThat(discover(lua, canary)).isEqualTo(Map.of("promote", false, "promote-full", true, "pause", true,
        "resume", false, "abort", true, "retry", false));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void whileTheOldPoolDrainsNothingIsOffered(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Draining, 4, "draining 1.4.2"));

    assertThat(discover(lua, canary)).isEqualTo(Map.of("promote", false, "promote-full", false, "pause", false,
        "resume", false, "abort", false, "retry", false));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void whilePromotingOnlyAbortIsOffered(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Promoting, 4, "going to 100%"));

    assertThat(discover(lua, canary)).isEqualTo(Map.of("promote", false, "promote-full", false, "pause", false,
        "resume", false, "abort", true, "retry", false));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void aBlueGreenReleaseCanBeAbortedWhileDrainingForItsRollbackWindow(String lua) {
    Canary canary = canary(Map.of(), canaryStatus(CanaryPhase.Draining, 1, "switched: 1.5.0 serves all traffic"));
    canary.setSpec(new CanarySpec("chat", "1.4.2", "1.5.0", CanarySpec.ReleaseStrategy.BlueGreen,
        List.of(CanaryStep.pause(null))));

    assertThat(discover(lua, canary)).isEqualTo(Map.of("promote", false, "promote-full", false, "pause", false,
        "resume", false, "abort", true, "retry", false));
  }

  @ParameterizedTest
  @FieldSource("interpreters")
  void onlyAnAbortedOrRolledBackReleaseCanBeRetried(String lua) {
    for (CanaryPhase phase : List.of(CanaryPhase.Aborted, CanaryPhase.RolledBack)) {
      assertThat(discover(lua, canary(Map.of(), canaryStatus(phase, 2, "stopped")))).as(phase.name())
          .isEqualTo(Map.of("promote", false, "promote-full", false, "pause", false, "resume", false, "abort", false,
              "retry", true));
    }
    assertThat(discover(lua, canary(Map.of(), canaryStatus(CanaryPhase.Succeeded, 4, "released"))))
        .doesNotContainValue(true);
  }

  // ---- fixtures: Baton's API classes, as Jackson serialises them ----

  private static Application application(long generation, ApplicationStatus status) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withNamespace("realtime").withName("chat").withGeneration(generation).build());
    app.setStatus(status);
    return app;
  }

  private static ApplicationStatus status(long observedGeneration, String phase, Condition... conditions) {
    return new ApplicationStatus(observedGeneration, List.of(conditions), "1.4.2", "1.4.2", null, "6/6", 100, phase,
        List.of(new ApplicationStatus.PoolStatus("1.4.2", "chat-1.4.2", 6, 6, 100)), null, null);
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime("2025-01-01T10:00:00Z").build();
  }

  /** A Canary of four steps: setWeight 25, pause until promoted, setWeight 50, pause 2m. */
  private static Canary canary(Map<String, String> annotations, CanaryStatus status) {
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder().withNamespace("realtime").withName("chat-1.5.0").withGeneration(1L)
        .withAnnotations(annotations).build());
    canary.setSpec(new CanarySpec("chat", "1.4.2", "1.5.0", CanarySpec.ReleaseStrategy.Canary, List.of(
        CanaryStep.setWeight(25), CanaryStep.pause(null), CanaryStep.setWeight(50), CanaryStep.pause("2m"))));
    canary.setStatus(status);
    return canary;
  }

  private static CanaryStatus canaryStatus(CanaryPhase phase, int step, String message) {
    boolean failed = phase == CanaryPhase.Aborted || phase == CanaryPhase.RolledBack || phase == CanaryPhase.Failed;
    return new CanaryStatus(1L, phase, step, 25, "2025-01-01T10:01:00Z", "2025-01-01T10:00:00Z",
        phase.isFinished() ? "2025-01-01T10:30:00Z" : null, null, null, List.of(
            condition("Progressing", phase.isFinished() ? "False" : "True", phase.name(), message),
            condition("Ready", phase == CanaryPhase.Succeeded ? "True" : "False", phase.name(), message),
            condition("Degraded", failed ? "True" : "False", phase.name(), message)),
        message);
  }
}
