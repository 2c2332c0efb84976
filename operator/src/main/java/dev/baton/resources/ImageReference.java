package dev.baton.resources;

import java.util.Optional;

/**
 * The parts of a container image reference that name a version: {@code registry:5000/team/app:1.4.2@sha256:ab…}.
 * A colon after the last slash starts the tag; the registry's port comes before a slash.
 */
public record ImageReference(String repository, Optional<String> tag, Optional<String> digest) {

  public static ImageReference parse(String image) {
    String rest = image;
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    Optional<String> tag = Optional.empty();
    if (colon > slash) {
      tag = Optional.of(rest.substring(colon + 1)).filter(t -> !t.isEmpty());
      rest = rest.substring(0, colon);
    }
    return new ImageReference(rest, tag, digest);
  }

  /** A tag that names a release: present and not {@code latest}. */
  public Optional<String> explicitTag() {
    return tag.filter(t -> !t.equals("latest"));
  }

  /** The first 12 hex digits of a sha256 digest, as a short version name. */
  public Optional<String> shortDigest() {
    return digest.filter(d -> d.startsWith("sha256:") && d.length() >= 7 + 12).map(d -> d.substring(7, 7 + 12));
  }

  /** Whether Baton accepts the image: an explicit tag or a digest. */
  public boolean isPinned() {
    return explicitTag().isPresent() || shortDigest().isPresent();
  }
}
