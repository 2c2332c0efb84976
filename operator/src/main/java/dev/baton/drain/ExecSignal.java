package dev.baton.drain;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs a command in a container of the pod ({@code spec.drain.signal.exec}), by default {@code kill -USR2 1}:
 * SIGUSR2 to the container's main process, which no runtime uses for itself, so an app can take it to mean
 * "let your clients go" (SIGTERM stays Kubernetes' "stop now"). Exit code 0 is success; anything else is a
 * failure with the start of stderr.
 *
 * <p>Needs the {@code pods/exec} permission (the {@code create} verb on the subresource), which the Helm chart
 * grants only when {@code drain.execSignal.enabled} is true: exec runs arbitrary commands in the app's
 * containers, so it is opt-in. A 403 says so.
 *
 * <p>Idempotency is the app's: a repeated SIGUSR2 must not start a second drain.
 */
public final class ExecSignal implements DrainSignal {

  public static final List<String> DEFAULT_COMMAND = List.of("kill", "-USR2", "1");

  /** Long enough for a shell command in a busy container, short enough not to stall a reconcile. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final Duration timeout;

  public ExecSignal(KubernetesClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public SignalResult send(Pod pod, Drain drain) {
    Drain.ExecSignal settings = drain.signalOrDefault().exec();
    if (settings == null) {
      throw new IllegalArgumentException("spec.drain.signal has no exec settings; DrainSignals picks the signal");
    }
    String container;
    try {
      container = container(pod, settings);
    } catch (PodUrl.Unresolvable e) {
      return SignalResult.failed("spec.drain.signal.exec.container: " + e.getMessage());
    }
    List<String> command = command(settings);
    String where = "exec " + String.join(" ", command) + " in " + PodUrl.name(pod) + " container " + container;

    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try (ExecWatch exec = client.pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .inContainer(container)
        // fabric8 first waits for the pod to be Ready; a draining pod often is not (apps fail readiness while
        // they drain, as knative's queue-proxy does), and the kubelet execs into running, unready containers.
        .withReadyWaitTimeout(0)
        .writingError(stderr)
        .exec(command.toArray(String[]::new))) {
      Integer exitCode = exec.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (exitCode != null && exitCode == 0) {
        return SignalResult.sent(where + " exited 0");
      }
      // fabric8 completes the exit code with null when the stream closes without a status, and with -1 when
      // the status cannot be read: either way the command's outcome is unknown, so it counts as failed.
      boolean known = exitCode != null && exitCode >= 0;
      String errors = HttpProblems.excerpt(stderr.toString(StandardCharsets.UTF_8));
      return SignalResult.failed(where + (known ? " exited " + exitCode : " ended without an exit code")
          + (errors.isEmpty() ? "" : ": " + errors));
    } catch (TimeoutException e) {
      return SignalResult.failed(where + " did not finish within " + HttpProblems.duration(timeout));
    } catch (ExecutionException e) {
      return SignalResult.failed(where + " failed: " + HttpProblems.excerpt(String.valueOf(e.getCause().getMessage())));
    } catch (KubernetesClientException e) {
      return SignalResult.failed(describe(where, pod, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SignalResult.failed(where + " was interrupted (Baton is stopping)");
    }
  }

  /** The container to exec in: the one named in the settings, or the pod's first. */
  static String container(Pod pod, Drain.ExecSignal settings) throws PodUrl.Unresolvable {
    List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? List.of() : pod.getSpec().getContainers();
    if (containers.isEmpty()) {
      throw new PodUrl.Unresolvable("pod " + PodUrl.name(pod) + " has no containers");
    }
    String wanted = settings.container();
    if (wanted == null || wanted.isBlank()) {
      return containers.get(0).getName();
    }
    if (containers.stream().anyMatch(c -> wanted.equals(c.getName()))) {
      return wanted;
    }
    throw new PodUrl.Unresolvable("pod " + PodUrl.name(pod) + " has no container '" + wanted + "'; its containers are "
        + containers.stream().map(Container::getName).collect(Collectors.joining(", ")));
  }

  /** The command to run: the one in the settings, or {@link #DEFAULT_COMMAND}. */
  static List<String> command(Drain.ExecSignal settings) {
    return settings.command() == null || settings.command().isEmpty() ? DEFAULT_COMMAND : settings.command();
  }

  private static String describe(String where, Pod pod, KubernetesClientException e) {
    int code = statusCode(e);
    if (code == 403) {
      return where + " is forbidden (HTTP 403): Baton lacks the pods/exec permission. Set drain.execSignal.enabled=true"
          + " in the Helm values to grant it, or use the http or annotation signal.";
    }
    if (code == 404) {
      return where + " failed (HTTP 404): the pod or container no longer exists";
    }
    return where + " failed" + (code > 0 ? ": the API server answered HTTP " + code + " instead of starting it"
        : ": " + HttpProblems.excerpt(e.getMessage()));
  }

  /**
   * The HTTP status of a refused exec. Exec is a WebSocket upgrade: when the API server answers with an error
   * instead of 101, fabric8 throws a KubernetesClientException without a code, caused by a
   * WebSocketHandshakeException that carries the response.
   */
  private static int statusCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return k.getCode();
      }
      if (t instanceof WebSocketHandshakeException h && h.getResponse() != null) {
        return h.getResponse().code();
      }
    }
    return 0;
  }
}
