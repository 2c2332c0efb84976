package dev.baton.devcluster.apiserver;

import java.util.Optional;

/**
 * The resource a request path names: {@code /apis/apps/v1/namespaces/shop/deployments/web/status} is group
 * {@code apps}, version {@code v1}, namespace {@code shop}, plural {@code deployments}, name {@code web},
 * subresource {@code status}. Namespace, name and subresource may be {@code null}.
 */
record ResourceRef(String group, String version, String namespace, String plural, String name, String subresource) {

  /** Parses a resource path (without query string); empty for discovery and other non-resource paths. */
  static Optional<ResourceRef> parse(String path) {
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    String group;
    int rest;
    if (parts.length >= 3 && parts[0].equals("api")) {
      group = "";
      rest = 2;
    } else if (parts.length >= 4 && parts[0].equals("apis")) {
      group = parts[1];
      rest = 3;
    } else {
      return Optional.empty();
    }
    String version = parts[rest - 1];
    int left = parts.length - rest;
    String namespace = null;
    // "namespaces/x" names the Namespace x itself; "namespaces/x/pods..." scopes a namespaced resource.
    if (parts[rest].equals("namespaces") && left >= 3 && !isNamespaceSubresource(parts, rest)) {
      namespace = parts[rest + 1];
      rest += 2;
      left -= 2;
    }
    if (left > 3) {
      return Optional.empty();
    }
    return Optional.of(new ResourceRef(
        group,
        version,
        namespace,
        parts[rest],
        left > 1 ? parts[rest + 1] : null,
        left > 2 ? parts[rest + 2] : null));
  }

  private static boolean isNamespaceSubresource(String[] parts, int rest) {
    return parts.length - rest == 3 && (parts[rest + 2].equals("status") || parts[rest + 2].equals("finalize"));
  }

  ResourceRef withName(String newName) {
    return new ResourceRef(group, version, namespace, plural, newName, null);
  }

  ResourceRef withoutSubresource() {
    return new ResourceRef(group, version, namespace, plural, name, null);
  }

  boolean isCollection() {
    return name == null;
  }

  /** The path the CRUD store knows this object (or collection) by: never a subresource, never a query. */
  String storePath() {
    StringBuilder path = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespace != null) {
      path.append("/namespaces/").append(namespace);
    }
    path.append('/').append(plural);
    if (name != null) {
      path.append('/').append(name);
    }
    return path.toString();
  }
}
