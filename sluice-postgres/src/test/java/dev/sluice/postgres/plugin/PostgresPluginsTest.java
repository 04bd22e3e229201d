package dev.sluice.postgres.plugin;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigPath;
import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.dedupe.SeenEvents;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.core.plugin.PluginKind;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the module adds to the catalog, and the services other modules' plugins choose by name. */
@OnEachPostgres
class PostgresPluginsTest {

    @Parameter
    TestDatabase database;

    @Test
    void theCatalogOfTheClassPathHasThePostgresPluginsSectionAndServices() {
        Catalog catalog = Catalog.load();
        assertThat(catalog.plugins(PluginKind.SINK)).extracting(Plugin::type).contains("postgres_table");
        assertThat(catalog.plugins(PluginKind.ERRORS)).extracting(Plugin::type).contains("postgres_errors");
        assertThat(catalog.plugins(PluginKind.PROCESSOR)).extracting(Plugin::type).contains("dedupe");
        assertThat(catalog.sections()).containsKey("postgres");
        assertThat(catalog.services(CheckpointStore.class)).containsExactly("postgres");
        assertThat(catalog.services(SeenEvents.class)).containsExactly("postgres");
    }

    @Test
    void aPostgresPluginWithoutThePostgresSectionIsAnErrorNamingIt() {
        try (Pipelines pipelines = new Pipelines("""
                pipelines:
                  orders:
                    source: {type: memory, queue: orders}
                    sink: {type: postgres_table, table: orders, create: none, columns: {body: $key}}
                    errors: {type: postgres_errors, table: orders_errors}
                """)) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:1:1: postgres: url is required: jdbc:postgresql://host:port/database");
        }
    }

    @Test
    void theServicesCreateTheirTablesOnFirstUseAndTheDatabaseIsAReadinessProbe() throws Exception {
        try (Pipelines pipelines = new Pipelines("postgres:\n  url: \"" + database.jdbcUrl() + "\"\n")) {
            PluginContext context = pipelines.resources().context("streams", ConfigPath.ROOT, Fields.UNKNOWN,
                    new ArrayList<>());

            CheckpointStore checkpoints = context.service(CheckpointStore.class, "postgres", "checkpoints");
            checkpoints.save("clicks", List.of(new Checkpoint("shard-1", "42", false)));
            assertThat(checkpoints.load("clicks")).containsValue(new Checkpoint("shard-1", "42", false));
            assertThat(context.service(CheckpointStore.class, "postgres", "checkpoints")).isSameAs(checkpoints);

            SeenEvents seen = context.service(SeenEvents.class, "postgres", "store");
            seen.record(List.of(new SeenEvent("e-1", Instant.parse("2026-01-02T03:04:05Z"))), Instant.now());
            assertThat(seen.recorded(List.of("e-1", "e-2"))).containsExactly("e-1");

            assertThat(pipelines.resources().probes()).containsOnlyKeys("postgres");
            pipelines.resources().probes().get("postgres").check();
        }
    }
}
