package dev.sluice.postgres.warehouse;

import dev.sluice.postgres.SqlIdentifier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedshiftCopyTest {
    static final String ROLE = "arn:aws:iam::123456789012:role/redshift-load";
    final RedshiftCopy redshift = new RedshiftCopy(SqlIdentifier.table("events_staging"), ROLE);

    @Test
    void theCopyReadsTheManifestAsGzipJsonWithAutomaticTimeFormats() {
        assertThat(redshift.copy("tracking", "tracking-manifests/run-1.json")).isEqualTo(
                "COPY \"events_staging\" FROM 's3://tracking/tracking-manifests/run-1.json' IAM_ROLE '" + ROLE
                        + "' FORMAT JSON 'auto' GZIP TIMEFORMAT 'auto' MANIFEST");
    }

    @Test
    void theManifestListsEveryFileAsMandatoryInOrder() {
        List<String> keys = List.of("tracking-raw/dt=2026-11-22/181342-a.json.gz",
                "tracking-raw/dt=2026-11-22/181442-b.json.gz");

        JsonNode manifest = JsonMapper.builder().build().readTree(redshift.manifest("tracking", keys));

        assertThat(manifest.propertyNames()).containsExactly("entries");
        assertThat(manifest.get("entries")).hasSize(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            JsonNode entry = manifest.get("entries").get(i);
            assertThat(entry.get("url").stringValue()).isEqualTo("s3://tracking/" + keys.get(i));
            assertThat(entry.get("mandatory").booleanValue()).isTrue();
        }
    }

    @Test
    void aKeyWithQuotesOrBackslashesCannotEndTheLiteral() {
        String sql = redshift.copy("tracking", "m/it's\\' OR 1=1.json");

        assertThat(sql).contains("FROM 's3://tracking/m/it''s\\\\'' OR 1=1.json' IAM_ROLE");
        // Outside the literals only the fixed words remain.
        assertThat(sql.replaceAll("'([^'\\\\]|''|\\\\\\\\)*'", "L")).isEqualTo(
                "COPY \"events_staging\" FROM L IAM_ROLE L FORMAT JSON L GZIP TIMEFORMAT L MANIFEST");
    }

    @Test
    void aKeyWithQuotesIsEscapedInTheManifestJson() {
        String manifest = redshift.manifest("tracking", List.of("a\"b.json.gz"));

        assertThat(JsonMapper.builder().build().readTree(manifest).get("entries").get(0).get("url").stringValue())
                .isEqualTo("s3://tracking/a\"b.json.gz");
    }

    @Test
    void badNamesAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> new RedshiftCopy(SqlIdentifier.table("events"), "arn:aws:iam::1:role/x' --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iamRole")
                .hasMessageContaining(RedshiftCopy.IAM_ROLE_RULE);
        assertThatThrownBy(() -> redshift.copy("Tracking Bucket", "m.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket name")
                .hasMessageContaining(RedshiftCopy.BUCKET_RULE);
        assertThatThrownBy(() -> redshift.manifest("tracking", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one file");
        assertThatThrownBy(() -> SqlIdentifier.table("events; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
