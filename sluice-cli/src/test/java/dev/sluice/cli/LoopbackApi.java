package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;

import java.io.IOException;
import java.nio.file.Path;

/** What the tests that serve the read API of running pipelines set up: the API on loopback, and a keyset file. */
final class LoopbackApi {

    private LoopbackApi() {
    }

    /** The read API {@code run} and {@code demo} serve, bound to 127.0.0.1 on a free port. */
    static ReadApi create() {
        ReadApi api = new ReadApi();
        api.host = "127.0.0.1";
        return api;
    }

    /** A new masking keyset written to {@code dir/keyset.json}. */
    static Path newKeyset(Path dir) throws IOException {
        Path file = dir.resolve("keyset.json");
        Keyset.generate().writeTo(file);
        return file;
    }
}
