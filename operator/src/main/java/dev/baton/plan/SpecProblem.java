package dev.baton.plan;

/**
 * Something wrong with a spec that the CRD schema could not catch, worded as advice.
 *
 * @param field the field, as Kubernetes writes paths: {@code spec.service.ports[0].targetPort}
 * @param advice what is wrong and what would be right
 */
public record SpecProblem(String field, String advice) {

  public String message() {
    return field + ": " + advice;
  }
}
