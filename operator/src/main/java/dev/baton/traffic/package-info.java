/**
 * Traffic routers: how a release's split between the stable and the canary version reaches the data plane.
 *
 * <h2>Gateway API (spec.strategy.trafficRouting.gatewayAPI)</h2>
 * Baton sets exact weights on backendRefs of a user's HTTPRoute; the user owns the route, Baton owns two
 * backendRefs in it and two Services:
 * <pre>
 *   HTTPRoute chat, each rule that names chat-stable:
 *     backendRefs: [{name: chat-stable, port: 80, weight: 100-W}, {name: chat-canary, port: 80, weight: W}, ...user's]
 *   Service chat-stable  selects  baton.dev/application=chat, baton.dev/version=&lt;stable&gt;, baton.dev/serving=true
 *   Service chat-canary  selects  baton.dev/application=chat, baton.dev/version=&lt;canary&gt;, baton.dev/serving=true
 * </pre>
 *
 * <p>Who calls what:
 * <ul>
 *   <li>the release planner (pure) asks the Application's router ({@link dev.baton.traffic.TrafficRouters#of}:
 *       {@link dev.baton.traffic.ReplicaRatioRouter} or {@link dev.baton.traffic.GatewayApiRoutes}) whether a split
 *       is in force on the observed route ({@code edit}: in force, a patch, or a problem for {@code Ready=False}
 *       reason {@code TrafficRoutingError}); a setWeight step is done only when it is;</li>
 *   <li>{@code TrafficPlanner} turns the release's target into the router's Services ({@code services}) and one
 *       {@code SetTrafficSplit} action;</li>
 *   <li>the executor hands the split to {@link dev.baton.traffic.GatewayApiRouter#apply}, which sends one JSON
 *       patch guarded by the route's resourceVersion and recomputes it when the route changed in between.</li>
 * </ul>
 *
 * <p>A release, in splits: {@code canary(0)} when it starts (the canary ref appears with weight 0, before
 * {@code chat-canary} turns to the new version), {@code canary(W)} per setWeight step once the pods for W are
 * ready, {@code canary(100)} on promotion once the new pool is whole. Then the old pool starts draining (it has no
 * route traffic left), {@code chat-stable} is re-pointed at the new version, and once that is observed
 * {@code stableOnly()} removes the canary ref and Baton's stable weight, leaving the route as the user wrote it.
 * An abort goes to {@code stableOnly()} at once, in the same reconcile as {@code chat-canary} turns back to the
 * stable version (the route write first). Between releases {@code chat-canary} selects the stable version, so a
 * canary ref that survives (a route re-synced from Git mid-release) still reaches live pods.
 */
package dev.baton.traffic;
