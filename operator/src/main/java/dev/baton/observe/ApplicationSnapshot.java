package dev.baton.observe;

import dev.baton.api.Application;
import dev.baton.api.Canary;
import dev.baton.analysis.Measurement;
import dev.baton.drain.WatchResult;
import dev.baton.traffic.ObservedTraffic;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the planner may look at for one Application, read once from the informer caches: an
 * immutable picture, so the plan is a pure function of it.
 *
 * @param application the Application as the cache holds it
 * @param pools the Deployments this Application owns, by their version label
 * @param services the Services this Application owns, by name: {@code <app>} and the router and preview Services
 * @param disruptionBudgets the PodDisruptionBudgets this Application owns, by version label
 * @param canaries the Canaries (release records) this Application owns, by name
 * @param pods the live (not terminating) pods of each pool, by version
 * @param connections connection counts just taken from signalled draining pods, by pod name
 * @param measurements analysis measurements just taken for Canaries at a due analysis step, by Canary name
 * @param conflicts objects that hold a name Baton needs but belong to someone else
 * @param traffic what the traffic router looks at: the HTTPRoute of a Gateway API Application
 */
public record ApplicationSnapshot(
    Application application,
    Map<String, Deployment> pools,
    Map<String, Service> services,
    Map<String, PodDisruptionBudget> disruptionBudgets,
    Map<String, Canary> canaries,
    Map<String, List<Pod>> pods,
    Map<String, WatchResult> connections,
    Map<String, Measurement> measurements,
    List<Conflict> conflicts,
    ObservedTraffic traffic) {

  public ApplicationSnapshot {
    services = Map.copyOf(services);
    pools = Map.copyOf(pools);
    disruptionBudgets = Map.copyOf(disruptionBudgets);
    canaries = Map.copyOf(canaries);
    pods = Map.copyOf(pods);
    connections = Map.copyOf(connections);
    measurements = Map.copyOf(measurements);
    conflicts = List.copyOf(conflicts);
  }

  /** The Service {@code <app>} that clients use, when this Application owns it. */
  public Optional<Service> stableService() {
    return Optional.ofNullable(services.get(application.getMetadata().getName()));
  }

  /**
   * A name Baton needs that an object it does not own already holds. Baton never overwrites it.
   *
   * @param kind the object's kind
   * @param name its name
   * @param owner who owns it, in words ("Application other", "no owner")
   */
  public record Conflict(String kind, String name, String owner) {

    public String message() {
      return kind + " " + name + " already exists and is not Baton's (owner: " + owner + "); Baton will not overwrite"
          + " it. Delete or rename it, or rename the Application.";
    }
  }
}
