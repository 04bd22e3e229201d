package dev.sluice.pipelines.lake;

import java.time.Instant;

/** One object of the lake as listed: its key, its ETag (without quotes), its size in bytes and when it was written. */
public record LakeObject(String key, String etag, long size, Instant lastModified) {

    /** The key's directory with its trailing '/', e.g. {@code events/year=2026/month=11/day=22/event_type=a/}. */
    public String directory() {
        return key.substring(0, key.lastIndexOf('/') + 1);
    }
}
