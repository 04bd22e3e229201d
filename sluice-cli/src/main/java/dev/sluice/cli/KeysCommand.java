package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sluice keys new|rotate}: masking keysets, written with mode 0600 and never printed. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create or rotate the masking keyset.",
        subcommands = {KeysCommand.New.class, KeysCommand.Rotate.class})
final class KeysCommand {

    @Command(name = "new", mixinStandardHelpOptions = true, description = "Write a new keyset file (mode 0600).")
    static final class New implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", defaultValue = "sluice-keyset.json",
                description = "where to write it (default: ${DEFAULT-VALUE})")
        Path file;

        @Option(names = "--force", description = "replace an existing file (tokens made with it can no longer be "
                + "unmasked or matched)")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Keyset keys = Keyset.generate();
            keys.writeTo(file, force);
            var out = spec.commandLine().getOut();
            out.println("wrote keyset " + file + " (key " + keys.primaryId() + ", mode 0600)");
            out.println("use it with: export " + Keyset.ENV_KEYSET_FILE + "=" + file.toAbsolutePath());
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new primary key; older keys stay so their tokens still unmask.")
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", defaultValue = "sluice-keyset.json",
                description = "the keyset to rotate (default: ${DEFAULT-VALUE})")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Keyset rotated = Keyset.readFrom(file).rotate();
            rotated.writeTo(file, true);
            spec.commandLine().getOut().println("rotated " + file + ": new primary key " + rotated.primaryId() + ", "
                    + rotated.keys().size() + " keys kept");
            return 0;
        }
    }
}
