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
 *   <li>the planner (pure) asks {@link dev.baton.traffic.GatewayApiRoutes} — as a
 *       {@link dev.baton.traffic.TrafficRouter} — for the Services it needs ({@code services}), for what it takes to
 *       put a split in force from the observed route ({@code edit}: in force, a patch, or a problem for
 *       {@code Ready=False} reason {@code TrafficRoutingError}), and whether the gateways took it ({@code verify});</li>
 *   <li>the executor hands the split to {@link dev.baton.traffic.GatewayApiRouter#apply}, which sends one JSON
 *       patch guarded by the route's resourceVersion and recomputes it when the route changed in between.</li>
 * </ul>
 *
 * <p>A release, in splits: {@code canary(0)} once the canary pool is ready (the canary ref appears with weight
 * 0), {@code canary(W)} per setWeight step, {@code canary(100)} on promotion; then {@code chat-stable} is
 * re-pointed at the new version (an UpdateService), and {@code stableOnly()} removes the canary ref and Baton's
 * stable weight, leaving the route as the user wrote it; only then does the old pool drain. An abort goes
 * {@code canary(0)} then {@code stableOnly()}. Between releases {@code chat-canary} selects the stable version,
 * so a canary ref that survives (a route re-synced from Git mid-release) still reaches live pods.
 */
package dev.baton.traffic;
