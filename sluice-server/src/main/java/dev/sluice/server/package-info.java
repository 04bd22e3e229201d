/**
 * Sluice's HTTP read API: {@link dev.sluice.server.ApiServer} serves health, readiness, Prometheus metrics and
 * groups of routes: token-protected data that pipelines' plugins contribute ({@link dev.sluice.server.PluginRoutes},
 * e.g. the {@code totals} routes of a pipeline summing Parquet files into Redis), the panels that show that data
 * ({@link dev.sluice.server.PanelsApi}), and {@link dev.sluice.server.DashboardRoutes}, the operator's pages, which
 * hold no data themselves, know no pipeline, and read the API with the token the operator gives them.
 */
package dev.sluice.server;
