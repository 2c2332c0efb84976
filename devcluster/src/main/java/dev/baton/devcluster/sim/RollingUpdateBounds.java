package dev.baton.devcluster.sim;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * A rolling update's {@code maxSurge} and {@code maxUnavailable} resolved to pod counts, as {@code ResolveFenceposts}
 * in pkg/controller/deployment/util/deployment_util.go: percentages of {@code spec.replicas}, surge rounded up,
 * unavailable rounded down, and when both come out 0, unavailable becomes 1 so the rollout can make progress.
 * Defaults 25% / 25% (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment).
 * A Recreate Deployment has no surge and no unavailability budget (MaxUnavailable returns 0 for it).
 */
record RollingUpdateBounds(int maxSurge, int maxUnavailable) {

    private static final IntOrString DEFAULT = new IntOrString("25%");

    static RollingUpdateBounds of(Deployment deployment) {
        int replicas = DeploymentController.replicas(deployment);
        if (DeploymentController.isRecreate(deployment)) {
            return new RollingUpdateBounds(0, 0);
        }
        RollingUpdateDeployment rolling = deployment.getSpec().getStrategy() == null ? null
                : deployment.getSpec().getStrategy().getRollingUpdate();
        IntOrString surge = rolling == null || rolling.getMaxSurge() == null ? DEFAULT : rolling.getMaxSurge();
        IntOrString unavailable = rolling == null || rolling.getMaxUnavailable() == null ? DEFAULT : rolling.getMaxUnavailable();
        return resolve(surge, unavailable, replicas);
    }

    static RollingUpdateBounds resolve(IntOrString maxSurge, IntOrString maxUnavailable, int replicas) {
        int surge = scaled(maxSurge, replicas, true, "maxSurge");
        int unavailable = scaled(maxUnavailable, replicas, false, "maxUnavailable");
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new RollingUpdateBounds(surge, unavailable);
    }

    /** GetScaledValueFromIntOrPercent. */
    static int scaled(IntOrString value, int total, boolean roundUp, String field) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text == null || !text.endsWith("%")) {
            throw new IllegalArgumentException("spec.strategy.rollingUpdate." + field + " is '" + text
                    + "'; use a whole number of pods or a percentage such as '25%'");
        }
        int percent;
        try {
            percent = Integer.parseInt(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("spec.strategy.rollingUpdate." + field + " is '" + text
                    + "'; the percentage must be a whole number such as '25%'", e);
        }
        long scaled = (long) percent * total;
        return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
    }
}
