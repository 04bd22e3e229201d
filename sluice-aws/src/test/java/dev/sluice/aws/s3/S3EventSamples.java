package dev.sluice.aws.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The notification samples in {@code src/test/resources/s3-events/}; their sources are in the README there. */
final class S3EventSamples {

    private S3EventSamples() {
    }

    static String load(String name) {
        try (InputStream in = S3EventSamples.class.getResourceAsStream("/s3-events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
