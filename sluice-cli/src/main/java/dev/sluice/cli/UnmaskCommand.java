package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sluice unmask TOKEN…}: the original value of {@code siv} tokens; {@code hmac} tokens are one-way. */
@Command(name = "unmask", mixinStandardHelpOptions = true,
        description = "Print the original value of siv tokens (one per line; reads stdin without arguments).")
final class UnmaskCommand implements Callable<Integer> {
    @Option(names = "--keyset", paramLabel = "FILE",
            description = "keyset file (default: SLUICE_KEYSET_FILE or SLUICE_KEYSET from the environment)")
    Path keyset;

    @Parameters(arity = "0..*", paramLabel = "TOKEN")
    List<String> tokens;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // A wrapped keyset is unwrapped under SLUICE_KEYSET_KMS_KEY_URI, as run reads it.
        Keyset keys = Keyset.load(keyset, null, System.getenv());
        PiiMasker masker = new PiiMasker(keys, MaskMode.SIV);
        List<String> input = tokens != null && !tokens.isEmpty() ? tokens
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String token : input) {
            spec.commandLine().getOut().println(masker.unmask(token));
        }
        return 0;
    }
}
