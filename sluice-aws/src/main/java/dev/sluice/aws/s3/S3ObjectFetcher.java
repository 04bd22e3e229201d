package dev.sluice.aws.s3;

import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.SourceCoordinates.StoredObject;
import dev.sluice.core.files.ObjectFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code s3} object fetcher ({@code fetcher: s3} of {@code parquet_totals}): downloads the objects an
 * {@code s3_notifications} source names, as they are now ({@link S3ObjectDownloader}), so the sink counts the version
 * it read under that version's ETag. A deleted object or a missing bucket is gone (that file is refused); access
 * denied is a {@link PermanentFailureException} naming the bucket; anything else is retried.
 */
public final class S3ObjectFetcher implements ObjectFetcher<S3ObjectRef> {
    private final S3ObjectDownloader downloader;

    public S3ObjectFetcher(S3Client s3) {
        this.downloader = new S3ObjectDownloader(Objects.requireNonNull(s3, "s3"));
    }

    @Override
    public Class<S3ObjectRef> referenceType() {
        return S3ObjectRef.class;
    }

    @Override
    public StoredObject notified(S3ObjectRef reference) {
        return reference.coordinates();
    }

    @Override
    public Fetched fetch(S3ObjectRef reference, Path workDirectory)
            throws IOException, ObjectGoneException, PermanentFailureException {
        DownloadedObject object;
        try {
            object = downloader.download(reference, workDirectory);
        } catch (MissingObjectException e) {
            throw new ObjectGoneException(e.getMessage());
        }
        return new Fetched() {
            @Override
            public StoredObject version() {
                return object.coordinates();
            }

            @Override
            public Path file() {
                return object.file();
            }

            @Override
            public void close() {
                object.close();
            }
        };
    }
}
