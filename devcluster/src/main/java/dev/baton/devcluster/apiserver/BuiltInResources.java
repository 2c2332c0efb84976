package dev.baton.devcluster.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in kinds the embedded API serves: names, scope and versions come from fabric8's model classes; short
 * names, categories and subresources are those of the real API server (as {@code kubectl api-resources} lists them).
 */
final class BuiltInResources {

  private static final ResourceType.ScalePaths REPLICAS =
      new ResourceType.ScalePaths(".spec.replicas", ".status.replicas", ".status.selector");

  /** authorization.k8s.io reviews: create-only virtual resources, answered by {@link AccessReviews}, never stored. */
  static final List<ResourceType> REVIEWS = List.of(
      new ResourceType("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
          "selfsubjectaccessreview", false, List.of(), List.of(), false, null),
      new ResourceType("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews",
          "selfsubjectrulesreview", false, List.of(), List.of(), false, null));

  static List<ResourceType> all() {
    List<ResourceType> types = new ArrayList<>();
    types.add(of(Pod.class, List.of("po"), List.of("all"), true, null));
    types.add(of(Service.class, List.of("svc"), List.of("all"), true, null));
    types.add(of(Endpoints.class, List.of("ep"), List.of(), false, null));
    types.add(of(Event.class, List.of("ev"), List.of(), false, null));
    types.add(of(ConfigMap.class, List.of("cm"), List.of(), false, null));
    types.add(of(Secret.class, List.of(), List.of(), false, null));
    types.add(of(Namespace.class, List.of("ns"), List.of(), true, null));
    types.add(of(ServiceAccount.class, List.of("sa"), List.of(), false, null));
    types.add(of(Node.class, List.of("no"), List.of(), true, null));
    types.add(of(PersistentVolumeClaim.class, List.of("pvc"), List.of(), true, null));
    types.add(of(Deployment.class, List.of("deploy"), List.of("all"), true, REPLICAS));
    types.add(of(ReplicaSet.class, List.of("rs"), List.of("all"), true, REPLICAS));
    types.add(of(StatefulSet.class, List.of("sts"), List.of("all"), true, REPLICAS));
    types.add(of(DaemonSet.class, List.of("ds"), List.of("all"), true, null));
    types.add(of(Job.class, List.of(), List.of("all"), true, null));
    types.add(of(PodDisruptionBudget.class, List.of("pdb"), List.of(), true, null));
    types.add(of(EndpointSlice.class, List.of(), List.of(), false, null));
    types.add(of(Lease.class, List.of(), List.of(), false, null));
    types.add(of(io.fabric8.kubernetes.api.model.events.v1.Event.class, List.of("ev"), List.of(), false, null));
    types.add(of(CustomResourceDefinition.class, List.of("crd", "crds"), List.of("api-extensions"), true, null));
    types.add(of(Ingress.class, List.of("ing"), List.of(), true, null));
    types.add(of(HTTPRoute.class, List.of(), List.of("gateway-api"), true, null));
    types.add(of(Gateway.class, List.of("gtw"), List.of("gateway-api"), true, null));
    types.add(of(GatewayClass.class, List.of("gc"), List.of("gateway-api"), true, null));
    types.add(of(Role.class, List.of(), List.of(), false, null));
    types.add(of(RoleBinding.class, List.of(), List.of(), false, null));
    types.add(of(ClusterRole.class, List.of(), List.of(), false, null));
    types.add(of(ClusterRoleBinding.class, List.of(), List.of(), false, null));
    return types;
  }

  private static ResourceType of(
      Class<? extends HasMetadata> model,
      List<String> shortNames,
      List<String> categories,
      boolean statusSubresource,
      ResourceType.ScalePaths scale) {
    return new ResourceType(
        HasMetadata.getGroup(model),
        HasMetadata.getVersion(model),
        HasMetadata.getKind(model),
        HasMetadata.getPlural(model),
        HasMetadata.getSingular(model),
        Namespaced.class.isAssignableFrom(model),
        shortNames,
        categories,
        statusSubresource,
        scale);
  }

  private BuiltInResources() {}
}
