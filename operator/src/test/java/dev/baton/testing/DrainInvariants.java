package dev.baton.testing;

import dev.baton.api.Application;
import dev.baton.resources.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Baton's drain invariants (PRODUCT.md, "Draining"), checked on every pod Baton manages while a test runs:
 *
 * <ol>
 *   <li><b>No pod that served is removed before its drain finished.</b> When a pod of an Application that still
 *       exists gets a {@code deletionTimestamp} (or disappears), its last state must carry
 *       {@code baton.dev/drain-finished}. Exempt: pods never seen Ready (they served nothing) and pods of an
 *       Application that is gone or being deleted (garbage collection removes those, not Baton).</li>
 *   <li><b>The pods that stay are ready before an old pod drains.</b> When a pod's drain starts (its
 *       {@code baton.dev/serving} turns "false" without isolation, or {@code baton.dev/drain-started-at} appears on
 *       a pod already isolated), another pod of the same Application must be serving, not terminating and Ready.</li>
 *   <li><b>The pools that stay are ready before a retired pool is isolated.</b> When a pod leaves the Services
 *       isolated ({@code baton.dev/drain-isolated-at}, no drain started), a pod of another version of the same
 *       Application must be serving, not terminating and Ready: the isolated pool's pods all go, so only another
 *       version's pods can take the clients.</li>
 *   <li><b>A pod whose drain started never goes back into the Services.</b> Its clients were told to leave; only an
 *       isolated pod (drain not started) may be put back.</li>
 * </ol>
 *
 * <p>The state judged is this checker's own copy of every pod as of the event being handled (updated in event
 * order), not the informer's cache, which may already be ahead of the event. Each violation names its namespace,
 * so concurrent tests each get their own; it carries the pod's recent history to tell what happened.
 */
public final class DrainInvariants implements AutoCloseable {

  /** One broken invariant: where, and what happened. */
  public record Violation(String namespace, String pod, String message) {
    @Override
    public String toString() {
      return message;
    }
  }

  private static final int HISTORY = 12;

  private final KubernetesClient client;
  private final Map<String, Pod> lastSeen = new ConcurrentHashMap<>();
  private final Set<String> everReady = ConcurrentHashMap.newKeySet();
  private final Set<String> judgedRemoval = ConcurrentHashMap.newKeySet();
  private final Map<String, List<String>> histories = new ConcurrentHashMap<>();
  private final List<Violation> violations = new CopyOnWriteArrayList<>();
  private SharedIndexInformer<Pod> informer;

  private DrainInvariants(KubernetesClient client) {
    this.client = client;
  }

