package dev.baton.plan;

import dev.baton.api.Application;
import dev.baton.observe.ApplicationSnapshot;
import dev.baton.resources.ServiceFactory;
import dev.baton.traffic.RouteBackends;
import dev.baton.traffic.RouteEdit;
import dev.baton.traffic.TrafficRouter;
import dev.baton.traffic.TrafficRouters;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts a {@link TrafficTarget} in place: the Services Baton owns ({@code <app>}, the Gateway API router's
 * {@code <app>-stable} and {@code <app>-canary}, the blue-green {@code <app>-preview}) and the weights on the
 * HTTPRoute. Services the spec no longer asks for are deleted; only Services this Application owns are ever
 * touched (the snapshot holds no other).
 *
 * <p>Order matters where a route points at a Service: a Service the route is about to name is created first,
 * but a route write comes before a selector change, so a weight taken off {@code <app>-canary} (a superseded
 * release, an abort) is off before the Service selects other pods.
 */
final class TrafficPlanner {

  private TrafficPlanner() {}

  /**
   * @param actions the writes, in order
   * @param problem what keeps the route from carrying the split, for {@code Ready=False} reason TrafficRoutingError
   * @param routeWritten whether a route write is among the actions: it is observed again right after, since no
   *     informer watches the user's route
   */
  record Result(List<Action> actions, Optional<String> problem, boolean routeWritten) {}

  static Result plan(ApplicationSnapshot snapshot, TrafficTarget target) {
    Application app = snapshot.application();
    TrafficRouter router = TrafficRouters.of(app);
    List<Service> wanted = new ArrayList<>();
    wanted.add(ServiceFactory.stable(app, target.activeVersion()));
    wanted.addAll(router.services(app, target.stableVersion(), target.canaryVersion()));
    if (ServiceFactory.wantsPreview(app)) {
      wanted.add(ServiceFactory.preview(app, target.canaryVersion()));
    }

    List<Action> creates = new ArrayList<>();
    List<Action> updates = new ArrayList<>();
    for (Service desired : wanted) {
      Service actual = snapshot.services().get(desired.getMetadata().getName());
      if (actual == null) {
        creates.add(new Action.CreateService(desired));
      } else if (ServiceFactory.differs(actual, desired)) {
        updates.add(new Action.UpdateService(ServiceFactory.keepAllocatedNodePorts(desired, actual)));
      }
    }
    Set<String> wantedNames = wanted.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    List<Action> deletes = snapshot.services().keySet().stream().sorted()
        .filter(name -> !wantedNames.contains(name))
        .<Action>map(Action.DeleteService::new)
        .toList();

    List<Action> actions = new ArrayList<>(creates);
    Optional<String> problem = Optional.empty();
    boolean routeWritten = false;
    RouteEdit edit = router.edit(app, snapshot.traffic(), target.split());
    if (edit instanceof RouteEdit.Patch) {
      actions.add(new Action.SetTrafficSplit(RouteBackends.of(app), target.split(), snapshot.traffic().httpRoute().orElseThrow()));
      routeWritten = true;
    } else if (edit instanceof RouteEdit.Problem p) {
      problem = Optional.of(p.message());
    }
    actions.addAll(updates);
    actions.addAll(deletes);
    return new Result(actions, problem, routeWritten);
  }
}
