package dev.sluice.cli;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.mask.KeysetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;
import java.util.List;

/** {@code sluice}: the command line of Sluice. Run through the {@code ./sluice} launcher, which finds a JDK. */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceCommand.Version.class,
        description = "Exactly-once event and data pipelines on AWS-style infrastructure.",
        subcommands = {DemoCommand.class, RunCommand.class, LocalCommand.class, GenerateCommand.class,
                UploadCommand.class, StatusCommand.class, LoadCommand.class, ChartsCommand.class, LakeCommand.class,
                KeysCommand.class, UnmaskCommand.class, CheckCommand.class, LintCommand.class, PluginsCommand.class,
                SchemaCommand.class, GraphCommand.class, TestCommand.class,
                CommandLine.HelpCommand.class})
public final class SluiceCommand {

    public static void main(String[] args) {
        // Before anything creates a logger: logback reads the format once, when it configures itself.
        try {
            System.setProperty(LogFormat.PROPERTY, LogFormat.choose(List.of(args), System.getenv()).propertyValue());
        } catch (IllegalArgumentException e) {
            System.err.println("sluice: " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new SluiceCommand()).setParameterExceptionHandler(SluiceCommand::usageError)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isUserError(e)) {
                // Errors about input or settings are one clear line; their messages never carry secrets or PII.
                cmd.getErr().println("sluice: " + withCauses(e));
                return 2;
            }
            throw e;
        });
    }

    /**
     * A command line that names no known command or option is a usage error (exit 2), in one line naming what was not
     * understood and the closest known names: printing the help instead, and exiting 0, let a script that typed a
     * command this version lacks think it ran.
     */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String where = cmd.getCommandSpec().qualifiedName();
        String line;
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().getFirst();
            boolean option = first.startsWith("-");
            boolean command = !option && !cmd.getSubcommands().isEmpty();
            List<String> closest = unmatched.getSuggestions().stream().limit(3).toList();
            line = "unknown " + (option ? "option" : command ? "command" : "argument") + " '" + first + "'"
                    + (option || !command ? " for '" + where + "'" : "")
                    + (closest.isEmpty() ? "" : " (closest: " + String.join(", ", closest) + ")")
                    + "; see '" + where + " --help'";
        } else {
            line = e.getMessage() + "; see '" + where + " --help'";
        }
        cmd.getErr().println("sluice: " + line);
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * One line: the message and, where they add something, the first line of each cause's message ("could not start
     * the stack: port in use"). A configuration error already names the file, line, key and rule on its own.
     */
    static String withCauses(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        if (e instanceof ConfigException) {
            return text.toString();
        }
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            String message = cause.getMessage() == null ? null : cause.getMessage().lines().findFirst().orElse(null);
            if (message != null && !text.toString().contains(message)) {
                text.append(": ").append(message);
            }
        }
        return text.toString();
    }

    private static boolean isUserError(Exception e) {
        return e instanceof ConfigException || e instanceof KeysetException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof UncheckedIOException;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SluiceCommand.class.getPackage().getImplementationVersion();
            return new String[]{"sluice " + (version == null ? "development build" : version)
                    + " on Java " + Runtime.version()};
        }
    }
}
