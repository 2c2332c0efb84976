package dev.baton.helm;

import static dev.baton.helm.BatonChart.CHART;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every value a user can set is explained where they look: a `# --` comment in values.yaml (the
 * helm-docs convention), a type in values.schema.json, a row in the chart's README.
 */
class ValuesDocumentationTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * Dotted paths of the values a user sets. Maps are descended into unless empty ({} is a value) or
   * documented as a whole (helm-docs: a `# --` comment on a map, such as `resources`, covers its keys).
   */
  private static List<String> leafValues() throws IOException {
    Map<String, Object> defaults = SERIALIZATION.unmarshal(Files.readString(CHART.resolve("values.yaml")), Map.class);
    return leafValues(defaults, "", Files.readAllLines(CHART.resolve("values.yaml")));
  }

  @SuppressWarnings("unchecked")
  private static List<String> leafValues(Map<String, Object> values, String prefix, List<String> lines) {
    List<String> leaves = new ArrayList<>();
    values.forEach((key, value) -> {
      String path = prefix + key;
      if (value instanceof Map<?, ?> map && !map.isEmpty() && !documented(lines, path)) {
        leaves.addAll(leafValues((Map<String, Object>) map, path + ".", lines));
      } else {
        leaves.add(path);
      }
    });
    return leaves;
  }

  /** Whether the comment block right above the path's key starts with "# --". */
  private static boolean documented(List<String> lines, String path) {
    int line = lineOf(lines, path);
    int first = line;
    while (first > 0 && lines.get(first - 1).trim().startsWith("#")) {
      first--;
    }
    return first < line && lines.get(first).trim().startsWith("# --");
  }

  @Test
  void everyValueHasAHelmDocsComment() throws IOException {
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));

    List<String> undocumented = leafValues().stream().filter(path -> !documented(lines, path)).toList();

    assertThat(undocumented).as("values without a `# --` comment in values.yaml").isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyValueIsTypedInTheSchema() throws IOException {
    Map<String, Object> schema = SERIALIZATION.unmarshal(Files.readString(CHART.resolve("values.schema.json")), Map.class);
    List<String> untyped = new ArrayList<>();
    for (String path : leafValues()) {
      Map<String, Object> node = schema;
      for (String key : path.split("\\.")) {
        Map<String, Object> properties = (Map<String, Object>) node.get("properties");
        node = properties == null ? null : (Map<String, Object>) properties.get(key);
        if (node == null) {
          break;
        }
      }
      if (node == null || !(node.containsKey("type") || node.containsKey("$ref"))) {
        untyped.add(path);
      }
    }
    assertThat(untyped).as("values without a type in values.schema.json").isEmpty();
  }

  @Test
  void readmeValuesTableListsEveryValue() throws IOException {
    String readme = Files.readString(CHART.resolve("README.md"));

    assertThat(leafValues()).allSatisfy(path ->
        assertThat(readme).as("README.md row for %s", path).contains("| `" + path + "` |"));
  }

  /** The line of a dotted path's last key, found by walking the keys' indentation in order. */
  private static int lineOf(List<String> lines, String path) {
    int line = -1;
    int indent = 0;
    for (String key : path.split("\\.")) {
      line = find(lines, line + 1, " ".repeat(indent) + key + ":");
      indent += 2;
    }
    return line;
  }

  private static int find(List<String> lines, int from, String prefix) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("values.yaml has no line starting with '" + prefix + "'");
  }
}
