package dev.baton.helm;

import static dev.baton.helm.BatonChart.NAMESPACE;
import static dev.baton.helm.BatonChart.render;
import static dev.baton.helm.BatonChart.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.helm.BatonChart.Rendered;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the operator's ServiceAccount may do: exactly what Baton uses, nothing broader. */
class RbacTest {

  /** Every grant Baton needs with the default values, as "group/resource" to verbs ("" is the core group). */
  private static final Map<String, List<String>> DEFAULT_GRANTS = Map.ofEntries(
      Map.entry("baton.dev/applications", List.of("get", "list", "watch", "create", "update", "patch", "delete")),
      Map.entry("baton.dev/canaries", List.of("get", "list", "watch", "create", "update", "patch", "delete")),
      Map.entry("baton.dev/applications/status", List.of("get", "update", "patch")),
      Map.entry("baton.dev/canaries/status", List.of("get", "update", "patch")),
      Map.entry("apps/deployments", List.of("get", "list", "watch", "create", "update", "patch", "delete")),
      Map.entry("/services", List.of("get", "list", "watch", "create", "update", "patch", "delete")),
      Map.entry("/pods", List.of("get", "list", "watch", "patch")),
      Map.entry("/events", List.of("create", "patch")),
      Map.entry("events.k8s.io/events", List.of("create", "patch")),
      Map.entry("policy/poddisruptionbudgets", List.of("get", "list", "watch", "create", "update", "patch", "delete")),
      Map.entry("gateway.networking.k8s.io/httproutes", List.of("get", "patch")));

  static Stream<Map<String, Object>> documentedCombinations() {
    return ChartLintTest.documentedCombinations().map(c -> c.values());
  }

  @Test
  void clusterRoleGrantsExactlyTheVerbsBatonUses() {
    // given the default values, when rendered
    Rendered chart = render(values());

    // then one ClusterRole holds exactly Baton's grants, and no namespaced Role duplicates them
    assertThat(grants(chart.one(ClusterRole.class).getRules())).isEqualTo(new TreeMap<>(DEFAULT_GRANTS));
    assertThat(chart.all(Role.class)).extracting(r -> r.getMetadata().getName()).containsExactly("baton-leader-election");
  }

  @Test
  void clusterRoleIsBoundToTheOperatorServiceAccount() {
    Rendered chart = render(values());

    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class);

    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(chart.one(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects()).extracting(Subject::getKind, Subject::getName, Subject::getNamespace)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ServiceAccount", "baton", NAMESPACE));
  }

  @ParameterizedTest
  @MethodSource("documentedCombinations")
  void noRuleUsesAWildcardOrTouchesSecrets(Map<String, Object> values) {
    Rendered chart = render(values);

    List<PolicyRule> rules = Stream.concat(
        chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
        chart.all(Role.class).stream().flatMap(r -> r.getRules().stream())).toList();

    assertThat(rules).isNotEmpty().allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*", "secrets").noneMatch(r -> r.startsWith("secrets/"));
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      assertThat(rule.getResourceNames()).isNullOrEmpty();
    });
  }

  @Test
  void podsExecIsGrantedOnlyWhenTheExecSignalIsEnabled() {
    // given the default values, then no exec
    assertThat(grants(render(values()).one(ClusterRole.class).getRules())).doesNotContainKey("/pods/exec");

    // given the exec drain signal, then exec and nothing else more
    Map<String, List<String>> withExec = grants(render(values("drain.execSignal.enabled", true)).one(ClusterRole.class).getRules());

    // WebSocket exec is an HTTP GET: `get` before Kubernetes 1.35, `create` as well from 1.35 on (KEP-4006).
    assertThat(withExec).containsEntry("/pods/exec", List.of("get", "create"));
    withExec.remove("/pods/exec");
    assertThat(withExec).isEqualTo(new TreeMap<>(DEFAULT_GRANTS));
  }

  @Test
  void httpRoutesAreGrantedOnlyWithGatewayApi() {
    Map<String, List<String>> withoutGatewayApi = grants(render(values("gatewayAPI.enabled", false)).one(ClusterRole.class).getRules());

    Map<String, List<String>> expected = new TreeMap<>(DEFAULT_GRANTS);
    expected.remove("gateway.networking.k8s.io/httproutes");
    assertThat(withoutGatewayApi).isEqualTo(expected);
  }

  @Test
  void namespaceScopeGrantsTheSameRulesInARoleInTheWatchedNamespace() {
    // given a namespace-scoped install watching "realtime"
    Rendered chart = render(values("rbac.scope", "namespace", "rbac.watchNamespace", "realtime"));

    // then no cluster-wide grant at all
    assertThat(chart.all(ClusterRole.class)).isEmpty();
    assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
    // and Baton's rules in a Role in "realtime", bound to the ServiceAccount in the release namespace
    Role role = chart.named(Role.class, "baton");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("realtime");
    assertThat(grants(role.getRules())).isEqualTo(new TreeMap<>(DEFAULT_GRANTS));
    RoleBinding binding = chart.named(RoleBinding.class, "baton");
    assertThat(binding.getMetadata().getNamespace()).isEqualTo("realtime");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NAMESPACE));
  }

  @Test
  void namespaceScopeWatchesTheReleaseNamespaceByDefault() {
    Rendered chart = render(values("rbac.scope", "namespace"));

    assertThat(chart.named(Role.class, "baton").getMetadata().getNamespace()).isEqualTo(NAMESPACE);
  }

  @ParameterizedTest
  @MethodSource("documentedCombinations")
  void leasesAreGrantedOnlyInTheReleaseNamespace(Map<String, Object> values) {
    Rendered chart = render(values);

    Role leaderElection = chart.named(Role.class, "baton-leader-election");
    assertThat(leaderElection.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(grants(leaderElection.getRules()))
        .isEqualTo(Map.of("coordination.k8s.io/leases", List.of("get", "create", "update")));
    assertThat(chart.named(RoleBinding.class, "baton-leader-election").getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    // and never cluster-wide, where it could take other controllers' leader locks
    assertThat(chart.all(ClusterRole.class)).flatExtracting(ClusterRole::getRules)
        .noneMatch(rule -> rule.getResources().contains("leases"));
  }

  /** Rules flattened to "group/resource" → verbs, failing on a resource granted twice (a merge would hide it). */
  static Map<String, List<String>> grants(List<PolicyRule> rules) {
    Map<String, List<String>> grants = new TreeMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          List<String> previous = grants.put(group + "/" + resource, rule.getVerbs());
          assertThat(previous).as("%s/%s granted by two rules", group, resource).isNull();
        }
      }
    }
    return grants;
  }
}
