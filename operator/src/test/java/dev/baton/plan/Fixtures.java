package dev.baton.plan;

import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import dev.baton.api.ApplicationSpec;
import dev.baton.observe.ApplicationSnapshot;
import dev.baton.resources.PoolFactory;
import dev.baton.resources.ServiceFactory;
import dev.baton.resources.Labels;
import dev.baton.traffic.ObservedTraffic;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /** A pod of a pool, serving, created {@code age} minutes before the others (older first). */
  static Pod pod(String name, String version, boolean ready, int index) {
    return new PodBuilder()
        .withNewMetadata()
          .withName(name).withNamespace("realtime")
          .withCreationTimestamp(NOW.minusSeconds(3600 - index * 60L).toString())
          .withLabels(Map.of(Labels.APPLICATION, "chat", Labels.POOL_VERSION, version, Labels.SERVING, "true"))
        .endMetadata()
        .withNewStatus()
          .withPhase("Running")
          .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus()
        .build();
  }

  /** The pod with drain annotations, as Baton writes them. */
  static Pod draining(Pod pod, Map<String, String> annotations) {
    return new PodBuilder(pod)
        .editMetadata().addToLabels(Labels.SERVING, "false").addToAnnotations(annotations).endMetadata()
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
    private final Map<String, Service> services = new HashMap<>();
    private HTTPRoute route;
    private final List<ApplicationSnapshot.Conflict> conflicts = new java.util.ArrayList<>();
    private final Map<String, dev.baton.api.Canary> canaries = new HashMap<>();
    private final Map<String, List<Pod>> pods = new HashMap<>();
    private final Map<String, dev.baton.drain.WatchResult> connections = new HashMap<>();
    private final Map<String, dev.baton.analysis.Measurement> measurements = new HashMap<>();

    Snapshot(Application app) {
      this.app = app;
    }

    /** A pool and its pods as the kubelet reports them: the Deployment's ready count of them Ready. */
    Snapshot withPool(String version, Deployment deployment) {
      pools.put(version, deployment);
      int replicas = deployment.getStatus().getReplicas();
      int ready = deployment.getStatus().getReadyReplicas();
      List<Pod> poolPods = new java.util.ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        poolPods.add(pod(deployment.getMetadata().getName() + "-" + i, version, i < ready, i));
      }
      pods.put(version, poolPods);
      return this;
    }

    /** Replaces a pool's pods, e.g. with some draining. */
    Snapshot withPods(String version, List<Pod> poolPods) {
      pods.put(version, poolPods);
      return this;
    }

    Snapshot withMeasurement(String canary, dev.baton.analysis.Measurement measurement) {
      measurements.put(canary, measurement);
      return this;
    }

    Snapshot withConnections(String pod, long count) {
      connections.put(pod, new dev.baton.drain.WatchResult.Count(count));
      return this;
    }

    Snapshot withStableService() {
      return withService(ServiceFactory.stable(app));
    }

    Snapshot withService(Service service) {
      services.put(service.getMetadata().getName(), service);
      return this;
    }

    /** The user's HTTPRoute as the API returns it (a Gateway API Application reads it every reconcile). */
    Snapshot withRoute(HTTPRoute route) {
      this.route = route;
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
      return new ApplicationSnapshot(app, pools, services, budgets, canaries, pods, connections,
          measurements, conflicts, ObservedTraffic.of(route));
    }

    Plan plan() {
      return ApplicationPlanner.plan(build(), NOW);
    }
  }
}
