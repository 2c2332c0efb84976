package dev.baton.e2e;

import static org.awaitility.Awaitility.await;

import dev.baton.api.Analysis;
import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.BlueGreenStrategy;
import dev.baton.api.Canary;
import dev.baton.api.CanaryStatus;
import dev.baton.api.CanaryStep;
import dev.baton.api.CanaryStrategy;
import dev.baton.api.CanaryStrategy.StableScaling;
import dev.baton.api.Strategy;
import dev.baton.api.TrafficRouting;
import dev.baton.resources.Labels;
import dev.baton.testing.Applications;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * What a user does and sees during a release, on one namespace of a {@link BatonTestCluster}: create a
 * chat Application, change its image, annotate its Canary, read Canaries, pools, Services and Events.
 */
final class Releases {

  static final String REGISTRY = "registry.example.com/chat:";
  static final Duration PATIENCE = Duration.ofSeconds(90);

  private final BatonTestCluster cluster;
  private final String ns;
  private final String app;

  Releases(BatonTestCluster cluster, String namespace) {
    this(cluster, namespace, "chat");
  }

  /** For an Application created by the test itself (an example file), named {@code application}. */
  Releases(BatonTestCluster cluster, String namespace, String application) {
    this.cluster = cluster;
    this.ns = namespace;
    this.app = application;
  }

  String namespace() {
    return ns;
  }

  KubernetesClient client() {
    return cluster.client();
  }

  /** A canary strategy with the given steps, stable scaling and progress deadline (null: defaults). */
  static Strategy canary(StableScaling scaling, String progressDeadline, CanaryStep... steps) {
    return new Strategy(new CanaryStrategy(List.of(steps), scaling), null, null, progressDeadline);
  }

  /** A blue-green strategy (null: the field's default). */
  static Strategy blueGreen(Boolean previewService, String prePromotionAnalysis, Boolean autoPromote,
      String scaleDownDelay, String progressDeadline) {
    return new Strategy(null, new BlueGreenStrategy(previewService, prePromotionAnalysis, autoPromote, scaleDownDelay),
        null, progressDeadline);
  }

  /** A canary strategy whose weights go on the HTTPRoute {@code httpRoute} (port: the Service's first). */
  static Strategy gatewayCanary(String httpRoute, String progressDeadline, CanaryStep... steps) {
    return new Strategy(new CanaryStrategy(List.of(steps), null), null,
        new TrafficRouting(null, new TrafficRouting.GatewayApi(httpRoute, null)), progressDeadline);
  }

  /** Creates the chat Application at {@code version} and waits until it is Ready: the stable version. */
  Application createReady(String version, int replicas, Strategy strategy) {
    return createReady(version, replicas, strategy, null, null);
  }

  Application createReady(String version, int replicas, Strategy strategy, Integer releaseHistoryLimit) {
    return createReady(version, replicas, strategy, null, releaseHistoryLimit);
  }

  Application createReady(String version, int replicas, Strategy strategy, Analysis analysis,
      Integer releaseHistoryLimit) {
    create(version, replicas, strategy, analysis, releaseHistoryLimit);
    cluster.awaitCondition(ns, app, "Ready", "True");
    await().atMost(PATIENCE).until(() -> version.equals(application().getStatus().stableVersion()));
    return application();
  }

  /** Creates the chat Application at {@code version}, without waiting for anything. */
  void create(String version, int replicas, Strategy strategy, Analysis analysis) {
    create(version, replicas, strategy, analysis, null);
  }

