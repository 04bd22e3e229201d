/**
 * Whole-file totals in Redis: {@link dev.sluice.redis.TotalsStore} counts each file's per-group sums exactly once
 * with one Lua script (key layout {@link dev.sluice.redis.TotalsKeys}) and serves the reads of the API.
 * {@link dev.sluice.redis.RedisPlugins} adds the {@code redis:} section, the {@code totals} routes and the
 * {@code redis_errors} error sink to the catalog.
 */
package dev.sluice.redis;
