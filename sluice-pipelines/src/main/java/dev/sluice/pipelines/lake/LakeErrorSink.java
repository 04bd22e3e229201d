package dev.sluice.pipelines.lake;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.postgres.SourceErrorSink;

import javax.sql.DataSource;
import java.util.List;

/**
 * The lake's rejects in {@code lake_errors}: sluice-postgres' {@link SourceErrorSink} on that table (the shipped
 * definition's {@code postgres_errors} with {@code layout: source} is the same).
 */
public final class LakeErrorSink implements ErrorSink {

    private final SourceErrorSink sink;

    public LakeErrorSink(DataSource dataSource) {
        this.sink = new SourceErrorSink(dataSource, "lake_errors");
    }

    @Override
    public void write(List<Rejected> rejects) throws Exception {
        sink.write(rejects);
    }

    static String source(SourceCoordinates coordinates) {
        return SourceErrorSink.source(coordinates);
    }
}
