package dev.baton.resources;

import dev.baton.api.Application;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The objects of one version's pool, as Baton wants them: its Deployment and PodDisruptionBudget. */
public final class PoolFactory {

  private PoolFactory() {}

  /** The Deployment {@code <app>-<version>}, owned by the Application. */
  public static Deployment deployment(Application app, String version, int replicas) {
    String name = app.getMetadata().getName();
    return new DeploymentBuilder()
        .withMetadata(poolMetadata(app, version))
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().withMatchLabels(Labels.poolSelector(name, version)).endSelector()
          .withTemplate(podTemplate(app, version))
        .endSpec()
        .build();
  }

  /**
   * The pool's pod template: the user's, plus Baton's labels, plus the template's own hash as an
   * annotation, so a change is seen by comparing one value rather than a template the API server has
   * filled with defaults. Pods start serving; the drain flips the serving label to take a pod out of the
   * Services.
   */
  public static PodTemplateSpec podTemplate(Application app, String version) {
    String name = app.getMetadata().getName();
    PodTemplateSpec user = app.getSpec().template();
    Map<String, String> labels = new LinkedHashMap<>();
    if (user.getMetadata() != null && user.getMetadata().getLabels() != null) {
      labels.putAll(user.getMetadata().getLabels());
    }
    labels.putAll(Labels.forPool(name, version));
    labels.put(Labels.SERVING, "true");
    Map<String, String> annotations = new LinkedHashMap<>();
    if (user.getMetadata() != null && user.getMetadata().getAnnotations() != null) {
      annotations.putAll(user.getMetadata().getAnnotations());
    }
    PodTemplateSpec template = new PodTemplateSpecBuilder(user)
        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
        .build();
    template.getMetadata().getAnnotations().put(Labels.TEMPLATE_HASH_ANNOTATION, templateHash(template));
    return template;
  }

  /** Whether the pool's Deployment carries the pod template Baton builds for this version of the Application now. */
  public static boolean runsTemplate(Deployment pool, Application app, String version) {
    return Objects.equals(templateHashOf(pool),
        podTemplate(app, version).getMetadata().getAnnotations().get(Labels.TEMPLATE_HASH_ANNOTATION));
  }

  /** The template hash a pool's Deployment carries, if any. */
  public static String templateHashOf(Deployment deployment) {
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    if (template == null || template.getMetadata() == null || template.getMetadata().getAnnotations() == null) {
      return null;
    }
    return template.getMetadata().getAnnotations().get(Labels.TEMPLATE_HASH_ANNOTATION);
  }

  /** A PodDisruptionBudget for a pool of two or more pods, so voluntary evictions (node drains) keep it serving. */
  public static PodDisruptionBudget disruptionBudget(Application app, String version) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(poolMetadata(app, version))
        .withNewSpec()
          .withNewMaxUnavailable(1)
          .withNewSelector().withMatchLabels(Labels.poolSelector(app.getMetadata().getName(), version)).endSelector()
        .endSpec()
        .build();
  }

  /** Whether a pool of this size gets a PodDisruptionBudget: one pod cannot keep serving through an eviction anyway. */
  public static boolean needsDisruptionBudget(int replicas) {
    return replicas >= 2;
  }

  /** A stable digest of a pod template, written as an annotation to see template changes. */
  public static String templateHash(PodTemplateSpec template) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static ObjectMeta poolMetadata(Application app, String version) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(Names.pool(app.getMetadata().getName(), version));
    meta.setNamespace(app.getMetadata().getNamespace());
    meta.setLabels(new LinkedHashMap<>(Labels.forPool(app.getMetadata().getName(), version)));
    meta.setOwnerReferences(java.util.List.of(ownerReference(app)));
    return meta;
  }

  /** Makes the Application the controller of an object, so deleting the Application deletes it (garbage collection). */
  public static OwnerReference ownerReference(Application app) {
    return new OwnerReferenceBuilder()
        .withApiVersion(app.getApiVersion())
        .withKind(app.getKind())
        .withName(app.getMetadata().getName())
        .withUid(app.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
