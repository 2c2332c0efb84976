package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.devcluster.validation.BoundCrdValidator;
import dev.baton.devcluster.validation.CrdSchemaValidator;
import dev.baton.devcluster.validation.CustomResourceValidator.Result;
import dev.baton.testing.BatonTestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code examples/} (new files are picked up by themselves) is a valid Application for
 * the generated CRD, schema and CEL rules, with kubectl's strict field validation, and reconciles to
 * Ready on the embedded cluster: an example a user copies works.
 */
@Execution(ExecutionMode.CONCURRENT)
class ExamplesTest {

  static final Path EXAMPLES = Path.of("../examples");
  static final BoundCrdValidator APPLICATIONS =
      CrdSchemaValidator.forCrdYaml(Path.of("../crds/applications.baton.dev-v1.yml"));

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.create();

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
          .sorted().toList().stream();
    }
  }

  @Test
  void theExamplesTheIssuesAskForExist() throws IOException {
    assertThat(examples().map(f -> f.getFileName().toString())).contains("quickstart.yaml", "canary-replica-ratio.yaml",
        "blue-green.yaml", "canary-gateway-api.yaml", "analysis-prometheus.yaml", "drain-http.yaml", "drain-exec.yaml",
        "drain-annotation.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void isValidAgainstTheGeneratedCrdAndItsRules(Path example) throws IOException {
    List<String> applications = documents(example).stream().filter(d -> d.contains("kind: Application")).toList();

    assertThat(applications).as("Applications in %s", example).isNotEmpty();
    for (String application : applications) {
      Result result = APPLICATIONS.validate(application);
      assertThat(result.errors()).as("%s against the CRD", example).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void isAppliedAndBecomesReady(Path example) throws IOException {
    String ns = cluster.newNamespace(example.getFileName().toString().replaceAll("\\.ya?ml$", ""));

    List<HasMetadata> items;
    try (InputStream in = Files.newInputStream(example)) {
      items = cluster.client().load(in).items();
    }
    for (HasMetadata item : items) {
      item.getMetadata().setNamespace(ns);
      cluster.client().resource(item).inNamespace(ns).create();
    }

    List<String> names = items.stream().filter(i -> "Application".equals(i.getKind())).map(i -> i.getMetadata().getName()).toList();
    assertThat(names).isNotEmpty();
    for (String name : names) {
      Condition ready = cluster.awaitCondition(ns, name, "Ready", "True");
      assertThat(ready.getReason()).isEqualTo("PoolReady");
    }
  }

  private static List<String> documents(Path file) {
    try {
      return Arrays.stream(Files.readString(file).split("(?m)^---\\s*$")).filter(d -> !d.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