  private void create(String version, int replicas, Strategy strategy, Analysis analysis, Integer releaseHistoryLimit) {
    Application chat = Applications.chat(ns, REGISTRY + version, replicas);
    ApplicationSpec s = chat.getSpec();
    chat.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), strategy, s.drain(), analysis,
        releaseHistoryLimit));
    client().resource(chat).create();
  }

  /**
   * What a user does to release: change the image tag, as
   * {@code kubectl patch application chat --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image",...}]'}
   * (no resourceVersion: the operator writes the status meanwhile, and a user's patch does not conflict with that).
   */
  void release(String version) {
    client().resources(Application.class).inNamespace(ns).withName(app).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + REGISTRY + version
            + "\"}]");
  }

  /** {@code kubectl annotate canary <name> baton.dev/action=<action>}: a merge patch, as kubectl sends. */
  void act(String canary, String action) {
    client().resources(Canary.class).inNamespace(ns).withName(canary).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + Canary.ACTION_ANNOTATION + "\":\"" + action + "\"}}}");
  }

  Application application() {
    return cluster.application(ns, app);
  }

  Canary canary(String name) {
    return client().resources(Canary.class).inNamespace(ns).withName(name).get();
  }

  List<String> canaryNames() {
    return client().resources(Canary.class).inNamespace(ns).list().getItems().stream()
        .map(c -> c.getMetadata().getName()).sorted().toList();
  }

  /** Waits until the Canary's status matches, and returns it. */
  CanaryStatus awaitCanary(String name, Predicate<CanaryStatus> wanted) {
    return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
      Canary canary = canary(name);
      return canary == null ? null : canary.getStatus();
    }, status -> status != null && wanted.test(status));
  }

  Optional<Deployment> pool(String version) {
    return Optional.ofNullable(client().apps().deployments().inNamespace(ns).withName(app + "-" + version).get());
  }

  List<String> poolNames() {
    return client().apps().deployments().inNamespace(ns).list().getItems().stream()
        .map(d -> d.getMetadata().getName()).sorted().toList();
  }

  static int desired(Deployment pool) {
    return pool.getSpec().getReplicas() == null ? 0 : pool.getSpec().getReplicas();
  }

  static int ready(Deployment pool) {
    return pool.getStatus() == null || pool.getStatus().getReadyReplicas() == null ? 0 : pool.getStatus().getReadyReplicas();
  }

  /** Pods of the version that are Ready, as the kubelet reports them. */
  long readyPods(String version) {
    return client().pods().inNamespace(ns).withLabel(Labels.APPLICATION, app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getSpec().getContainers().get(0).getImage().equals(REGISTRY + version))
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .count();
  }

  /** Ready endpoints of the stable Service: the pods that receive new connections, as kube-proxy sees them. */
  int servingEndpoints() {
    return readyEndpointPods(app).size();
  }

  /** The pods behind the ready endpoints of a Service, by name: where kube-proxy sends its new connections. */
  List<String> readyEndpointPods(String service) {
    return client().discovery().v1().endpointSlices().inNamespace(ns)
        .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
        .flatMap(slice -> slice.getEndpoints() == null ? java.util.stream.Stream.empty() : slice.getEndpoints().stream())
        .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))
        .map(e -> e.getTargetRef() == null ? "?" : e.getTargetRef().getName())
        .sorted().toList();
  }

  /** The versions of the pods behind a Service's ready endpoints, one entry per endpoint, sorted. */
  List<String> readyEndpointVersions(String service) {
    return readyEndpointPods(service).stream()
        .map(pod -> Optional.ofNullable(client().pods().inNamespace(ns).withName(pod).get())
            .map(p -> p.getMetadata().getLabels().get(Labels.POOL_VERSION)).orElse("gone:" + pod))
        .sorted().toList();
  }

  Optional<Service> service(String name) {
    return Optional.ofNullable(client().services().inNamespace(ns).withName(name).get());
  }

  /** The version a Service selects ({@code baton.dev/version} in its selector), empty when it selects every version. */
  Optional<String> selectedVersion(String service) {
    return service(service).map(s -> s.getSpec().getSelector()).map(selector -> selector.get(Labels.POOL_VERSION));
  }

  List<String> eventReasons() {
    return client().v1().events().inNamespace(ns).list().getItems().stream().map(Event::getReason).toList();
  }

  /**
   * Every status a Canary of this namespace is seen with, in the order the API's watch delivers them:
   * what {@code kubectl get canaries -w} would print.
   */
  CanaryRecorder recordCanaries() {
    CanaryRecorder recorder = new CanaryRecorder();
    recorder.informer = client().resources(Canary.class).inNamespace(ns).inform(recorder);
    return recorder;
  }

  /** One status of a Canary as it was seen. */
  record Seen(String canary, CanaryStatus status) {
    int step() {
      return status.currentStep() == null ? 0 : status.currentStep();
    }
  }

  static final class CanaryRecorder implements ResourceEventHandler<Canary>, AutoCloseable {
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<Canary> informer;

    List<Seen> of(String canary) {
      return seen.stream().filter(s -> s.canary().equals(canary)).toList();
    }

    /** The distinct (step, stepStartedAt) the Canary went through, in order. */
    List<StepRun> steps(String canary) {
      List<StepRun> runs = new java.util.ArrayList<>();
      for (Seen s : of(canary)) {
        StepRun run = new StepRun(s.step(), s.status().stepStartedAt());
        if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(run)) {
          runs.add(run);
        }
      }
      return runs;
    }

    private void record(Canary canary) {
      if (canary.getStatus() != null) {
        seen.add(new Seen(canary.getMetadata().getName(), canary.getStatus()));
      }
    }

    @Override
    public void onAdd(Canary canary) {
      record(canary);
    }

    @Override
    public void onUpdate(Canary before, Canary after) {
      if (!Objects.equals(before.getStatus(), after.getStatus())) {
        record(after);
      }
    }

    @Override
    public void onDelete(Canary canary, boolean deletedFinalStateUnknown) {}

    @Override
    public void close() {
      informer.close();
    }
  }

  /** One run of a step: its index and when it started. */
  record StepRun(int step, String startedAt) {}
}
