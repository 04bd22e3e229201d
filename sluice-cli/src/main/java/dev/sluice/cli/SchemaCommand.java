package dev.sluice.cli;

import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.ConfigSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code sluice schema}: the JSON Schema of sluice.yaml, for editors' completion and checks as you type
 * (docs/pipelines.md shows how to point VS Code and IntelliJ at it).
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Write the JSON Schema (draft 2020-12) of sluice.yaml, for editors.",
                "Made from the plugins' settings records and references; see docs/pipelines.md."})
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        output.write(spec, "schema", text(schema()) + "\n");
        return 0;
    }

    static ObjectNode schema() {
        return ConfigSchema.of(Catalog.load());
    }

    static String text(ObjectNode schema) {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(schema);
    }
}
