package dev.sluice.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --queue} and {@code --config} of the commands that put files into a bucket and notify the playtime queue
 * ({@code upload}, {@code generate playtime}).
 */
final class PlaytimeQueueOptions {
    @Option(names = "--queue", paramLabel = "NAME", description = "queue for the notifications (default: the "
            + "playtime pipeline's queue from the config)")
    String queue;

    @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml for endpoints and the queue")
    Path config;

    /**
     * A publisher on the endpoints of {@code --config} (or the environment) and the chosen queue, by default the
     * one the playtime definition reads there.
     */
    PlaytimePublisher openPublisher() {
        ConfigSource.Loaded loaded = ConfigSource.read(config, System.getenv());
        return PlaytimePublisher.open(loaded.wired().aws(), queue != null ? queue : loaded.playtimeQueue());
    }
}
