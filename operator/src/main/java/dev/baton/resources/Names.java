package dev.baton.resources;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Object names derived from an application and a version, always valid for Kubernetes.
 *
 * <p>A version may hold characters a name may not ({@code 1.4.2_RC1}); names are lower-cased and every
 * other character becomes '-'. Pool names are capped at 63 characters, the DNS label limit, so that
 * the name also works as a label value and in every other place Kubernetes uses it.
 */
public final class Names {

  public static final int MAX_POOL_NAME_LENGTH = 63;

  /** A Kubernetes label value: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set */
  private static final Pattern LABEL_VALUE = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");

  private Names() {}

  /** The Deployment (and PodDisruptionBudget) of one version: {@code <app>-<version>}. */
  public static String pool(String application, String version) {
    return application + "-" + sanitize(version);
  }

  /** The Canary of a release; a numbered suffix when an earlier release used the name. */
  public static String canary(String application, String version, int attempt) {
    String base = pool(application, version);
    return attempt <= 1 ? base : base + "-" + attempt;
  }

  /** The Service the Gateway API router points at the stable version: {@code <app>-stable}. */
  public static String stableService(String application) {
    return application + "-stable";
  }

  /** The Service the Gateway API router points at the canary version: {@code <app>-canary}. */
  public static String canaryService(String application) {
    return application + "-canary";
  }

  /** The blue-green preview Service, selecting only the new version: {@code <app>-preview}. */
  public static String previewService(String application) {
    return application + "-preview";
  }

  /** Why a version cannot name a pool, if it cannot. */
  public static Optional<String> versionProblem(String application, String version) {
    if (version.length() > 63 || !LABEL_VALUE.matcher(version).matches()) {
      return Optional.of("version '" + version + "' is not a valid label value (at most 63 characters: letters, digits,"
          + " '-', '_', '.', starting and ending with a letter or digit)");
    }
    String name = pool(application, version);
    if (name.length() > MAX_POOL_NAME_LENGTH) {
      return Optional.of("the Deployment name '" + name + "' would be " + name.length() + " characters, more than "
          + MAX_POOL_NAME_LENGTH);
    }
    return Optional.empty();
  }

  static String sanitize(String version) {
    String lower = version.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return lower.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
  }
}
