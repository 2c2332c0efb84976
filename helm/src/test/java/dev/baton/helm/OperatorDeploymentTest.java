package dev.baton.helm;

import static dev.baton.helm.BatonChart.NAMESPACE;
import static dev.baton.helm.BatonChart.render;
import static dev.baton.helm.BatonChart.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.helm.BatonChart.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator's Deployment: restricted Pod Security, probes, the `run` command's options, HA. */
class OperatorDeploymentTest {

  private static Deployment deployment(Map<String, Object> values) {
    return render(values).one(Deployment.class);
  }

  private static Container operator(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void podAndContainerFollowTheRestrictedProfile() {
    PodSpec pod = deployment(values()).getSpec().getTemplate().getSpec();

    // the pod: non-root, uid 65532 (the image's user), the runtime's default seccomp profile
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // the operator needs its token to talk to the API server
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    assertThat(pod.getHostNetwork()).isNull();
    assertThat(pod.getHostPID()).isNull();
    // the container: no escalation, no capabilities, read-only root
    assertThat(pod.getContainers()).singleElement().satisfies(container -> {
      var security = container.getSecurityContext();
      assertThat(security.getAllowPrivilegeEscalation()).isFalse();
      assertThat(security.getReadOnlyRootFilesystem()).isTrue();
      assertThat(security.getRunAsNonRoot()).isTrue();
      assertThat(security.getRunAsUser()).isEqualTo(65532L);
      assertThat(security.getPrivileged()).isNull();
      assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    });
  }

  @Test
  void theJvmGetsAWritableTmpOnAReadOnlyRoot() {
    Deployment deployment = deployment(values());

    assertThat(operator(deployment).getVolumeMounts())
        .anySatisfy(mount -> {
          assertThat(mount.getMountPath()).isEqualTo("/tmp");
          assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
              .anySatisfy(volume -> {
                assertThat(volume.getName()).isEqualTo(mount.getName());
                assertThat(volume.getEmptyDir()).isNotNull();
              });
        });
  }

  @Test
  void probesUseHealthzAndReadyzOnTheEndpointsPort() {
    Container container = operator(deployment(values("endpoints.port", 9090)));

    assertThat(container.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http-metrics");
      assertThat(port.getContainerPort()).isEqualTo(9090);
    });
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http-metrics");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http-metrics");
    assertThat(container.getArgs()).contains("--endpoints-port=9090");
  }

  @Test
  void argsRunTheOperatorWithLeaderElectionInTheReleaseNamespace() {
    Container container = operator(deployment(values()));

    assertThat(container.getArgs()).containsExactly(
        "run", "--endpoints-port=8080", "--leader-election", "--lease-namespace=" + NAMESPACE);
    // the image's ENTRYPOINT is `java -jar /app/baton.jar`: the chart never overrides it
    assertThat(container.getCommand()).isNullOrEmpty();
  }

  @Test
  void namespaceScopeWatchesOnlyTheWatchedNamespace() {
    Container container = operator(deployment(values("rbac.scope", "namespace", "rbac.watchNamespace", "realtime")));

    assertThat(container.getArgs()).contains("--namespace=realtime", "--lease-namespace=" + NAMESPACE);
  }

  @Test
  void clusterScopeWatchesEveryNamespace() {
    assertThat(operator(deployment(values())).getArgs()).noneMatch(arg -> arg.startsWith("--namespace"));
  }

  @Test
  void leaderElectionCanBeTurnedOffForASingleReplica() {
    Container container = operator(deployment(values("replicaCount", 1, "leaderElection.enabled", false)));

    assertThat(container.getArgs()).contains("--no-leader-election").noneMatch(arg -> arg.startsWith("--lease-namespace"));
  }

  @Test
  void imageDefaultsToTheChartsAppVersion() {
    Container container = operator(deployment(values()));

    assertThat(container.getImage()).isEqualTo("ghcr.io/baton-dev/baton:0.1.0");
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
  }

  @Test
  void imageRepositoryTagAndPullSecretsAreValues() {
    Deployment deployment = deployment(values("image.repository", "registry.example.com/baton", "image.tag", "0.2.0",
        "image.pullPolicy", "Always", "imagePullSecrets", List.of(Map.of("name", "regcred"))));

    assertThat(operator(deployment).getImage()).isEqualTo("registry.example.com/baton:0.2.0");
    assertThat(operator(deployment).getImagePullPolicy()).isEqualTo("Always");
    assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets())
        .extracting(ref -> ref.getName()).containsExactly("regcred");
  }

  @Test
  void resourcesAndHeapFollowTheMemoryLimit() {
    Container container = operator(deployment(values()));

    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("512Mi"));
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75"));
  }

  @Test
  void twoReplicasSpreadOverNodesWithABudget() {
    Rendered chart = render(values());
    Deployment deployment = chart.one(Deployment.class);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    List<WeightedPodAffinityTerm> spread = deployment.getSpec().getTemplate().getSpec().getAffinity()
        .getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(spread).singleElement().satisfies(term -> {
      assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
      assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
          .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    });
    PodDisruptionBudget budget = chart.one(PodDisruptionBudget.class);
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void oneReplicaGetsNoDisruptionBudget() {
    assertThat(render(values("replicaCount", 1)).all(PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void theServiceAccountIsConfigurable() {
    Rendered chart = render(values("serviceAccount.name", "baton-operator",
        "serviceAccount.annotations", Map.of("iam.gke.io/gcp-service-account", "baton@example.iam.gserviceaccount.com")));

    ServiceAccount account = chart.one(ServiceAccount.class);
    assertThat(account.getMetadata().getName()).isEqualTo("baton-operator");
    assertThat(account.getMetadata().getAnnotations()).containsKey("iam.gke.io/gcp-service-account");
    assertThat(chart.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("baton-operator");
  }

  @Test
  void anExistingServiceAccountIsUsedWithoutCreatingOne() {
    Rendered chart = render(values("serviceAccount.create", false, "serviceAccount.name", "platform-baton"));

    assertThat(chart.all(ServiceAccount.class)).isEmpty();
    assertThat(chart.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("platform-baton");
  }

  @Test
  void namesCarryTheReleaseUnlessItAlreadySaysBaton() {
    assertThat(render("prod", values()).one(Deployment.class).getMetadata().getName()).isEqualTo("prod-baton");
    assertThat(render("baton", values()).one(Deployment.class).getMetadata().getName()).isEqualTo("baton");
  }

  @ParameterizedTest
  @MethodSource("dev.baton.helm.RbacTest#documentedCombinations")
  void everyObjectCarriesTheStandardLabels(Map<String, Object> values) {
    Rendered chart = render(values);

    assertThat(chart.objects()).isNotEmpty().allSatisfy(object -> assertThat(object.getMetadata().getLabels())
        .as("labels of %s %s", object.getKind(), object.getMetadata().getName())
        .containsEntry("app.kubernetes.io/name", "baton")
        .containsEntry("app.kubernetes.io/instance", "baton")
        .containsEntry("app.kubernetes.io/version", "0.1.0")
        .containsEntry("app.kubernetes.io/managed-by", "Helm")
        .containsEntry("app.kubernetes.io/part-of", "baton")
        .containsEntry("helm.sh/chart", "baton-0.1.0"));
    assertThat(chart.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "baton").containsEntry("app.kubernetes.io/part-of", "baton");
  }

  @ParameterizedTest
  @MethodSource("dev.baton.helm.RbacTest#documentedCombinations")
  void namespacedObjectsGoToTheReleaseNamespaceOrTheWatchedOne(Map<String, Object> values) {
    Rendered chart = render(values);

    assertThat(chart.objects())
        .filteredOn(object -> !object.getKind().startsWith("Cluster"))
        .extracting(HasMetadata::getMetadata)
        .allSatisfy(metadata -> assertThat(metadata.getNamespace()).isIn(NAMESPACE, "realtime"));
  }
}
