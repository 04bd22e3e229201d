package dev.sluice.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --data-dir}: where the embedded stack keeps its data, shared by {@code demo} and {@code local}. */
final class DataDirectoryOption {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".sluice",
            description = "where data lives (default: ${DEFAULT-VALUE})")
    Path path;
}
