/**
 * Sluice's HTTP read API: {@link dev.sluice.server.ApiServer} serves health, readiness, Prometheus metrics and
 * groups of routes: token-protected data such as {@link dev.sluice.server.PlaytimeApi}, the read side of the
 * {@code playtime} pipeline, and {@link dev.sluice.server.DashboardRoutes}, the operator's page at {@code /}, which
 * holds no data itself and reads the API with the token the operator gives it.
 */
package dev.sluice.server;
