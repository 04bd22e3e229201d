/**
 * The Redis side of the {@code playtime} pipeline: {@link dev.sluice.redis.PlaytimeStore} counts each file's
 * per-user deltas exactly once with one Lua script and serves the reads of the API.
 */
package dev.sluice.redis;
