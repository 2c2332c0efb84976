package dev.baton.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;

/**
 * How the pods of a pool that is going away let go of their long-lived connections: Baton takes a pod
 * out of the Services, waits {@code endpointPropagationDelay}, signals it, watches its connections
 * leave (at most {@code timeout}), and only then removes it; at most {@code maxConcurrent} at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Drain(
    @JsonPropertyDescription("How to tell a pod to close its sessions. Default: the annotation signal.")
    Signal signal,

    @JsonPropertyDescription("How to see that a pod's connections are gone. Default: wait 30s.")
    Watch watch,

    @JsonPropertyDescription("The longest a pod may drain; then it is removed with whatever connections it still holds.")
    @Pattern(Durations.PATTERN)
    @Default("10m")
    String timeout,

    @JsonPropertyDescription("How many pods may drain at once, which bounds how many clients reconnect at the same time"
        + " (connections per pod x maxConcurrent per drain).")
    @Min(1)
    @Max(1000)
    @Default("1")
    Integer maxConcurrent,

    @JsonPropertyDescription("Time between taking a pod out of the Services and signalling it, so kube-proxy, ingress"
        + " controllers and load balancers stop sending it new connections first.")
    @Pattern(Durations.PATTERN)
    @Default("5s")
    String endpointPropagationDelay) {

  public static final Drain DEFAULT = new Drain(null, null, null, null, null);

  public Signal signalOrDefault() {
    return signal == null ? Signal.DEFAULT : signal;
  }

  public Watch watchOrDefault() {
    return watch == null ? Watch.DEFAULT : watch;
  }

  public Duration timeoutOrDefault() {
    return Durations.parse(timeout, Duration.ofMinutes(10));
  }

  public int maxConcurrentOrDefault() {
    return maxConcurrent == null ? 1 : maxConcurrent;
  }

  public Duration endpointPropagationDelayOrDefault() {
    return Durations.parse(endpointPropagationDelay, Duration.ofSeconds(5));
  }

  /** Exactly one way to signal a pod. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "(has(self.exec) ? 1 : 0) + (has(self.http) ? 1 : 0) + (has(self.annotation) ? 1 : 0) == 1",
      message = "spec.drain.signal sets exactly one of exec, http or annotation")
  public record Signal(
      @JsonPropertyDescription("Run a command in the container (default: kill -USR2 1). Opt-in: needs the pods/exec"
          + " permission, which the Helm chart grants only when drain.execSignal is enabled.")
      ExecSignal exec,

      @JsonPropertyDescription("Call an HTTP endpoint on the pod.")
      HttpSignal http,

      @JsonPropertyDescription("Set the annotation baton.dev/drain on the pod; the app reads it through a downward-API volume.")
      AnnotationSignal annotation) {

    public static final Signal DEFAULT = new Signal(null, null, new AnnotationSignal());
  }

  /** Exec a command in a container of the pod. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExecSignal(
      @JsonPropertyDescription("The container; default: the first.")
      String container,

      @JsonPropertyDescription("The command. Default: [kill, -USR2, \"1\"].")
      @Size(max = 32)
      List<String> command) {}

  /** An HTTP request to the pod. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpSignal(
      @JsonPropertyDescription("Container port number or name.")
      @Required
      IntOrString port,

      @JsonPropertyDescription("Request path, e.g. /drain.")
      @Required
      @Pattern("^/.*")
      String path,

      @JsonPropertyDescription("HTTP method. Default: POST.")
      @Default("POST")
      HttpMethod method) {}

  /** The annotation signal takes no settings: Baton sets {@code baton.dev/drain} to the time the drain started. */
  public record AnnotationSignal() {}

  /** Exactly one way to watch a draining pod. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "(has(self.http) ? 1 : 0) + (has(self.prometheus) ? 1 : 0) + (has(self.wait) ? 1 : 0) == 1",
      message = "spec.drain.watch sets exactly one of http, prometheus or wait")
  public record Watch(
      @JsonPropertyDescription("Poll an HTTP endpoint on the pod that reports its open connections.")
      HttpWatch http,

      @JsonPropertyDescription("Run a Prometheus query per pod; the drain ends when it returns 0.")
      PrometheusWatch prometheus,

      // Named "wait" in the resource; Java reserves wait() on every object.
      @JsonProperty("wait")
      @JsonPropertyDescription("Wait a fixed period.")
      WaitWatch waitFor) {

    public static final Watch DEFAULT = new Watch(null, null, new WaitWatch("30s"));
  }

  /** Poll {@code GET <pod>:<port><path>}: a plain number, or a JSON document and the field that holds the count. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpWatch(
      @JsonPropertyDescription("Container port number or name.")
      @Required
      IntOrString port,

      @JsonPropertyDescription("Request path, e.g. /connections.")
      @Required
      @Pattern("^/.*")
      String path,

      @JsonPropertyDescription("For a JSON answer: the field with the count, as a JSON pointer (e.g. /connections)."
          + " Without it the body is a plain number.")
      String jsonPointer,

      @JsonPropertyDescription("How often to poll. Default: 2s.")
      @Pattern(Durations.PATTERN)
      @Default("2s")
      String interval) {}

  /** A Prometheus query; {@code {{pod}}} and {@code {{namespace}}} are replaced by the draining pod's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PrometheusWatch(
      @JsonPropertyDescription("Prometheus base URL, e.g. http://prometheus.monitoring:9090.")
      @Required
      String address,

      @JsonPropertyDescription("Query returning the pod's open connections, e.g."
          + " sum(websocket_connections{pod=\"{{pod}}\",namespace=\"{{namespace}}\"}).")
      @Required
      String query,

      @JsonPropertyDescription("How often to query. Default: 5s.")
      @Pattern(Durations.PATTERN)
      @Default("5s")
      String interval) {}

  /** Wait a fixed period after the signal. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WaitWatch(
      @JsonPropertyDescription("How long, e.g. 30s.")
      @Required
      @Pattern(Durations.PATTERN)
      String duration) {}

  /** Methods an HTTP signal may use. */
  public enum HttpMethod {
    GET,
    POST,
    PUT
  }
}
