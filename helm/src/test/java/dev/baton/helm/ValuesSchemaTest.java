package dev.baton.helm;

import static dev.baton.helm.BatonChart.render;
import static dev.baton.helm.BatonChart.renderFailure;
import static dev.baton.helm.BatonChart.values;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** values.schema.json refuses values Baton cannot honour, and the message names the value. */
class ValuesSchemaTest {

  @Test
  void refusesAnUnknownRbacScope() {
    assertThat(renderFailure(values("rbac.scope", "galaxy")))
        .contains("/rbac/scope").contains("'cluster', 'namespace'");
  }

  @Test
  void refusesZeroReplicas() {
    assertThat(renderFailure(values("replicaCount", 0)))
        .contains("/replicaCount").contains("minimum");
  }

  @Test
  void refusesAnUnknownTopLevelValue() {
    assertThat(renderFailure(values("replicas", 3)))
        .contains("additional properties 'replicas' not allowed");
  }

  @Test
  void refusesAMisspeltNestedValue() {
    assertThat(renderFailure(values("drain.execSignal.enable", true)))
        .contains("/drain/execSignal").contains("'enable' not allowed");
  }

  @Test
  void refusesAnUnknownPullPolicy() {
    assertThat(renderFailure(values("image.pullPolicy", "Sometimes")))
        .contains("/image/pullPolicy").contains("IfNotPresent");
  }

  @Test
  void refusesTheLatestTag() {
    // Baton itself refuses `latest` in Applications: its own image follows the same rule.
    assertThat(renderFailure(values("image.tag", "latest"))).contains("/image/tag");
  }

  @Test
  void refusesAStringWhereANumberIsNeeded() {
    assertThat(renderFailure(values("endpoints.port", "http")))
        .contains("/endpoints/port");
  }

  @Test
  void acceptsTheDefaults() {
    assertThat(render(values()).objects()).isNotEmpty();
  }
}
