package dev.sluice.postgres;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.rds.RdsUtilities;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RDS IAM tokens from the AWS SDK ({@link RdsUtilities#generateAuthenticationToken}): signed locally with the
 * default credentials chain (role, profile, environment), no call to AWS. The region is the one in the RDS host
 * name ({@code db.abc.eu-west-1.rds.amazonaws.com}), else the SDK's region chain.
 */
final class RdsIamAuthTokens implements IamAuthTokens {
    /** {@code NAME.ID.REGION.rds.amazonaws.com}, proxies and Aurora cluster endpoints included; China's too. */
    private static final Pattern RDS_HOST = Pattern.compile(
            ".+\\.([a-z]{2}(?:-[a-z]+)+-\\d+)\\.rds\\.amazonaws\\.com(?:\\.cn)?");

    private final DefaultCredentialsProvider credentials;
    private final RdsUtilities rds;

    private RdsIamAuthTokens(DefaultCredentialsProvider credentials, Region region) {
        this.credentials = credentials;
        this.rds = RdsUtilities.builder().region(region).credentialsProvider(credentials).build();
    }

    /** @throws IllegalStateException naming {@code AWS_REGION} when neither the host nor the SDK gives a region */
    static RdsIamAuthTokens forHost(String host) {
        return new RdsIamAuthTokens(DefaultCredentialsProvider.builder().build(), regionOf(host));
    }

    static Optional<Region> regionInHostName(String host) {
        Matcher matcher = RDS_HOST.matcher(host);
        return matcher.matches() ? Optional.of(Region.of(matcher.group(1))) : Optional.empty();
    }

    private static Region regionOf(String host) {
        return regionInHostName(host).orElseGet(() -> {
            try {
                return new DefaultAwsRegionProviderChain().getRegion();
            } catch (SdkClientException none) {
                throw new IllegalStateException("postgres.auth: iam signs its tokens for a region, and the host "
                        + "name is not an RDS endpoint (NAME.ID.REGION.rds.amazonaws.com) nor does the AWS SDK "
                        + "find one: set AWS_REGION", none);
            }
        });
    }

    @Override
    public String token(String host, int port, String user) {
        return rds.generateAuthenticationToken(b -> b.hostname(host).port(port).username(user));
    }

    @Override
    public void close() {
        credentials.close();
    }
}
