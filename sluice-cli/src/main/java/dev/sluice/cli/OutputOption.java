package dev.sluice.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code -o FILE}: where a command that makes a document writes it; stdout without it. */
final class OutputOption {

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write it here (default: stdout)")
    Path output;

    /** Writes {@code text} to the file, saying so on stderr so stdout stays empty, or to stdout. */
    void write(CommandSpec spec, String what, String text) throws IOException {
        if (output == null) {
            spec.commandLine().getOut().print(text);
        } else {
            Files.writeString(output, text);
            spec.commandLine().getErr().println("sluice: " + what + " written to " + output);
        }
    }
}
