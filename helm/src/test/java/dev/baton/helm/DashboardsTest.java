package dev.baton.helm;

import static dev.baton.helm.BatonChart.CHART;
import static dev.baton.helm.BatonChart.render;
import static dev.baton.helm.BatonChart.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import dev.baton.helm.BatonChart.Rendered;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard ConfigMap for Grafana's dashboard sidecar. The dashboard's queries are checked
 * against Baton's metrics by the operator module's DashboardTest; here, that the chart ships it unchanged.
 */
class DashboardsTest {

  @Test
  void noDashboardUnlessAsked() {
    assertThat(render(values()).all(ConfigMap.class)).isEmpty();
  }

  @Test
  void dashboardConfigMapCarriesTheDashboardFileUnchangedWithTheSidecarLabel() throws IOException {
    Rendered chart = render(values("dashboards.enabled", true));

    ConfigMap dashboards = chart.named(ConfigMap.class, "baton-dashboards");
    assertThat(dashboards.getMetadata().getNamespace()).isEqualTo(BatonChart.NAMESPACE);
    assertThat(dashboards.getMetadata().getLabels())
        .containsEntry("grafana_dashboard", "1")
        .containsEntry("app.kubernetes.io/name", "baton");
    // Helm must not have read Grafana's {{result}} legends as templates
    assertThat(dashboards.getData().get("baton.json"))
        .isEqualTo(Files.readString(CHART.resolve("dashboards/baton.json")).stripTrailing())
        .contains("{{result}}");
  }

  @Test
  void dashboardGoesToGrafanasNamespaceWithItsLabelsAndFolderAnnotation() {
    Rendered chart = render(values("dashboards.enabled", true, "dashboards.namespace", "monitoring",
        "dashboards.labels", Map.of("grafana_dashboard", "baton"), "dashboards.annotations", Map.of("grafana_folder", "Baton")));

    ConfigMap dashboards = chart.named(ConfigMap.class, "baton-dashboards");
    assertThat(dashboards.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "baton");
    assertThat(dashboards.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Baton");
  }

  @Test
  void chartWithTheDashboardLintsClean() {
    LintResult lint = BatonChart.lint(values("dashboards.enabled", true));

    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
  }
}