  /** Starts watching every pod Baton manages, in all namespaces; returns once the informer has synced. */
  public static DrainInvariants watch(KubernetesClient client) {
    DrainInvariants invariants = new DrainInvariants(client);
    invariants.informer = client.pods().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_BATON)
        .inform(invariants.new Handler(), 0);
    return invariants;
  }

  /** Every violation seen so far and not yet taken. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Removes and returns the violations in these namespaces. */
  public List<Violation> take(Set<String> namespaces) {
    List<Violation> taken = new ArrayList<>();
    for (Violation v : violations) {
      if (namespaces.contains(v.namespace()) && violations.remove(v)) {
        taken.add(v);
      }
    }
    return taken;
  }

  /** Removes and returns every violation. */
  public List<Violation> takeAll() {
    List<Violation> taken = new ArrayList<>(violations);
    violations.removeAll(taken);
    return taken;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }

  private final class Handler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      see(pod);
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      Pod before = Objects.requireNonNullElse(lastSeen.get(uid(pod)), old);
      see(pod);
      if (!terminating(before) && terminating(pod)) {
        judgeRemoval(before, "got a deletionTimestamp");
      }
      boolean leftServices = "true".equals(serving(before)) && "false".equals(serving(pod)) && !terminating(pod);
      boolean drainStarted = annotation(before, Labels.DRAIN_STARTED_ANNOTATION) == null
          && annotation(pod, Labels.DRAIN_STARTED_ANNOTATION) != null && !terminating(pod);
      if (leftServices && !drainStarted && annotation(pod, Labels.DRAIN_ISOLATED_ANNOTATION) != null) {
        judgeIsolation(pod);
      } else if (leftServices || drainStarted) {
        judgeDrainStart(pod);
      }
      if ("false".equals(serving(before)) && "true".equals(serving(pod))
          && annotation(before, Labels.DRAIN_STARTED_ANNOTATION) != null) {
        violate(pod, "pod " + name(pod) + " was put back in the Services after its drain started");
      }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      Pod before = Objects.requireNonNullElse(lastSeen.remove(uid(pod)), pod);
      record(pod, "deleted");
      if (!terminating(before)) {
        judgeRemoval(before, "was deleted at once");
      }
      everReady.remove(uid(pod));
      judgedRemoval.remove(uid(pod));
      histories.remove(uid(pod));
    }
  }

  private void see(Pod pod) {
    lastSeen.put(uid(pod), pod);
    if (ready(pod)) {
      everReady.add(uid(pod));
    }
    record(pod, state(pod));
  }

  /** Invariant 1: judged on the pod's state before its removal began. */
  private void judgeRemoval(Pod before, String how) {
    String uid = uid(before);
    if (!judgedRemoval.add(uid) || !everReady.contains(uid) || annotation(before, Labels.DRAIN_FINISHED_ANNOTATION) != null) {
      return;
    }
    String application = application(before);
    if (application == null || !applicationLives(before.getMetadata().getNamespace(), application)) {
      return;
    }
    violate(before, "pod " + name(before) + " removed without a finished drain (it " + how + "; Application "
        + application + " still exists)");
  }

  /** Invariant 2: another pod of the Application that stays is Ready at the moment this one starts to drain. */
  private void judgeDrainStart(Pod draining) {
    String namespace = draining.getMetadata().getNamespace();
    String application = application(draining);
    List<String> others = new ArrayList<>();
    boolean covered = false;
    for (Pod other : lastSeen.values()) {
      if (other.getMetadata().getUid().equals(uid(draining)) || !namespace.equals(other.getMetadata().getNamespace())
          || !Objects.equals(application, application(other))) {
        continue;
      }
      others.add(name(other) + " " + state(other));
      covered |= "true".equals(serving(other)) && !terminating(other) && ready(other);
    }
    if (!covered) {
      violate(draining, "pod " + name(draining) + " started to drain while no other pod of Application " + application
          + " that stays was Ready; the others: " + (others.isEmpty() ? "none" : others));
    }
  }

  /** Invariant 3: a pod of another version, one that stays, is Ready at the moment this one is isolated. */
  private void judgeIsolation(Pod isolated) {
    String namespace = isolated.getMetadata().getNamespace();
    String application = application(isolated);
    String version = label(isolated, Labels.POOL_VERSION);
    List<String> others = new ArrayList<>();
    boolean covered = false;
    for (Pod other : lastSeen.values()) {
      if (!namespace.equals(other.getMetadata().getNamespace()) || !Objects.equals(application, application(other))
          || Objects.equals(version, label(other, Labels.POOL_VERSION))) {
        continue;
      }
      others.add(name(other) + " " + label(other, Labels.POOL_VERSION) + " " + state(other));
      covered |= "true".equals(serving(other)) && !terminating(other) && ready(other);
    }
    if (!covered) {
      violate(isolated, "pod " + name(isolated) + " was isolated while no pod of another version of Application "
          + application + " was serving and Ready; the others: " + (others.isEmpty() ? "none" : others));
    }
  }

  private boolean applicationLives(String namespace, String name) {
    try {
      Application app = client.resources(Application.class).inNamespace(namespace).withName(name).get();
      return app != null && app.getMetadata().getDeletionTimestamp() == null;
    } catch (KubernetesClientException e) {
      return true; // cannot tell: judge as if it lived, and say so in the report if it matters
    }
  }

  private void violate(Pod pod, String what) {
    List<String> history = histories.getOrDefault(uid(pod), List.of());
    violations.add(new Violation(pod.getMetadata().getNamespace(), name(pod),
        what + "\n      history of " + name(pod) + ":\n        " + String.join("\n        ", history)));
  }

  private void record(Pod pod, String event) {
    List<String> history = histories.computeIfAbsent(uid(pod), k -> new CopyOnWriteArrayList<>());
    if (!history.isEmpty() && history.get(history.size() - 1).endsWith(" " + event)) {
      return;
    }
    history.add(Instant.now() + " " + event);
    if (history.size() > HISTORY) {
      history.remove(0);
    }
  }

  /** What matters to the invariants, in one line. */
  private static String state(Pod pod) {
    StringBuilder s = new StringBuilder("serving=").append(serving(pod)).append(" ready=").append(ready(pod));
    if (terminating(pod)) {
      s.append(" terminating");
    }
    for (String a : List.of(Labels.DRAIN_ISOLATED_ANNOTATION, Labels.DRAIN_STARTED_ANNOTATION, Labels.DRAIN_SIGNALLED_ANNOTATION,
        Labels.DRAIN_FINISHED_ANNOTATION)) {
      if (annotation(pod, a) != null) {
        s.append(' ').append(a.substring("baton.dev/".length())).append('=').append(annotation(pod, a));
      }
    }
    return s.toString();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  private static String serving(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(Labels.SERVING);
  }

  private static String application(Pod pod) {
    return label(pod, Labels.APPLICATION);
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static String annotation(Pod pod, String key) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
