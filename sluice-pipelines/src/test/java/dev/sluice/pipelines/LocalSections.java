package dev.sluice.pipelines;

import dev.sluice.local.LocalAwsAccount;

import java.util.Map;
import java.util.stream.Collectors;

/** The aws: and postgres: sections of a test's YAML, for the embedded servers and a test database. */
public final class LocalSections {

    private LocalSections() {
    }

    /**
     * @param endpoints service ({@code sqs}, {@code s3}, {@code kinesis}) → the embedded server's endpoint
     * @param postgres  the test database's JDBC URL
     */
    public static String yaml(Map<String, ?> endpoints, String postgres) {
        String services = endpoints.entrySet().stream().map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                .sorted().collect(Collectors.joining(", "));
        return "aws: {region: us-east-1, endpoints: {" + services + "}, accessKeyId: \""
                + LocalAwsAccount.ACCESS_KEY_ID + "\",\n  secretAccessKey: \"" + LocalAwsAccount.SECRET_ACCESS_KEY
                + "\"}\npostgres: {url: \"" + postgres + "\"}\n";
    }
}
