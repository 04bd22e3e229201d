package dev.sluice.pipelines;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * One defined pipeline on an SQS queue of its own, writing a table and an error table, with what its tests do:
 * build or start it, send bodies, and read the queue's depth and the tables. A flow's harness extends it with its
 * configuration and calls {@link #define} at the end of its constructor.
 */
public class SqsPipelineHarness implements AutoCloseable {
    public final String queue;
    public final SqsClient sqs;
    public final String queueUrl;
    private final String name;
    private final String table;
    private final String errorTable;
    private final TableQueries.Connect connect;
    private DefinedPipelines defined;
    private AssembledPipeline pipeline;

    /**
     * @param name    the pipeline
     * @param connect the tests' own connections to the database the pipeline writes, for their queries
     */
    protected SqsPipelineHarness(String name, String queue, SqsClient sqs, String queueUrl, String table,
                                 String errorTable, TableQueries.Connect connect) {
        this.name = name;
        this.queue = queue;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.table = table;
        this.errorTable = errorTable;
        this.connect = connect;
    }

    /** The definitions the pipeline is built from. */
    protected final void define(DefinedPipelines definitions) {
        this.defined = definitions;
    }

    /** Builds the pipeline without starting it: its tables exist after, as after a first start. */
    public void createTables() {
        defined.assemble(name, UnaryOperator.identity()).close();
    }

    public Runner<Event> start() {
        return start(UnaryOperator.identity());
    }

    /** Starts the pipeline with its source seen through {@code decorator}. */
    public Runner<Event> start(UnaryOperator<Source> decorator) {
        pipeline = defined.start(name, decorator);
        return pipeline.runner();
    }

    public void send(List<String> bodies) {
        SqsBatchSender.send(sqs, queueUrl, bodies);
    }

    /** Messages still on the queue, visible or claimed. */
    public long queueDepth() {
        return SqsSource.approximateDepth(sqs, queueUrl);
    }

    /** Waits until the pipeline has written or rejected {@code expected} messages and emptied the queue. */
    public void awaitHandled(long expected) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                rows() + errorRows() >= expected && queueDepth() == 0 && pipeline.runner().inFlight() == 0);
    }

    public long rows() {
        return count("SELECT count(*) FROM " + table);
    }

    public long errorRows() {
        return count("SELECT count(*) FROM " + errorTable);
    }

    public long count(String sql) {
        return query(sql, rs -> rs.getLong(1)).getFirst();
    }

    public <T> List<T> query(String sql, TableQueries.RowReader<T> reader, Object... params) {
        return TableQueries.query(connect, sql, reader, params);
    }

    public void execute(String sql) {
        try (Connection c = connect.open(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the pipeline, closes what it shared and drops its tables, so the next harness in the same database starts
     * empty; then closes the SQS client.
     */
    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        defined.close();
        execute("DROP TABLE IF EXISTS " + table + ", " + errorTable);
        sqs.close();
    }
}
