package dev.baton.helm;

import static dev.baton.helm.BatonChart.CHART;
import static dev.baton.helm.BatonChart.REPOSITORY_CRDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRDs the operator generates (the repository's crds/, kept in sync with the API
 * classes by the operator's own test). A copy that drifts would install an older schema than the
 * operator expects, so any difference fails here: copy crds/*.yml into helm/baton/crds/ to fix it.
 */
class CrdSyncTest {

  private static List<Path> yamlFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void chartShipsExactlyTheRepositorysCrdFiles() throws IOException {
    List<String> repository = yamlFiles(REPOSITORY_CRDS).stream().map(p -> p.getFileName().toString()).toList();
    List<String> chart = yamlFiles(CHART.resolve("crds")).stream().map(p -> p.getFileName().toString()).toList();

    assertThat(repository).isNotEmpty();
    assertThat(chart).as("files in helm/baton/crds/").isEqualTo(repository);
    for (String name : repository) {
      assertThat(CHART.resolve("crds").resolve(name))
          .as("helm/baton/crds/%s differs from crds/%s: copy it again", name, name)
          .hasSameTextualContentAs(REPOSITORY_CRDS.resolve(name));
    }
  }

  @Test
  void showCrdsPrintsEachRepositoryCrdUnchanged() throws IOException {
    // when Helm reads the chart's CRDs (what `helm install` creates before the templates)
    String shown = BatonChart.showCrds();

    // then it prints every repository CRD file, in file-name order, each followed by a newline
    String expected = yamlFiles(REPOSITORY_CRDS).stream().map(CrdSyncTest::read).map(text -> text + "\n")
        .collect(Collectors.joining());
    assertThat(shown).isEqualTo(expected);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
