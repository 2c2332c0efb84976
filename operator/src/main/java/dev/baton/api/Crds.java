package dev.baton.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Baton's CRDs as generated from these classes at build time (they ship in the jar under
 * {@code META-INF/fabric8/}, and the same files are committed in {@code crds/} and the Helm chart).
 */
public final class Crds {

  public static final List<String> FILES = List.of("applications.baton.dev-v1.yml", "canaries.baton.dev-v1.yml");

  private Crds() {}

  public static List<CustomResourceDefinition> all() {
    return FILES.stream().map(Crds::load).toList();
  }

  /** Creates or updates Baton's CRDs: for dev mode and tests. On a real cluster Helm installs them. */
  public static void install(KubernetesClient client) {
    for (CustomResourceDefinition crd : all()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(NonDeletingOperation::update);
    }
  }

  private static CustomResourceDefinition load(String file) {
    try (InputStream in = Crds.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + file + " is missing from the classpath: build with ./mvnw package");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
