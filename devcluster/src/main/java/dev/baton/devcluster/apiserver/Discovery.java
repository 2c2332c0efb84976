package dev.baton.devcluster.apiserver;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDRBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The discovery documents kubectl and client-go read before any resource request: {@code /version}, {@code /api},
 * {@code /apis}, {@code /apis/<group>} and the resource lists of each group version, with verbs, short names,
 * categories and subresources (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api).
 *
 * <p>Only the legacy (unaggregated) documents are served. kubectl asks for aggregated discovery
 * ({@code as=APIGroupDiscoveryList}) first but also accepts {@code application/json}; the real server answers the
 * legacy form when it cannot serve the aggregated one, and so do we.
 */
final class Discovery {

  /** The Kubernetes version this server pretends to be: the minor version of the kubectl on these machines. */
  static final String VERSION_JSON =
      """
      {"major":"1","minor":"32","gitVersion":"v1.32.0-baton","gitCommit":"0000000000000000000000000000000000000000",\
      "gitTreeState":"clean","buildDate":"2026-01-01T00:00:00Z","goVersion":"go1.23.0","compiler":"gc",\
      "platform":"linux/amd64"}""";

  private final ResourceCatalog catalog;

  Discovery(ResourceCatalog catalog) {
    this.catalog = catalog;
  }

  /** The discovery answer for a path, or empty when the path is not a discovery path. */
  Optional<String> answer(String path, String serverAddress) {
    String trimmed = path.replaceAll("/+$", "");
    String[] parts = trimmed.replaceAll("^/", "").split("/");
    if (trimmed.equals("/version")) {
      return Optional.of(VERSION_JSON);
    }
    if (trimmed.equals("/api")) {
      return Optional.of(Serialization.asJson(new APIVersionsBuilder()
          .withVersions("v1")
          .withServerAddressByClientCIDRs(new ServerAddressByClientCIDRBuilder()
              .withClientCIDR("0.0.0.0/0").withServerAddress(serverAddress).build())
          .build()));
    }
    if (trimmed.equals("/api/v1")) {
      return Optional.of(resourceList("", "v1"));
    }
    if (trimmed.equals("/apis")) {
      return Optional.of(Serialization.asJson(new APIGroupListBuilder().withGroups(groups()).build()));
    }
    if (parts.length == 2 && parts[0].equals("apis")) {
      return groups().stream().filter(g -> g.getName().equals(parts[1])).findFirst().map(Serialization::asJson);
    }
    if (parts.length == 3 && parts[0].equals("apis")) {
      boolean served = catalog.all().stream().anyMatch(t -> t.group().equals(parts[1]) && t.version().equals(parts[2]));
      return served ? Optional.of(resourceList(parts[1], parts[2])) : Optional.empty();
    }
    return Optional.empty();
  }

  private List<APIGroup> groups() {
    Map<String, Set<String>> versionsByGroup = new LinkedHashMap<>();
    for (ResourceType type : catalog.all()) {
      if (!type.group().isEmpty()) {
        versionsByGroup.computeIfAbsent(type.group(), g -> new LinkedHashSet<>()).add(type.version());
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versionsByGroup.forEach((group, versions) -> {
      List<GroupVersionForDiscovery> served = versions.stream()
          .map(v -> new GroupVersionForDiscovery(group + "/" + v, v))
          .toList();
      groups.add(new APIGroupBuilder()
          .withName(group)
          .withVersions(served)
          .withPreferredVersion(served.get(0))
          .build());
    });
    return groups;
  }

  private String resourceList(String group, String version) {
    List<APIResource> resources = new ArrayList<>();
    for (ResourceType type : catalog.all()) {
      if (!type.group().equals(group) || !type.version().equals(version)) {
        continue;
      }
      boolean review = ResourceCatalog.isReview(type);
      resources.add(new APIResourceBuilder()
          .withName(type.plural())
          .withSingularName(type.singular())
          .withNamespaced(type.namespaced())
          .withKind(type.kind())
          .withVerbs(review ? List.of("create") : ResourceType.VERBS)
          .withShortNames(type.shortNames().isEmpty() ? null : type.shortNames())
          .withCategories(type.categories().isEmpty() ? null : type.categories())
          .build());
      if (type.statusSubresource()) {
        resources.add(new APIResourceBuilder()
            .withName(type.plural() + "/status")
            .withSingularName("")
            .withNamespaced(type.namespaced())
            .withKind(type.kind())
            .withVerbs("get", "patch", "update")
            .build());
      }
      if (type.scale() != null) {
        resources.add(new APIResourceBuilder()
            .withName(type.plural() + "/scale")
            .withSingularName("")
            .withNamespaced(type.namespaced())
            .withGroup("autoscaling")
            .withVersion("v1")
            .withKind("Scale")
            .withVerbs("get", "patch", "update")
            .build());
      }
    }
    return Serialization.asJson(new APIResourceListBuilder()
        .withGroupVersion(group.isEmpty() ? version : group + "/" + version)
        .withResources(resources)
        .build());
  }
}
