package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart in {@code helm/baton}, driven by real Helm (helm-java embeds Helm's Go library): render it
 * with given values as {@code helm template} would, lint it as {@code helm lint --strict} would.
 */
final class BatonChart {

  /** Surefire runs in the module directory, {@code helm/}. */
  static final Path CHART = Path.of("baton").toAbsolutePath();
  static final Path REPOSITORY_CRDS = Path.of("..", "crds").toAbsolutePath().normalize();
  static final String RELEASE = "baton";
  static final String NAMESPACE = "baton-system";
  /**
   * helm-java's template defaults to Kubernetes 1.20, below the chart's kubeVersion; a real install
   * takes the cluster's version.
   */
  static final String KUBE_VERSION = "1.31.0";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private BatonChart() {
  }

  /** Values as nested maps from dotted paths: {@code values("rbac.scope", "namespace", "replicaCount", 1)}. */
  static Map<String, Object> values(Object... pathsAndValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndValues.length; i += 2) {
      String[] path = ((String) pathsAndValues[i]).split("\\.");
      Map<String, Object> level = values;
      for (int j = 0; j < path.length - 1; j++) {
        level = child(level, path[j]);
      }
      level.put(path[path.length - 1], pathsAndValues[i + 1]);
    }
    return values;
  }

  /** {@code helm template baton helm/baton -n baton-system -f <values>}. */
  static Rendered render(Map<String, Object> values) {
    return render(RELEASE, values);
  }

  static Rendered render(String release, Map<String, Object> values) {
    String yaml = template(release, values).call();
    Object parsed = SERIALIZATION.unmarshal(yaml);
    List<HasMetadata> objects = parsed instanceof List<?> list
        ? list.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast).toList()
        : List.of((HasMetadata) parsed);
    return new Rendered(yaml, objects);
  }

  /** The message Helm fails with when it refuses to render these values. */
  static String renderFailure(Map<String, Object> values) {
    String[] message = new String[1];
    assertThatThrownBy(() -> template(RELEASE, values).call())
        .satisfies(failure -> message[0] = failure.getMessage());
    return message[0];
  }

  /**
   * {@code helm lint --strict} with these values. helm-java's lint takes no values file, so the chart is
   * copied and its values.yaml replaced by the defaults merged with these values: what Helm lints is
   * exactly what {@code -f} would have given it.
   */
  static LintResult lint(Map<String, Object> values) {
    Path copy = copyOfChart();
    try {
      Map<String, Object> merged = SERIALIZATION.unmarshal(Files.readString(CHART.resolve("values.yaml")), Map.class);
      deepMerge(merged, values);
      Files.writeString(copy.resolve("values.yaml"), SERIALIZATION.asYaml(merged));
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code helm show crds helm/baton}. */
  static String showCrds() {
    return new Helm(CHART).show().crds().call();
  }

  private static com.marcnuri.helm.TemplateCommand template(String release, Map<String, Object> values) {
    com.marcnuri.helm.TemplateCommand template = new Helm(CHART).template()
        .withName(release)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    if (!values.isEmpty()) {
      template = template.withValuesFile(write(values));
    }
    return template;
  }

  private static Path write(Map<String, Object> values) {
    try {
      Path file = Files.createTempFile("baton-values-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, SERIALIZATION.asYaml(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path copyOfChart() {
    try {
      Path target = Files.createTempDirectory("baton-chart-").resolve("baton");
      try (Stream<Path> files = Files.walk(CHART)) {
        for (Path source : files.toList()) {
          Path destination = target.resolve(CHART.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(destination);
          } else {
            Files.copy(source, destination);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
    overlay.forEach((key, value) -> {
      if (value instanceof Map<?, ?> map && base.get(key) instanceof Map<?, ?> existing) {
        deepMerge((Map<String, Object>) existing, (Map<String, Object>) map);
      } else {
        base.put(key, value);
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> level, String key) {
    return (Map<String, Object>) level.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
  }

  /** What Helm rendered: the YAML text and the objects in it, typed where fabric8 knows the kind. */
  record Rendered(String yaml, List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size() + ":\n" + yaml);
      }
      return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
      return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in:\n" + yaml));
    }

    List<HasMetadata> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }
  }
}
