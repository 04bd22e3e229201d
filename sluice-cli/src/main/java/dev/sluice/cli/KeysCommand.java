package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice keys new|rotate|wrap|unwrap}: masking keysets, written with mode 0600 and never printed; with a KMS
 * key URI the file holds no cleartext key (docs/operations.md, Keys).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, rotate, wrap under a KMS key or unwrap the masking keyset.",
        subcommands = {KeysCommand.New.class, KeysCommand.Rotate.class, KeysCommand.Wrap.class,
                KeysCommand.Unwrap.class})
final class KeysCommand {

    /** The keyset file a subcommand reads (and writes back), with the name {@code keys new} writes by default. */
    static final class KeysetFile {
        @Option(names = "--file", paramLabel = "FILE", defaultValue = "sluice-keyset.json",
                description = "the keyset file (default: ${DEFAULT-VALUE})")
        Path path;
    }

    private static final String KMS_KEY_URI_HELP = "a KMS key to wrap the keyset under, e.g. "
            + "aws-kms://arn:aws:kms:eu-west-1:123456789012:key/ID (then the file holds no cleartext key; run and "
            + "check need keys.kmsKeyUri or " + Keyset.ENV_KEYSET_KMS_KEY_URI + " set to it)";

    @Command(name = "new", aliases = "create", mixinStandardHelpOptions = true,
            description = "Write a new keyset file (mode 0600), cleartext or wrapped under a KMS key.")
    static final class New implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", defaultValue = "sluice-keyset.json",
                description = "where to write it (default: ${DEFAULT-VALUE})")
        Path file;

        @Option(names = "--force", description = "replace an existing file (tokens made with it can no longer be "
                + "unmasked or matched)")
        boolean force;

        @Option(names = "--kms-key-uri", paramLabel = "URI", description = KMS_KEY_URI_HELP)
        String kmsKeyUri;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Keyset keys = Keyset.generate();
            keys.writeTo(file, force, kmsKeyUri);
            var out = spec.commandLine().getOut();
            out.println("wrote keyset " + file + " (key " + keys.primaryId() + ", mode 0600"
                    + (kmsKeyUri == null ? "" : ", wrapped by " + kmsKeyUri) + ")");
            out.println("use it with: export " + Keyset.ENV_KEYSET_FILE + "=" + file.toAbsolutePath()
                    + (kmsKeyUri == null ? "" : " " + Keyset.ENV_KEYSET_KMS_KEY_URI + "=" + kmsKeyUri));
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new primary key; older keys stay so their tokens still unmask. A wrapped keyset "
                    + "stays wrapped under its KMS key.")
    static final class Rotate implements Callable<Integer> {
        @Mixin
        KeysetFile keyset;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = keyset.path;
            String wrappedBy = Keyset.wrappingOf(file).orElse(null);
            Keyset rotated = Keyset.readFrom(file, wrappedBy).rotate();
            rotated.writeTo(file, true, wrappedBy);
            spec.commandLine().getOut().println("rotated " + file + ": new primary key " + rotated.primaryId() + ", "
                    + rotated.keys().size() + " keys kept" + (wrappedBy == null ? "" : ", wrapped by " + wrappedBy));
            return 0;
        }
    }

    @Command(name = "wrap", mixinStandardHelpOptions = true,
            description = "Wrap a cleartext keyset file under a KMS key, in place (moving onto KMS).")
    static final class Wrap implements Callable<Integer> {
        @Mixin
        KeysetFile keyset;

        @Option(names = "--kms-key-uri", paramLabel = "URI", required = true, description = KMS_KEY_URI_HELP)
        String kmsKeyUri;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = keyset.path;
            Keyset keys = Keyset.readFrom(file);
            keys.writeTo(file, true, kmsKeyUri);
            spec.commandLine().getOut().println("wrapped " + file + " (" + keys.keys().size() + " keys) by "
                    + kmsKeyUri + "; set keys.kmsKeyUri or " + Keyset.ENV_KEYSET_KMS_KEY_URI + " to it, and remove "
                    + "any cleartext copy");
            return 0;
        }
    }

    @Command(name = "unwrap", mixinStandardHelpOptions = true,
            description = "Write a wrapped keyset as a cleartext keyset file (mode 0600), for moving off KMS.")
    static final class Unwrap implements Callable<Integer> {
        @Mixin
        KeysetFile keyset;

        @Option(names = "--out", paramLabel = "FILE", required = true,
                description = "where to write the cleartext keyset; never over an existing file")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = keyset.path;
            Optional<String> wrappedBy = Keyset.wrappingOf(file);
            if (wrappedBy.isEmpty()) {
                spec.commandLine().getErr().println("sluice: " + file + " is not wrapped by a KMS key; nothing to "
                        + "unwrap");
                return 2;
            }
            Keyset keys = Keyset.readFrom(file, wrappedBy.get());
            keys.writeTo(out);
            spec.commandLine().getErr().println("warning: " + out + " holds the keys in cleartext (mode 0600): "
                    + "anyone who reads it can unmask every siv token. Keep it only as long as the move off KMS "
                    + "takes, and never commit or log it.");
            spec.commandLine().getOut().println("unwrapped " + file + " (" + keys.keys().size() + " keys, wrapped by "
                    + wrappedBy.get() + ") into " + out);
            return 0;
        }
    }
}
