package dev.sluice.core.process;

import static dev.sluice.core.process.ProcessorHarness.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.KeysetException;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskTest {

    private static final String ORDERS = pipeline("orders", """
            - {type: parse_json}
            - type: schema
              fields:
                email: {type: string, maxLength: 256, nullable: true}
                card_number: {type: string, format: digits}
                amount: {type: number}
            - {type: mask, fields: {email: siv, card_number: hmac}}
            """);

    private final ProcessorHarness harness = new ProcessorHarness();

    private Outcome<Event> orders(String body) {
        return harness.processors(ORDERS, "orders").apply(harness.event(body));
    }

    @Test
    void eachFieldIsReplacedByTheTokenOfItsModeUnderThePrimaryKey() {
        FlatRecord record = ((Outcome.Emit<Event>) orders("{\"email\": \"ada@example.com\","
                + " \"card_number\": \"4111111111111111\", \"amount\": 5}")).value().record();

        PiiMasker siv = new PiiMasker(harness.keyset, MaskMode.SIV);
        assertThat(record.string("email")).startsWith("sv1." + harness.keyset.primaryId() + ".");
        assertThat(siv.unmask(record.string("email"))).isEqualTo("ada@example.com");
        assertThat(record.string("card_number"))
                .isEqualTo(new PiiMasker(harness.keyset, MaskMode.HMAC).mask("4111111111111111"))
                .hasSize(Mask.HMAC_TOKEN_CHARS);
        assertThat(record.values().keySet()).containsExactly("email", "card_number", "amount");
    }

    @Test
    void aNullStaysNull() {
        FlatRecord record = ((Outcome.Emit<Event>) orders(
                "{\"email\": null, \"card_number\": \"4111\", \"amount\": 5}")).value().record();

        assertThat(record.has("email")).isTrue();
        assertThat(record.string("email")).isNull();
    }

    @Test
    void aValueTooLongForAnSivTokenIsRejectedNamingTheFieldNotTheValue() {
        String email = "a".repeat(200) + "@example.com";

        assertThat(orders("{\"email\": \"" + email + "\", \"card_number\": \"4111\", \"amount\": 5}"))
                .isEqualTo(Outcome.reject("email: value is 212 bytes in UTF-8; siv tokens fit 256 characters only"
                        + " for values up to 166 bytes"));
    }

    @Test
    void beforeASchemaAJsonStringIsMaskedAndAnythingElseRejected() {
        Stage<Event, Event> early = harness.processors(pipeline("early", """
                - {type: parse_json}
                - {type: mask, fields: {ip: hmac}}"""), "early");

        assertThat(((Outcome.Emit<Event>) early.apply(harness.event("{\"ip\": \"10.0.0.1\"}"))).value().record()
                .string("ip")).isEqualTo(new PiiMasker(harness.keyset, MaskMode.HMAC).mask("10.0.0.1"));
        assertThat(early.apply(harness.event("{\"ip\": 10}")))
                .isEqualTo(Outcome.reject("ip: expected a string to mask, got a number"));
        assertThat(early.apply(harness.event("{\"other\": 10}"))).isInstanceOf(Outcome.Emit.class);
    }

    @Test
    void aMaskedFieldIsAStringAsLongAsItsTokensWithoutItsFormat() {
        Fields fields = harness.fieldsAtSink(ORDERS, "orders");

        assertThat(fields.field("card_number")).hasValueSatisfying(field -> {
            assertThat(field.type()).isEqualTo(FieldType.STRING);
            assertThat(field.maxLength()).isEqualTo(56);
            assertThat(field.format()).isNull();
        });
        assertThat(fields.field("email")).hasValueSatisfying(field -> {
            assertThat(field.maxLength()).isEqualTo(PiiMasker.MAX_TOKEN_CHARS);
            assertThat(field.nullAllowed()).isTrue();
        });
    }

    @Test
    void aMaskOnAFieldTheSchemaDoesNotDeclareIsAConfigErrorAtItsKey() {
        assertThatThrownBy(() -> harness.assemble(ORDERS.replace("card_number: hmac", "card: hmac"), "orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:11:43: pipelines.orders.processors[2].fields.card: no field 'card' reaches this"
                        + " point (masking it; the fields here are email, card_number, amount)");
    }

    @Test
    void aMaskOnAFieldThatIsNotAStringIsAConfigErrorAtItsKey() {
        assertThatThrownBy(() -> harness.assemble(ORDERS.replace("card_number: hmac", "amount: hmac"), "orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:11:43: pipelines.orders.processors[2].fields.amount: field 'amount' is a"
                        + " number, but masking it needs a string");
    }

    @Test
    void anUnknownModeIsAConfigErrorNamingTheModes() {
        assertThatThrownBy(() -> harness.assemble(ORDERS.replace("card_number: hmac", "card_number: sha1"),
                "orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:11:43: pipelines.orders.processors[2].fields.card_number: expected one of"
                        + " hmac, siv, got \"sha1\"");
    }

    @Test
    void theKeysetComesFromTheKeysSectionsFileOnceForEveryMask(@TempDir Path directory) throws Exception {
        Keyset keyset = Keyset.generate();
        Path file = directory.resolve("keyset.json");
        keyset.writeTo(file);
        ConfigLoader loader = new ConfigLoader(Map.of());
        Catalog catalog = Catalog.of(List.of(new CorePlugins()));
        try (Resources resources = new Resources(catalog, loader.read("sluice.yaml", "keys: {keysetFile: " + file
                + "}\n").root(), Map.of(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            Mask mask = (Mask) Mask.PLUGIN.factory().create(new Mask.Settings(Map.of("ip", MaskMode.HMAC)),
                    resources.context("p", null, Fields.UNKNOWN, new ArrayList<>()));
            FlatRecord masked = ((Outcome.Emit<Event>) mask.apply(harness.event("").with(new FlatRecord(
                    Map.of("ip", "10.0.0.1"))))).value().record();

            assertThat(masked.string("ip")).isEqualTo(new PiiMasker(keyset, MaskMode.HMAC).mask("10.0.0.1"));
            assertThat(resources.context("q", null, Fields.UNKNOWN, new ArrayList<>()).shared(KeysSettings.KEYSET))
                    .isSameAs(resources.context("p", null, Fields.UNKNOWN, new ArrayList<>())
                            .shared(KeysSettings.KEYSET));
        }
    }

    @Test
    void anUnknownKeyInTheKeysSectionIsAConfigErrorAtItsLine() {
        String yaml = ORDERS + "keys:\n  keysetfile: /etc/keyset.json\n";

        assertThatThrownBy(() -> harness.assemble(yaml, "orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:15:3: unknown key 'keysetfile' under keys (known: keysetFile, kmsKeyUri)");
    }

    @Test
    void withoutAnyKeysetTheStartFailsNamingWhereKeysComeFrom() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        Catalog catalog = Catalog.of(List.of(new CorePlugins()));
        try (Resources resources = new Resources(catalog, loader.read("sluice.yaml", "pipelines: {}\n").root(),
                Map.of(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThatThrownBy(() -> Mask.PLUGIN.factory().create(new Mask.Settings(Map.of("ip", MaskMode.HMAC)),
                    resources.context("p", null, Fields.UNKNOWN, new ArrayList<>())))
                    .isInstanceOf(KeysetException.class)
                    .hasMessage("no keyset: set SLUICE_KEYSET to the keyset JSON or SLUICE_KEYSET_FILE to the path of"
                            + " a keyset file");
        }
    }
}
