package dev.baton.reconciler;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.api.Drain;
import dev.baton.drain.DrainDecision;
import dev.baton.drain.DrainSignals;
import dev.baton.metrics.BatonMetrics;
import dev.baton.drain.SignalResult;
import dev.baton.resources.Labels;
import dev.baton.plan.Action;
import dev.baton.traffic.GatewayApiRouter;
import dev.baton.traffic.RouteEdit;
import dev.baton.traffic.TrafficRoutingException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Applies planned actions, one API call each: create for new objects, JSON merge patches that name only
 * the fields Baton owns for changes. No server-side apply: the embedded test API cannot check its field
 * ownership semantics, and a merge patch of our own fields says exactly what changes.
 */
public final class ActionExecutor {

  private final KubernetesClient client;
  private final EventRecorder events;
  private final DrainSignals signals;
  private final Clock clock;
  private final BatonMetrics metrics;
  private final GatewayApiRouter routes;

  public ActionExecutor(KubernetesClient client, EventRecorder events, DrainSignals signals, Clock clock,
      BatonMetrics metrics) {
    this.client = client;
    this.events = events;
    this.signals = signals;
    this.clock = clock;
    this.metrics = metrics;
    this.routes = new GatewayApiRouter(client);
  }

  public void apply(Application app, Action action) {
    String namespace = app.getMetadata().getNamespace();
    // Java 17 has no pattern matching in switch; the sealed Action interface keeps this list complete.
    if (action instanceof Action.CreatePool create) {
      client.apps().deployments().inNamespace(namespace).resource(create.deployment()).create();
    } else if (action instanceof Action.ScalePool scale) {
      client.apps().deployments().inNamespace(namespace).withName(scale.deployment())
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", Map.of("replicas", scale.to()))));
    } else if (action instanceof Action.UpdatePoolTemplate update) {
      // A JSON patch replaces the template whole: a merge patch would keep map entries the user removed.
      client.apps().deployments().inNamespace(namespace).withName(update.desired().getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(Map.of(
              "op", "replace", "path", "/spec/template", "value", update.desired().getSpec().getTemplate()))));
    } else if (action instanceof Action.CreateService create) {
      client.services().inNamespace(namespace).resource(create.service()).create();
    } else if (action instanceof Action.UpdateService update) {
      mergePatchService(namespace, update.desired());
    } else if (action instanceof Action.DeleteService delete) {
      client.services().inNamespace(namespace).withName(delete.name()).delete();
    } else if (action instanceof Action.SetTrafficSplit set) {
      setTrafficSplit(app, set);
      return;
    } else if (action instanceof Action.CreateDisruptionBudget create) {
      client.policy().v1().podDisruptionBudget().inNamespace(namespace).resource(create.budget()).create();
    } else if (action instanceof Action.DeleteDisruptionBudget delete) {
      client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(delete.name()).delete();
    } else if (action instanceof Action.IsolatePod isolate) {
      patchPod(isolate.pod(), Map.of(
          "labels", Map.of(Labels.SERVING, "false"),
          "annotations", Map.of(
              Labels.DRAIN_ISOLATED_ANNOTATION, isolate.at().toString(),
              Labels.POD_DELETION_COST_ANNOTATION, Labels.ISOLATED_POD_DELETION_COST)));
    } else if (action instanceof Action.RestorePod restore) {
      // A merge patch removes a key set to null (RFC 7386): the isolation mark goes, and the cost unless the
      // template sets one. One patch, so the pod is never back in the Services while still marked isolated.
      Map<String, Object> annotations = new java.util.HashMap<>();
      annotations.put(Labels.DRAIN_ISOLATED_ANNOTATION, null);
      annotations.put(Labels.POD_DELETION_COST_ANNOTATION, restore.deletionCost());
      patchPod(restore.pod(), Map.of("labels", Map.of(Labels.SERVING, "true"), "annotations", annotations));
    } else if (action instanceof Action.StartDrain start) {
      patchPod(start.pod(), Map.of(
          "labels", Map.of(Labels.SERVING, "false"),
          "annotations", Map.of(
              Labels.DRAIN_STARTED_ANNOTATION, start.at().toString(),
              Labels.POD_DELETION_COST_ANNOTATION, Labels.DRAINING_POD_DELETION_COST)));
    } else if (action instanceof Action.SignalPod signal) {
      signal(app, signal);
      return;
    } else if (action instanceof Action.FinishDrain finish) {
      patchPod(finish.pod(), Map.of("annotations", Map.of(
          Labels.DRAIN_FINISHED_ANNOTATION, finish.outcome() + " " + finish.at(),
          Labels.POD_DELETION_COST_ANNOTATION, Labels.DRAINED_POD_DELETION_COST)));
      Arrays.stream(DrainDecision.Reason.values()).filter(r -> r.reason().equals(finish.outcome())).findFirst()
          .ifPresent(metrics::podDrained);
    } else if (action instanceof Action.DeletePool delete) {
      client.apps().deployments().inNamespace(namespace).withName(delete.deployment()).delete();
    } else if (action instanceof Action.CreateCanary create) {
      client.resource(create.canary()).create();
    } else if (action instanceof Action.UpdateCanaryStatus update) {
      updateCanaryStatus(update);
    } else if (action instanceof Action.ClearCanaryAction clear) {
      clearCanaryAction(clear.canary());
    } else if (action instanceof Action.DeleteCanary delete) {
      client.resources(Canary.class).inNamespace(namespace).withName(delete.name()).delete();
    } else {
      throw new IllegalArgumentException("no executor for " + action);
    }
    events.normal(app, action.reason(), action.describe());
  }

  /**
   * Sends the drain signal and writes the outcome on the pod: the time it succeeded, or one more failure
   * for the backoff. A failure is reported as a Warning Event and retried; the drain's timeout still holds.
   */
  private void signal(Application app, Action.SignalPod signal) {
    Drain drain = app.getSpec().drainOrDefault();
    SignalResult result = signals.signalFor(drain).send(signal.pod(), drain);
    metrics.signalSent(drain, result);
    String now = Instant.now(clock).toString();
    if (result.sent()) {
      patchPod(signal.pod(), Map.of("annotations", Map.of(Labels.DRAIN_SIGNALLED_ANNOTATION, now)));
      events.normal(app, signal.reason(), signal.describe() + ": " + result.message());
    } else {
      patchPod(signal.pod(), Map.of("annotations", Map.of(
          Labels.DRAIN_SIGNAL_FAILURES_ANNOTATION, String.valueOf(signal.previousFailures() + 1),
          Labels.DRAIN_SIGNAL_FAILED_ANNOTATION, now)));
      events.warning(app, "DrainSignalFailed", "Could not signal pod " + signal.pod().getMetadata().getName()
          + " (attempt " + (signal.previousFailures() + 1) + "): " + result.message());
    }
  }

  /**
   * Writes the split on the route. A refusal the planner could not foresee (the API rejects the edited route, the
   * route vanished in between) is a Warning Event and a failed reconcile, so JOSDK retries it with backoff instead
   * of the immediate re-read that follows a route write; the release step waits meanwhile.
   */
  private void setTrafficSplit(Application app, Action.SetTrafficSplit set) {
    try {
      if (routes.apply(set.backends(), set.split(), set.asRead()).changed()) {
        events.normal(app, set.reason(), set.describe());
      }
    } catch (TrafficRoutingException e) {
      events.warning(app, RouteEdit.Problem.REASON, e.getMessage());
      throw e;
    }
  }

  private void patchPod(Pod pod, Map<String, Object> metadata) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata", metadata)));
  }

  /** A PUT of the status with the resourceVersion it was planned from: a stale plan gets 409 and is redone. */
  private void updateCanaryStatus(Action.UpdateCanaryStatus update) {
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder(update.canary().getMetadata()).build());
    canary.setSpec(update.canary().getSpec());
    canary.setStatus(update.status());
    client.resource(canary).updateStatus();
  }

  /**
   * Removes the action annotation with a JSON patch that first tests its value, so an action a user set
   * after the one Baton handled is not lost: the patch then fails and the next reconcile takes it.
   */
  private void clearCanaryAction(Canary canary) {
    String path = "/metadata/annotations/" + Canary.ACTION_ANNOTATION.replace("~", "~0").replace("/", "~1");
    String value = canary.getMetadata().getAnnotations().get(Canary.ACTION_ANNOTATION);
    client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace()).withName(canary.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
            Map.of("op", "test", "path", path, "value", value),
            Map.of("op", "remove", "path", path))));
  }

  private void mergePatchService(String namespace, Service desired) {
    Map<String, Object> patch = Map.of("spec", Map.of(
        "type", desired.getSpec().getType(),
        "selector", desired.getSpec().getSelector(),
        "ports", desired.getSpec().getPorts()));
    client.services().inNamespace(namespace).withName(desired.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }
}
