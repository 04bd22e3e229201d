/**
 * Sluice's HTTP read API: {@link dev.sluice.server.ApiServer} serves health, readiness, Prometheus metrics and
 * groups of token-protected routes such as {@link dev.sluice.server.PlaytimeApi}, the read side of the
 * {@code playtime} pipeline, and {@link dev.sluice.server.DashboardRoutes}, the operator's page at {@code /}.
 */
package dev.sluice.server;
