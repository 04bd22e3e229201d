package dev.sluice.postgres;

/**
 * Makes the password of one new connection to a database that takes AWS IAM authentication (RDS, Aurora): a token
 * signed with the process's AWS credentials, valid for 15 minutes, which the server checks at login only. One per
 * connection, never stored: a pooled connection outlives its token, a new one gets a fresh token.
 */
@FunctionalInterface
public interface IamAuthTokens extends AutoCloseable {

    /**
     * @param host the database's host name as the URL names it (the RDS endpoint)
     * @param port its port
     * @param user the database user, which must have the {@code rds_iam} role
     */
    String token(String host, int port, String user);

    /** Releases what signing holds (the credentials provider's refresh); closed with the database. */
    @Override
    default void close() {
    }
}
