/**
 * Sluice's HTTP read API: {@link dev.sluice.server.ApiServer} serves health, readiness, Prometheus metrics and
 * groups of routes: token-protected data that pipelines' plugins contribute ({@link dev.sluice.server.PluginRoutes},
 * e.g. the {@code totals} routes of the {@code playtime} definition), and {@link dev.sluice.server.DashboardRoutes}, the operator's page at {@code /}, which
 * holds no data itself and reads the API with the token the operator gives it.
 */
package dev.sluice.server;
