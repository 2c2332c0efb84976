package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Label selector matching done in Java, because fabric8's mock API only understands {@code =}, {@code !=} and
 * exists, and ignores {@code In}/{@code NotIn} (it would match everything).
 * Semantics: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
final class LabelSelectors {

    private LabelSelectors() {
    }

    /** A Deployment/ReplicaSet selector; an empty or missing selector matches nothing, as for apps/v1 workloads. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        boolean hasLabels = selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty();
        boolean hasExpressions = selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty();
        if (!hasLabels && !hasExpressions) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (hasLabels && !matches(selector.getMatchLabels(), actual)) {
            return false;
        }
        if (hasExpressions) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!matches(requirement, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A Service selector (a plain map): every pair must be present. */
    static boolean matches(Map<String, String> required, Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        return required.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(requirement.getKey());
            case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
            default -> throw new IllegalArgumentException("Unknown label selector operator '"
                    + requirement.getOperator() + "' for key '" + requirement.getKey()
                    + "'; use In, NotIn, Exists or DoesNotExist");
        };
    }
}
