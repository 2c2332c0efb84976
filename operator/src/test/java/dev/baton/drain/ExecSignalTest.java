package dev.baton.drain;

import static dev.baton.drain.TestPods.NAMESPACE;
import static dev.baton.drain.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The exec signal. No API server here runs a command: fabric8's mock answers the exec request with scripted
 * frames of the real exec protocol (channel.k8s.io v4 over a WebSocket: stderr, then the exit status), which
 * specifies how Baton reads what the kubelet sends, not that a container receives SIGUSR2.
 */
class ExecSignalTest {

  /** Which container and which command: pure functions of the pod and the settings. */
  @Nested
  class Resolution {

    final Pod pod = new PodBuilder(pod("chat-1"))
        .editSpec().addToContainers(new ContainerBuilder().withName("envoy").build()).endSpec()
        .build();

    @Test
    void execSignalRunsKillUsr2InTheFirstContainerByDefault() throws Exception {
      Drain.ExecSignal defaults = new Drain.ExecSignal(null, null);

      assertThat(ExecSignal.container(pod, defaults)).isEqualTo("chat");
      assertThat(ExecSignal.command(defaults)).containsExactly("kill", "-USR2", "1");
    }

    @Test
    void execSignalRunsTheCommandInTheContainerTheDrainNames() throws Exception {
      Drain.ExecSignal settings = new Drain.ExecSignal("envoy", List.of("curl", "-X", "POST", "localhost:9901/drain_listeners"));

      assertThat(ExecSignal.container(pod, settings)).isEqualTo("envoy");
      assertThat(ExecSignal.command(settings)).containsExactly("curl", "-X", "POST", "localhost:9901/drain_listeners");
    }

    @Test
    void execSignalNamesThePodsContainersWhenTheNamedOneIsMissing() {
      assertThatThrownBy(() -> ExecSignal.container(pod, new Drain.ExecSignal("app", null)))
          .hasMessage("pod realtime/chat-1 has no container 'app'; its containers are chat, envoy");
    }
  }

  /** Against an API server speaking the exec protocol. */
  @Nested
  @EnableKubernetesMockClient(crud = true)
  class OverTheApi {

    static KubernetesClient client;
    static KubernetesMockServer server;

    final ExecSignal signal = new ExecSignal(client, Duration.ofMillis(500));

    /**
     * A message the signal never writes to the exec's stdin. Scripting a reply to it keeps the mock's side of
     * the WebSocket open: a kubelet sends the exit status and leaves the close to the client (fabric8 closes
     * after the status frame), whereas a scripted session that ends at once may close before its last frame
     * is read. In the slow-command case it also means the exit status never comes.
     */
    static final String NEVER_SENT = "never sent";

    Pod created(String name) {
      return client.pods().inNamespace(NAMESPACE).resource(pod(name)).create();
    }

    /** The request fabric8 sends for the default command in container chat, as kubectl exec would. */
    String execPath(String pod) {
      return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod
          + "/exec?command=kill&command=-USR2&command=1&container=chat&stderr=true";
    }

    @Test
    void execSignalSucceedsWhenTheCommandExitsZero() {
      Pod pod = created("chat-exit-0");
      server.expect().get().withPath(execPath("chat-exit-0"))
          .andUpgradeToWebSocket().open(new StatusStreamMessage(0)).expectSentWebSocketMessage(NEVER_SENT)
          .andEmit(new StatusStreamMessage(0)).once().done().once();

      SignalResult result = signal.send(pod, Drains.execSignal(null, null));

      assertThat(result.sent()).as(result.message()).isTrue();
      assertThat(result.message()).isEqualTo("exec kill -USR2 1 in realtime/chat-exit-0 container chat exited 0");
    }

    @Test
    void execSignalFailsWithTheExitCodeAndStderr() {
      Pod pod = created("chat-exit-1");
      server.expect().get().withPath(execPath("chat-exit-1"))
          .andUpgradeToWebSocket()
          .open(new ErrorStreamMessage("kill: (1) - No such process\n"), new StatusStreamMessage(1))
          .expectSentWebSocketMessage(NEVER_SENT).andEmit(new StatusStreamMessage(0)).once().done().once();

      SignalResult result = signal.send(pod, Drains.execSignal(null, null));

      assertThat(result).isInstanceOf(SignalResult.Failed.class);
      assertThat(result.message()).endsWith("container chat exited 1: kill: (1) - No such process");
    }

    @Test
    void execSignalFailsWhenTheStreamEndsWithoutAnExitCode() {
      Pod pod = created("chat-no-status");
      server.expect().get().withPath(execPath("chat-no-status")).andUpgradeToWebSocket().open().done().once();

      SignalResult result = signal.send(pod, Drains.execSignal(null, null));

      assertThat(result).isInstanceOf(SignalResult.Failed.class);
      assertThat(result.message()).endsWith("ended without an exit code");
    }

    @Test
    void execSignalFailsWhenTheCommandDoesNotFinishInTime() {
      Pod pod = created("chat-slow");
      server.expect().get().withPath(execPath("chat-slow"))
          .andUpgradeToWebSocket().open().expectSentWebSocketMessage(NEVER_SENT)
          .andEmit(new StatusStreamMessage(0)).once().done().once();

      SignalResult result = signal.send(pod, Drains.execSignal(null, null));

      assertThat(result).isInstanceOf(SignalResult.Failed.class);
      assertThat(result.message()).endsWith("did not finish within 500ms").contains("chat-slow");
    }

    @Test
    void execSignalTellsTheUserToEnableExecInTheHelmValuesWhenForbidden() {
      Pod pod = created("chat-forbidden");
      server.expect().get().withPath(execPath("chat-forbidden"))
          .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
              .withMessage("pods \"chat-forbidden\" is forbidden: User \"system:serviceaccount:baton:baton\" cannot"
                  + " create resource \"pods/exec\" in API group \"\" in the namespace \"realtime\"")
              .build())
          .once();

      SignalResult result = signal.send(pod, Drains.execSignal(null, null));

      assertThat(result).isInstanceOf(SignalResult.Failed.class);
      assertThat(result.message())
          .contains("is forbidden (HTTP 403): Baton lacks the pods/exec permission")
          .contains("Set drain.execSignal.enabled=true in the Helm values");
    }

    @Test
    void execSignalReportsAPodThatIsGone() {
      SignalResult result = signal.send(pod("chat-gone"), Drains.execSignal(null, null));

      assertThat(result).isInstanceOf(SignalResult.Failed.class);
      assertThat(result.message()).contains("realtime/chat-gone").contains("no longer exists");
    }

    @Test
    void execSignalFailsWithoutCallingTheApiWhenTheContainerIsMissing() {
      Pod pod = created("chat-no-app");
      int before = server.getRequestCount();

      SignalResult result = signal.send(pod, Drains.execSignal("app", null));

      assertThat(result).isInstanceOf(SignalResult.Failed.class);
      assertThat(result.message())
          .isEqualTo("spec.drain.signal.exec.container: pod realtime/chat-no-app has no container 'app'; its containers are chat");
      assertThat(server.getRequestCount()).isEqualTo(before);
    }
  }
}
