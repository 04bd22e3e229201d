package dev.sluice.cli;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SchemaBodies} judged by the pipeline it is made for: docs/examples/orders.yaml's own processors (parse_json,
 * schema, mask) emit every valid body and every duplicate and reject every malformed one.
 */
class SchemaBodiesTest {

    private static final Path ORDERS = Path.of(System.getProperty("sluice.root"), "docs", "examples", "orders.yaml");
    private static final Map<String, String> ENV = Map.of("SLUICE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:9/unused",
            Keyset.ENV_KEYSET, Keyset.generate().toJson());

    @Test
    void theOrdersProcessorsEmitValidBodiesAndDuplicatesAndRejectMalformedOnes() {
        ConfigSource.Loaded config = ConfigSource.read(ORDERS, ENV);
        Stage<Message, Event> processors = new PipelineAssembler(config.catalog(), new Resources(config.catalog(),
                config.definitions().root(), ENV, new SimpleMeterRegistry(), Clock.systemUTC()))
                .processors("orders", config.definitions().definition("orders"), new ArrayList<>());
        SchemaBodies bodies = new SchemaBodies(SchemaBodies.declared("orders", config.definitions()
                .definition("orders")), 11, 0.2, 0.3, Clock.systemUTC());

        Map<SchemaBodies.Kind, Integer> wrong = new EnumMap<>(SchemaBodies.Kind.class);
        int noteAbsent = 0;
        int noteNull = 0;
        for (int i = 0; i < 1_000; i++) {
            SchemaBodies.Body body = bodies.next();
            Outcome<Event> outcome = processors.apply(new Message(body.text(),
                    new SourceCoordinates.Queue("orders", "m-" + i, 1), Instant.now(), "r"));
            boolean rejected = outcome instanceof Outcome.Reject<?>;
            if (rejected != (body.kind() == SchemaBodies.Kind.MALFORMED)) {
                wrong.merge(body.kind(), 1, Integer::sum);
            }
            noteAbsent += body.kind() == SchemaBodies.Kind.VALID && !body.text().contains("\"note\"") ? 1 : 0;
            noteNull += body.text().contains("\"note\":null") ? 1 : 0;
        }
        assertThat(wrong).as("bodies the pipeline judged otherwise than meant").isEmpty();
        assertThat(bodies.count(SchemaBodies.Kind.MALFORMED)).isBetween(200L, 400L);
        assertThat(bodies.count(SchemaBodies.Kind.DUPLICATE)).isBetween(100L, 300L);
        assertThat(noteAbsent).as("the optional note left out").isPositive();
        assertThat(noteNull).as("the nullable note null").isPositive();
    }

    @Test
    void ratesOutsideZeroToOneOrAddingUpToMoreThanOneAreRefused() {
        ConfigSource.Loaded config = ConfigSource.read(ORDERS, ENV);
        var schema = SchemaBodies.declared("orders", config.definitions().definition("orders"));
        assertThatThrownBy(() -> new SchemaBodies(schema, 1, -0.1, 0, Clock.systemUTC()))
                .hasMessage("--duplicate-rate and --malformed-rate must be between 0 and 1");
        assertThatThrownBy(() -> new SchemaBodies(schema, 1, 0.6, 0.5, Clock.systemUTC()))
                .hasMessage("--duplicate-rate plus --malformed-rate must be at most 1");
    }

    @Test
    void aFilesPipelineIsRefusedNamingItsSource() {
        Path sessions = Path.of(System.getProperty("sluice.root"), "docs", "examples", "sessions.yaml");
        // the wired settings still require a postgres section, which the example, needing no database, lacks
        ConfigSource.Loaded config = ConfigSource.read(sessions, ENV, "postgres: {url: \"${SLUICE_POSTGRES_URL}\"}");
        assertThatThrownBy(() -> PipelineTraffic.send(config, "sessions", 1, null, 1, 0, 0, System.out))
                .hasMessage("pipeline sessions reads a s3_notifications source; sluice generate sends to sqs and"
                        + " kinesis sources only (for files, upload them with sluice upload)");
    }
}
