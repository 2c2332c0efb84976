package dev.baton.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/argocd/argocd-cm.yaml}, the patch users merge into Argo CD's {@code argocd-cm}, carries the
 * Lua scripts of {@code docs/argocd/} exactly, in the keys and nesting Argo CD reads. It is generated from
 * them: run with {@code -Dbaton.updateDocs=true} after changing a script.
 */
class ArgoCdConfigTest {

  static final Path PATCH = ArgoCdLua.SCRIPTS.resolve("argocd-cm.yaml");
  static final List<String> ACTIONS = List.of("promote", "promote-full", "pause", "resume", "abort", "retry");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void patchIsGeneratedFromTheScripts() throws IOException {
    String generated = generate();
    if (Boolean.getBoolean("baton.updateDocs")) {
      Files.writeString(PATCH, generated);
    }

    assertThat(PATCH).as("docs/argocd/argocd-cm.yaml is out of date: run ./mvnw -B verify -Dbaton.updateDocs=true")
        .exists().hasContent(generated);
  }

  @Test
  @SuppressWarnings("unchecked")
  void argoCdFindsEachScriptUnderItsKey() throws IOException {
    Map<String, Object> patch = SERIALIZATION.unmarshal(Files.readString(PATCH), Map.class);
    Map<String, String> data = (Map<String, String>) patch.get("data");

    assertThat(data.get("resource.customizations.health.baton.dev_Application")).isEqualTo(script("health-application.lua"));
    assertThat(data.get("resource.customizations.health.baton.dev_Canary")).isEqualTo(script("health-canary.lua"));
    // the actions key holds YAML itself: discovery.lua and one definition per action
    Map<String, Object> actions = SERIALIZATION.unmarshal(data.get("resource.customizations.actions.baton.dev_Canary"),
        Map.class);
    assertThat(actions.get("discovery.lua")).isEqualTo(script("canary-actions/discovery.lua"));
    List<Map<String, String>> definitions = (List<Map<String, String>>) actions.get("definitions");
    assertThat(definitions).extracting(d -> d.get("name")).containsExactlyElementsOf(ACTIONS);
    for (Map<String, String> definition : definitions) {
      assertThat(definition.get("action.lua")).isEqualTo(script("canary-actions/" + definition.get("name") + ".lua"));
    }
  }

  private static String generate() throws IOException {
    StringBuilder yaml = new StringBuilder("""
        # Baton's health checks and Canary actions for Argo CD. Merge them into the argocd-cm ConfigMap:
        #   kubectl patch configmap argocd-cm -n argocd --type merge --patch-file docs/argocd/argocd-cm.yaml
        # Generated from the .lua files beside it (ArgoCdConfigTest): edit those, then run
        #   ./mvnw -B verify -Dbaton.updateDocs=true
        data:
        """);
    yaml.append("  resource.customizations.health.baton.dev_Application: |\n")
        .append(indent(script("health-application.lua"), 4));
    yaml.append("  resource.customizations.health.baton.dev_Canary: |\n")
        .append(indent(script("health-canary.lua"), 4));
    yaml.append("  resource.customizations.actions.baton.dev_Canary: |\n")
        .append("    discovery.lua: |\n")
        .append(indent(script("canary-actions/discovery.lua"), 6))
        .append("    definitions:\n");
    for (String action : ACTIONS) {
      yaml.append("    - name: ").append(action).append('\n')
          .append("      action.lua: |\n")
          .append(indent(script("canary-actions/" + action + ".lua"), 8));
    }
    return yaml.toString();
  }

  private static String script(String name) throws IOException {
    return Files.readString(ArgoCdLua.SCRIPTS.resolve(name));
  }

  /** Lines indented for a YAML literal block; blank lines stay empty, as YAML keeps them. */
  private static String indent(String text, int spaces) {
    StringBuilder indented = new StringBuilder();
    text.lines().forEach(line -> indented.append(line.isEmpty() ? "" : " ".repeat(spaces) + line).append('\n'));
    return indented.toString();
  }
}
