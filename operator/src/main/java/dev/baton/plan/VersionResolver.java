package dev.baton.plan;

import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.resources.ImageReference;
import dev.baton.resources.PoolFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The version an Application asks for: {@code spec.version}, else the tag of the first container's
 * image, else (for an image pinned by digest only) the first 12 hex digits of the digest.
 *
 * <p>A version names one pod template. When the template changes but the version does not (an environment
 * variable, a resource limit, the same image tag), the change is a <em>revision</em> of that version, named
 * {@code <version>-<6 hex digits of the template's hash>} and released like any new version: with the strategy,
 * and with every old pod drained. Updating the running pool's Deployment in place instead would let the Deployment
 * controller replace its pods without a drain.
 */
public final class VersionResolver {

  private VersionResolver() {}

  public static Optional<String> resolve(ApplicationSpec spec) {
    if (spec.version() != null && !spec.version().isBlank()) {
      return Optional.of(spec.version());
    }
    return firstImage(spec).map(ImageReference::parse)
        .flatMap(ref -> ref.explicitTag().or(ref::shortDigest));
  }

  /**
   * The version to run, given the pools that exist: the spec's version while no pool of it runs another template,
   * else the revision of the current template. A pool runs the template when its Deployment carries the pod
   * template Baton builds for it now (the hash it records), so a revision ends where its pool exists.
   */
  public static Optional<String> resolve(Application app, Map<String, Deployment> pools) {
    Optional<String> base = resolve(app.getSpec());
    if (base.isEmpty()) {
      return base;
    }
    String revision = revisionOf(app.getSpec(), base.get());
    for (String version : List.of(base.get(), revision)) {
      Deployment pool = pools.get(version);
      if (pool != null && PoolFactory.runsTemplate(pool, app, version)) {
        return Optional.of(version);
      }
    }
    boolean released = pools.keySet().stream().anyMatch(v -> v.equals(base.get()) || isRevision(v, base.get()));
    return Optional.of(released ? revision : base.get());
  }

  static String revisionOf(ApplicationSpec spec, String base) {
    return base + "-" + PoolFactory.templateHash(spec.template()).substring(0, REVISION_HASH_LENGTH);
  }

  private static boolean isRevision(String version, String base) {
    return version.length() == base.length() + 1 + REVISION_HASH_LENGTH && version.startsWith(base + "-")
        && version.substring(base.length() + 1).chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static final int REVISION_HASH_LENGTH = 6;

  static Optional<String> firstImage(ApplicationSpec spec) {
    if (spec.template() == null || spec.template().getSpec() == null) {
      return Optional.empty();
    }
    List<Container> containers = spec.template().getSpec().getContainers();
    return containers == null || containers.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(containers.get(0).getImage());
  }
}
