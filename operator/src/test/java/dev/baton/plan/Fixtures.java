package dev.baton.plan;

import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import dev.baton.api.ApplicationSpec;
import dev.baton.observe.ApplicationSnapshot;
import dev.baton.resources.PoolFactory;
import dev.baton.resources.ServiceFactory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small builders for planner tables: Applications and the cluster state around them, no API server. */
final class Fixtures {

  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  private Fixtures() {}

  static Application app(String image, int replicas) {
    return app(image, replicas, null);
  }

  static Application app(String image, int replicas, String version) {
    PodTemplateSpec template = new PodTemplateSpecBuilder()
        .withNewSpec()
          .addNewContainer().withName("chat").withImage(image)
            .addNewPort().withName("ws").withContainerPort(8080).endPort()
          .endContainer()
        .endSpec()
        .build();
    return app(new ApplicationSpec(version, replicas, template, null, null, null, null, null));
  }

  static Application app(ApplicationSpec spec) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder()
        .withName("chat").withNamespace("realtime").withUid("uid-chat").withGeneration(1L).build());
    app.setSpec(spec);
    return app;
  }

  static ApplicationSpec withService(ApplicationSpec spec, ApplicationService service) {
    return new ApplicationSpec(spec.version(), spec.replicas(), spec.template(), service, spec.strategy(), spec.drain(),
        spec.analysis(), spec.releaseHistoryLimit());
  }

  /** The pool Baton would create, as the Deployment controller reports it with {@code ready} pods. */
  static Deployment pool(Application app, String version, int replicas, int ready) {
    Deployment desired = PoolFactory.deployment(app, version, replicas);
    return new DeploymentBuilder(desired)
        .editMetadata().withGeneration(1L).endMetadata()
        .withNewStatus()
          .withObservedGeneration(1L)
          .withReplicas(replicas)
          .withUpdatedReplicas(replicas)
          .withReadyReplicas(ready)
          .withAvailableReplicas(ready)
        .endStatus()
        .build();
  }

  static Deployment stalled(Deployment pool) {
    return new DeploymentBuilder(pool)
        .editStatus()
          .addToConditions(new DeploymentConditionBuilder()
              .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
              .withMessage("ReplicaSet \"chat-1.4.2-abc\" has timed out progressing.").build())
        .endStatus()
        .build();
  }

  static Snapshot snapshot(Application app) {
    return new Snapshot(app);
  }

  /** A fluent snapshot for tables. */
  static class Snapshot {
    private final Application app;
    private final Map<String, Deployment> pools = new HashMap<>();
    private final Map<String, PodDisruptionBudget> budgets = new HashMap<>();
    private Service service;
    private final List<ApplicationSnapshot.Conflict> conflicts = new java.util.ArrayList<>();
    private final Map<String, dev.baton.api.Canary> canaries = new HashMap<>();

    Snapshot(Application app) {
      this.app = app;
    }

    Snapshot withPool(String version, Deployment deployment) {
      pools.put(version, deployment);
      return this;
    }

    Snapshot withStableService() {
      service = ServiceFactory.stable(app);
      return this;
    }

    Snapshot withService(Service service) {
      this.service = service;
      return this;
    }

    Snapshot withBudget(String version) {
      budgets.put(version, PoolFactory.disruptionBudget(app, version));
      return this;
    }

    Snapshot withCanary(dev.baton.api.Canary canary) {
      canaries.put(canary.getMetadata().getName(), canary);
      return this;
    }

    Snapshot withConflict(String kind, String name, String owner) {
      conflicts.add(new ApplicationSnapshot.Conflict(kind, name, owner));
      return this;
    }

    ApplicationSnapshot build() {
      return new ApplicationSnapshot(app, pools, Optional.ofNullable(service), budgets, canaries, conflicts);
    }

    Plan plan() {
      return ApplicationPlanner.plan(build(), NOW);
    }
  }
}
