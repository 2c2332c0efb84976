package dev.baton.reconciler;

import dev.baton.api.Application;
import dev.baton.plan.Action;
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
    } else {
      throw new IllegalArgumentException("no executor for " + action);
    }
    events.normal(app, action.reason(), action.describe());
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
