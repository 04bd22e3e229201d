package dev.sluice.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.TestPlugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The logins flow written as a definition ({@code parse_json → schema → mask → derive}) makes what today's
 * LoginParser + LoginMasker make: the same fields, tokens, version integer and processing date, and the same
 * reject reasons for the generator's malformed bodies.
 */
class LoginsDefinitionTest {

    private static final String LOGINS = """
            pipelines:
              logins_as_definition:
                source: {type: memory, queue: logins-as-definition}
                processors:
                  - {type: parse_json, maxBodyBytes: 65536}
                  - type: schema
                    fields:
                      user_id: {type: string, maxLength: 128}
                      app_version: {type: string, maxLength: 32, format: version}
                      device_type: {type: string, maxLength: 32}
                      ip: {type: string, format: ip}
                      locale: {type: string, required: false, nullable: true, maxLength: 32}
                      device_id: {type: string, maxLength: 128}
                  - {type: mask, fields: {ip: hmac, device_id: hmac}}
                  - type: derive
                    derive:
                      - {field: app_version_text, copy: app_version}
                      - {field: app_version, version: app_version}
                      - {field: create_date, processingDate: true}
                sink: {type: collect}
                errors: {type: collect}
            """;

    private final ProcessorHarness harness = new ProcessorHarness();

    @AfterEach
    void forget() {
        TestPlugins.QUEUES.clear();
        TestPlugins.WRITTEN.clear();
        TestPlugins.REJECTED.clear();
    }

    @Test
    void theDefinitionMakesWhatTheLoginsPipelineMakes() {
        try (AssembledPipeline logins = harness.assemble(LOGINS, "logins_as_definition")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("logins-as-definition");
            queue.send("""
                    {"user_id": "u-1", "app_version": "2.3.0", "device_type": "android", "ip": "199.172.111.135",
                     "locale": "RU", "device_id": "593-47-5928"}""");
            queue.send("""
                    {"user_id": "u-2", "app_version": "0.96", "device": {"type": "ios"}, "ip": "2001:db8::1",
                     "locale": null, "device_id": "000-00-0000", "extra": "not stored"}""");
            queue.send("[1, 2, 3]");
            queue.send("{\"foo\": \"oops_wrong_msg_type\", \"bar\": \"123\"}");
            queue.send("{\"user_id\": 42, \"app_version\": \"1.0\", \"device_type\": \"ios\", \"ip\": \"10.0.0.1\", "
                    + "\"locale\": \"US\", \"device_id\": \"000-00-0000\"}");
            queue.send("{\"user_id\": \"u\", \"app_version\": \"abc\", \"device_type\": \"ios\", \"ip\": \"300.1.2.3\","
                    + " \"locale\": \"US\", \"device_id\": \"000-00-0000\"}");
            logins.start(new SimpleMeterRegistry(), harness.clock);
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);

            PiiMasker hmac = new PiiMasker(harness.keyset, MaskMode.HMAC);
            List<FlatRecord> written = TestPlugins.WRITTEN.get("logins_as_definition").stream()
                    .map(Event::record).toList();
            Map<String, Object> first = new LinkedHashMap<>();
            first.put("user_id", "u-1");
            first.put("app_version", 2_003_000L);
            first.put("device_type", "android");
            first.put("ip", hmac.mask("199.172.111.135"));
            first.put("locale", "RU");
            first.put("device_id", hmac.mask("593-47-5928"));
            first.put("app_version_text", "2.3.0");
            first.put("create_date", LocalDate.of(2026, 3, 4));
            Map<String, Object> second = new LinkedHashMap<>(first);
            second.put("user_id", "u-2");
            second.put("app_version", 96_000L);
            second.put("device_type", "ios");
            second.put("ip", hmac.mask("2001:db8::1"));
            second.put("locale", null);
            second.put("device_id", hmac.mask("000-00-0000"));
            second.put("app_version_text", "0.96");
            assertThat(written).containsExactlyInAnyOrder(new FlatRecord(first), new FlatRecord(second));
            assertThat(TestPlugins.REJECTED.get("logins_as_definition")).extracting(Rejected::reason)
                    .containsExactlyInAnyOrder(
                            "body: expected a JSON object, got an array",
                            "user_id: required field is missing; app_version: required field is missing; "
                                    + "device_type: required field is missing; ip: required field is missing; "
                                    + "device_id: required field is missing",
                            "user_id: expected a string, got a number",
                            "app_version: not a version (1 to 3 dot-separated numbers); "
                                    + "ip: not an IPv4 or IPv6 address");
        }
    }

    @Test
    void theSinkSeesTheLoginsTableTypes() {
        assertThat(harness.fieldsAtSink(LOGINS, "logins_as_definition").all())
                .extracting(FieldSpec::name, FieldSpec::type, FieldSpec::maxLength)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("user_id", FieldType.STRING, 128),
                        org.assertj.core.groups.Tuple.tuple("app_version", FieldType.INTEGER, 0),
                        org.assertj.core.groups.Tuple.tuple("device_type", FieldType.STRING, 32),
                        org.assertj.core.groups.Tuple.tuple("ip", FieldType.STRING, 56),
                        org.assertj.core.groups.Tuple.tuple("locale", FieldType.STRING, 32),
                        org.assertj.core.groups.Tuple.tuple("device_id", FieldType.STRING, 56),
                        org.assertj.core.groups.Tuple.tuple("app_version_text", FieldType.STRING, 32),
                        org.assertj.core.groups.Tuple.tuple("create_date", FieldType.DATE, 0));
    }
}
