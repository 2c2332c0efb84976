package dev.baton.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reference pages in docs/reference/ are generated from the CRDs, so every field is documented with
 * the description its API class carries. Run with {@code -Dbaton.updateDocs=true} to rewrite them.
 */
class ReferenceDocsTest {

  @ParameterizedTest
  @CsvSource({"applications.baton.dev-v1.yml, application.md", "canaries.baton.dev-v1.yml, canary.md"})
  void referencePageMatchesTheCrd(String crd, String page) throws IOException {
    String rendered = CrdReference.render(Files.readString(Path.of("../crds", crd)));
    Path file = Path.of("../docs/reference", page);
    if (Boolean.getBoolean("baton.updateDocs")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, rendered);
    }

    assertThat(file).as("docs/reference/%s is out of date: run ./mvnw -B verify -Dbaton.updateDocs=true", page)
        .exists().hasContent(rendered);
  }

  @ParameterizedTest
  @CsvSource({"applications.baton.dev-v1.yml", "canaries.baton.dev-v1.yml"})
  void everyFieldHasADescription(String crd) throws IOException {
    String rendered = CrdReference.render(Files.readString(Path.of("../crds", crd)));

    assertThat(rendered.lines().filter(line -> line.startsWith("| `")))
        .allSatisfy(row -> assertThat(row.split(" \\| ")[3].trim()).as(row).isNotBlank());
  }
}
