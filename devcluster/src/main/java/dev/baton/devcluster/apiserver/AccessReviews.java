package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers the authorization.k8s.io self-reviews: everything is allowed, because the embedded API server enforces no
 * RBAC. JOSDK posts a SelfSubjectRulesReview before leader election (fabric8's mock answers it 422) and
 * {@code kubectl auth can-i} posts a SelfSubjectAccessReview
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access).
 */
final class AccessReviews {

  private AccessReviews() {}

  /** kubectl may post the review as protobuf; the answer does not depend on the question, so only JSON is read. */
  static ApiResponse answer(ResourceType type, String body) {
    ObjectNode review = body.trim().startsWith("{") ? Store.parse(body) : Store.JSON.createObjectNode();
    review.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    review.putObject("metadata").put("creationTimestamp", (String) null);
    ObjectNode status = review.putObject("status");
    if (type.plural().equals("selfsubjectaccessreviews")) {
      status.put("allowed", true).put("reason", "the embedded API server does not enforce RBAC");
    } else {
      status.putArray("resourceRules").addObject()
          .<ObjectNode>set("verbs", Store.JSON.createArrayNode().add("*"))
          .<ObjectNode>set("apiGroups", Store.JSON.createArrayNode().add("*"))
          .set("resources", Store.JSON.createArrayNode().add("*"));
      status.putArray("nonResourceRules").addObject()
          .<ObjectNode>set("verbs", Store.JSON.createArrayNode().add("*"))
          .set("nonResourceURLs", Store.JSON.createArrayNode().add("*"));
      status.put("incomplete", false);
    }
    return ApiResponse.of(201, review.toString());
  }
}
