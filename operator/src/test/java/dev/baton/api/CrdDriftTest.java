package dev.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRDs users install (crds/, the Helm chart) are exactly what the API classes generate. */
class CrdDriftTest {

  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  static final Path COMMITTED = Path.of("../crds");

  static Stream<String> crdFiles() throws IOException {
    try (Stream<Path> files = Files.list(GENERATED)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-v1.yml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("crdFiles")
  void committedCrdEqualsTheGeneratedOne(String file) throws IOException {
    assertThat(COMMITTED.resolve(file))
        .as("crds/%s is out of date: run ./mvnw -B -pl operator -am process-classes"
            + " && cp operator/target/classes/META-INF/fabric8/*-v1.yml crds/", file)
        .exists()
        .hasContent(Files.readString(GENERATED.resolve(file)));
  }

  @org.junit.jupiter.api.Test
  void everyCommittedCrdIsStillGenerated() throws IOException {
    try (Stream<Path> committed = Files.list(COMMITTED)) {
      assertThat(committed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).toList())
          .as("crds/ holds a CRD no API class generates any more")
          .containsExactlyInAnyOrderElementsOf(crdFiles().toList());
    }
  }
}
