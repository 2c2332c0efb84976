package dev.baton.helm;

import static dev.baton.helm.BatonChart.lint;
import static dev.baton.helm.BatonChart.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} passes for the defaults and for every combination the docs describe. */
class ChartLintTest {

  /** A named set of values a user is told about in the chart's README and docs/install.md. */
  record Combination(String name, Map<String, Object> values) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Combination> documentedCombinations() {
    return Stream.of(
        new Combination("defaults", values()),
        new Combination("namespace scope", values("rbac.scope", "namespace", "rbac.watchNamespace", "realtime")),
        new Combination("exec drain signal", values("drain.execSignal.enabled", true)),
        new Combination("ServiceMonitor", values("metrics.serviceMonitor.enabled", true,
            "metrics.serviceMonitor.labels", Map.of("release", "prometheus"))),
        new Combination("NetworkPolicy", values("networkPolicy.enabled", true,
            "networkPolicy.apiServer.cidrs", List.of("172.18.0.2/32"))),
        new Combination("no Gateway API", values("gatewayAPI.enabled", false)),
        new Combination("one replica", values("replicaCount", 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentedCombinations")
  void lintPassesStrictly(Combination combination) {
    // when Helm lints the chart with these values, failing on warnings
    LintResult result = lint(combination.values());

    // then nothing is wrong (Helm's [INFO] notes, such as "icon is recommended", are not failures)
    assertThat(result.isFailed()).as("lint of %s: %s", combination, result.getMessages()).isFalse();
    assertThat(result.getMessages()).allMatch(message -> message.startsWith("[INFO]"));
  }

  @Test
  void lintSeesTheValuesItIsGiven() {
    // a guard on the harness above: values that the schema refuses must fail the lint
    LintResult result = lint(values("rbac.scope", "galaxy"));

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("/rbac/scope");
  }
}
