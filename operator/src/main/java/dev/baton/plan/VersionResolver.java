package dev.baton.plan;

import dev.baton.api.ApplicationSpec;
import dev.baton.resources.ImageReference;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Optional;

/**
 * The version an Application asks for: {@code spec.version}, else the tag of the first container's
 * image, else (for an image pinned by digest only) the first 12 hex digits of the digest.
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
