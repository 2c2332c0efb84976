package dev.baton.reconciler;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.plan.Action;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
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

  public ActionExecutor(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
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
    } else if (action instanceof Action.CreateDisruptionBudget create) {
      client.policy().v1().podDisruptionBudget().inNamespace(namespace).resource(create.budget()).create();
    } else if (action instanceof Action.DeleteDisruptionBudget delete) {
      client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(delete.name()).delete();
    } else if (action instanceof Action.RetirePool retire) {
      client.apps().deployments().inNamespace(namespace).withName(retire.deployment())
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", Map.of("replicas", 0))));
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
