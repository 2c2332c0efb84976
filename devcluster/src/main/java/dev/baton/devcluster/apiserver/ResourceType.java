package dev.baton.devcluster.apiserver;

import java.util.List;

/**
 * One resource the API serves, as discovery describes it (an {@code APIResource} of an {@code APIResourceList}).
 *
 * @param scale where the /scale subresource finds its numbers, or {@code null} when the resource has none
 */
record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    boolean statusSubresource,
    ScalePaths scale) {

  /** The verbs every resource stored here supports (the real API's full set for a plain REST resource). */
  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /**
   * JSON paths of the scale subresource, as a CRD's {@code subresources.scale} declares them
   * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#scale-subresource).
   */
  record ScalePaths(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {}

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The path prefix of this group version: {@code /api/v1} or {@code /apis/apps/v1}. */
  String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** How the API names the resource in messages: {@code deployments.apps}, or {@code pods} for the core group. */
  String qualifiedPlural() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** How the API names the kind in validation messages: {@code Widget.example.com}, or {@code Pod}. */
  String qualifiedKind() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
