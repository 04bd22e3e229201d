package dev.sluice.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3 API (s3proxy) running inside this JVM, with its objects stored as plain files under a directory of the
 * user's and kept across restarts, so datasets dropped into a bucket are still there after {@code sluice local}
 * restarts. Requests must be signed (AWS signature v4) with the {@link LocalAwsAccount} credentials, as real S3
 * would demand. It can be stopped and started again on the same port and data. Unlike S3 it sends no event
 * notifications: whoever puts an object publishes the notification itself.
 */
public final class EmbeddedS3 extends RestartableServer {

    /** Where the laptop stack keeps its objects unless told otherwise. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("./.sluice/s3");

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);
    private static final String HOST = "127.0.0.1";

    private final Set<String> buckets = new LinkedHashSet<>();
    private S3Proxy proxy;

    /** A store for {@code dataDirectory} on a port chosen at first start; call {@link #start()}. */
    public EmbeddedS3(Path dataDirectory) {
        this(dataDirectory, 0);
    }

    /** A store for {@code dataDirectory} on {@code port}, or on a port chosen at first start when 0. */
    public EmbeddedS3(Path dataDirectory, int port) {
        super("S3", "store", dataDirectory, port);
    }

    /** Starts a store for {@code dataDirectory} on a free port. */
    public static EmbeddedS3 start(Path dataDirectory) {
        return new EmbeddedS3(dataDirectory).start();
    }

    /**
     * Starts the store, or starts it again after {@link #stop()} on the same port and data. Takes the data
     * directory's lock on first start and keeps it until {@link #close()}.
     *
     * @throws AlreadyInUseException when another store holds the data directory
     */
    @Override
    public EmbeddedS3 start() {
        super.start();
        return this;
    }

    /** s3proxy runs in this JVM and binds a free port itself when given 0, so it needs no reserved port. */
    @Override
    protected int startOn(int port) {
        createDataDirectory();
        S3Proxy starting = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(absoluteDataDirectory().toString()))
                .endpoint(URI.create("http://" + HOST + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V4,
                        LocalAwsAccount.ACCESS_KEY_ID, LocalAwsAccount.SECRET_ACCESS_KEY)
                .build();
        try {
            starting.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start S3 (s3proxy) on port " + port + " with data in "
                    + dataDirectory() + ": " + e.getMessage(), e);
        }
        proxy = starting;
        return starting.getPort();
    }

    @Override
    protected boolean serving() {
        return proxy != null;
    }

    /** The objects stay on disk, so {@link #start()} serves them again on the same port. */
    @Override
    protected void stopServer() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop S3 (s3proxy) on port " + port(), e);
        } finally {
            proxy = null;
        }
    }

    @Override
    protected String logName() {
        return "S3 (s3proxy)";
    }

    @Override
    protected String address() {
        return endpoint().toString();
    }

    /** {@code http://127.0.0.1:PORT}; address buckets by path ({@code /bucket/key}), not by host name. */
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port());
    }

    /** A new SDK client for this store, path-style and signed with the local account; the caller closes it. */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(LocalAwsAccount.REGION)
                .credentialsProvider(LocalAwsAccount.credentials())
                .build();
    }

    /** Creates {@code name}; calling it for a bucket that already exists, from this run or an earlier one, is harmless. */
    public void createBucket(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("bucket name must not be blank");
        }
        try (S3Client client = newClient()) {
            client.createBucket(b -> b.bucket(name));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            log.debug("Bucket {} already exists", name);
        }
        synchronized (this) {
            buckets.add(name);
        }
    }

    /** Names of the buckets created through {@link #createBucket}, in creation order. */
    public synchronized List<String> bucketNames() {
        return new ArrayList<>(buckets);
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL_S3", endpoint().toString());
        environment.putAll(LocalAwsAccount.environment());
        return environment;
    }

    @Override
    public synchronized String describe() {
        String bucketList = buckets.isEmpty() ? "no buckets" : "buckets: " + String.join(", ", buckets);
        return String.format("%-9s %s  %s  data: %s", "S3", endpoint(), bucketList, dataDirectory());
    }
}
