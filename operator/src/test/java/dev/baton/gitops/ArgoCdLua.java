package dev.baton.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Argo CD Lua scripts in {@code docs/argocd/} with a real Lua interpreter, the way Argo CD does:
 * the object as the global {@code obj} (a Lua table made from the object's JSON, arrays 1-indexed), the
 * script's return value as the result.
 *
 * <p>Argo CD runs gopher-lua, a Lua 5.1, and may run action scripts without the standard libraries
 * (argoproj/argo-cd#18296). So every script runs under both Debian's {@code lua5.1} and {@code lua5.4},
 * in an environment with only {@code obj}, {@code ipairs}, {@code pairs}, {@code tostring}, {@code tonumber}
 * and {@code type}: a script that used anything else would fail here, not in a user's Argo CD.
 */
final class ArgoCdLua {

  static final Path SCRIPTS = Path.of("../docs/argocd");
  static final List<String> INTERPRETERS = List.of("/usr/bin/lua5.1", "/usr/bin/lua5.4");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ArgoCdLua() {}

  /** What a health script returned. */
  record Health(String status, String message) {}

  /** Runs a health script on {@code object} under {@code interpreter}. */
  static Health health(String interpreter, String script, HasMetadata object) {
    List<String> lines = run(interpreter, script, object, """
        print(result.status)
        print(result.message)
        """);
    assertThat(lines).as("status and message").hasSize(2);
    return new Health(lines.get(0), lines.get(1));
  }

  /** Runs an action script and returns the annotations of the object it returned. */
  static Map<String, String> actionAnnotations(String interpreter, String script, HasMetadata object) {
    List<String> lines = run(interpreter, script, object, """
        local names = {}
        for name in pairs(result.metadata.annotations) do names[#names + 1] = name end
        table.sort(names)
        for _, name in ipairs(names) do print(name .. "=" .. result.metadata.annotations[name]) end
        """);
    Map<String, String> annotations = new java.util.TreeMap<>();
    lines.forEach(line -> annotations.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
    return annotations;
  }

  /** Runs the discovery script and returns each action with whether it is enabled. */
  static Map<String, Boolean> discover(String interpreter, HasMetadata object) {
    List<String> lines = run(interpreter, "canary-actions/discovery.lua", object, """
        local names = {}
        for name in pairs(result) do names[#names + 1] = name end
        table.sort(names)
        for _, name in ipairs(names) do print(name .. "=" .. tostring(not result[name].disabled)) end
        """);
    Map<String, Boolean> actions = new java.util.TreeMap<>();
    lines.forEach(line -> actions.put(line.substring(0, line.indexOf('=')),
        Boolean.parseBoolean(line.substring(line.indexOf('=') + 1))));
    return actions;
  }

  private static List<String> run(String interpreter, String script, HasMetadata object, String printResult) {
    assertThat(Path.of(interpreter))
        .as("%s is missing: the Argo CD scripts are tested with real Lua. Install Debian's packages with"
            + " `apt-get install -y lua5.1 lua5.4` (.ci/run does this in CI)", interpreter)
        .isExecutable();
    Path scriptFile = SCRIPTS.resolve(script).toAbsolutePath();
    assertThat(scriptFile).exists();
    String wrapper = """
        local obj = %s
        local source = assert(io.open(%s)):read("*a")
        -- only what the scripts may count on in Argo CD; anything else is an error
        local env = {obj = obj, ipairs = ipairs, pairs = pairs, tostring = tostring, tonumber = tonumber, type = type}
        setmetatable(env, {__index = function(_, name) error("the script reads the global '" .. tostring(name)
            .. "', which Argo CD does not provide", 2) end})
        local chunk
        if setfenv then
          chunk = assert(loadstring(source, %s))
          setfenv(chunk, env)
        else
          chunk = assert(load(source, %s, "t", env))
        end
        local result = chunk()
        %s
        """.formatted(lua(json(object)), quote(scriptFile.toString()), quote("@" + script), quote("@" + script),
        printResult);
    try {
      Path file = Files.createTempFile("argocd-", ".lua");
      try {
        Files.writeString(file, wrapper);
        Process process = new ProcessBuilder(interpreter, file.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s finished", interpreter).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s %s failed:\n%s", interpreter, script, output).isZero();
        return output.lines().toList();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The object as the API server would serve it: Jackson's JSON of the API classes. */
  static JsonNode json(HasMetadata object) {
    return SERIALIZATION.convertValue(object, JsonNode.class);
  }

  /** A Lua table constructor for a JSON value; null fields are left out, as they are nil in Lua. */
  static String lua(JsonNode node) {
    if (node.isObject()) {
      StringBuilder table = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getValue().isNull()) {
          table.append('[').append(quote(field.getKey())).append("] = ").append(lua(field.getValue())).append(", ");
        }
      }
      return table.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder table = new StringBuilder("{");
      node.forEach(element -> table.append(lua(element)).append(", "));
      return table.append('}').toString();
    }
    if (node.isTextual()) {
      return quote(node.asText());
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    return "nil";
  }

  /** A Lua string literal: quote, backslash, control and non-ASCII bytes (of the UTF-8) as decimal escapes. */
  static String quote(String text) {
    StringBuilder literal = new StringBuilder("\"");
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
        literal.append('\\').append(String.format("%03d", c));
      } else {
        literal.append((char) c);
      }
    }
    return literal.append('"').toString();
  }
}
