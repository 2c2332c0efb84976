package dev.baton.cli;

import dev.baton.api.Application;
import dev.baton.api.ApplicationStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What dev mode prints: one line per thing a person watching a release cares about — Baton's Events,
 * pods starting, becoming ready and going away, and each change of an Application's version, readiness,
 * weight or phase.
 */
final class DevConsole implements AutoCloseable {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final KubernetesClient client;
  private final PrintStream out;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  DevConsole(KubernetesClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  DevConsole start() {
    informers.add(client.resources(Application.class).inAnyNamespace().inform(new Changes<>() {
      @Override
      public void onUpdate(Application before, Application after) {
        if (!Objects.equals(summary(before.getStatus()), summary(after.getStatus()))) {
          print("application", after.getMetadata().getName(), summary(after.getStatus()));
        }
      }
    }));
    informers.add(client.pods().inAnyNamespace().inform(new Changes<>() {
      @Override
      public void onAdd(Pod pod) {
        print("pod", pod.getMetadata().getName(), "created");
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        String was = podState(before);
        String is = podState(after);
        if (!was.equals(is)) {
          print("pod", after.getMetadata().getName(), is);
        }
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        print("pod", pod.getMetadata().getName(), "deleted");
      }
    }));
    informers.add(client.v1().events().inAnyNamespace().inform(new Changes<>() {
      @Override
      public void onAdd(Event event) {
        if (event.getSource() != null && "baton".equals(event.getSource().getComponent())) {
          print("event", event.getInvolvedObject().getKind().toLowerCase() + "/" + event.getInvolvedObject().getName(),
              event.getReason() + ": " + event.getMessage());
        }
      }
    }));
    return this;
  }

  void print(String kind, String name, String message) {
    out.printf("%s  %-12s %-28s %s%n", LocalTime.now().format(TIME), kind, name, message);
  }

  private static String summary(ApplicationStatus status) {
    if (status == null) {
      return "no status yet";
    }
    String condition = status.condition("Ready").map(c -> c.getMessage()).orElse("");
    return String.format("%s  version %s  ready %s  weight %s%%  (%s)", status.phase(), status.version(), status.ready(),
        status.weight(), condition);
  }

  private static String podState(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return "terminating";
    }
    boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    String ip = pod.getStatus() == null || pod.getStatus().getPodIP() == null ? "" : "  " + pod.getStatus().getPodIP();
    String serving = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("baton.dev/serving");
    return phase + (ready ? ", ready" : ", not ready") + ip + ("false".equals(serving) ? "  (out of the Services)" : "");
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  /** An event handler whose methods default to doing nothing. */
  private interface Changes<T> extends ResourceEventHandler<T> {
    @Override
    default void onAdd(T obj) {}

    @Override
    default void onUpdate(T oldObj, T newObj) {}

    @Override
    default void onDelete(T obj, boolean deletedFinalStateUnknown) {}
  }
}
