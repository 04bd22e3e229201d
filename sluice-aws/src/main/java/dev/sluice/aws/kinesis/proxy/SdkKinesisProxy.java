package dev.sluice.aws.kinesis.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** {@link KinesisProxy} over the AWS SDK's {@link KinesisClient}; the caller owns the client. */
public final class SdkKinesisProxy implements KinesisProxy {

    private final KinesisClient client;

    public SdkKinesisProxy(KinesisClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public List<StreamShard> listShards(String stream) {
        List<StreamShard> shards = new ArrayList<>();
        // The first page is asked for by stream name, the following ones by token alone (the API refuses both).
        ListShardsResponse page = client.listShards(b -> b.streamName(stream));
        while (true) {
            page.shards().forEach(s -> shards.add(new StreamShard(s.shardId(), s.parentShardId(),
                    s.adjacentParentShardId())));
            String token = page.nextToken();
            if (token == null || token.isEmpty()) {
                return shards;
            }
            page = client.listShards(b -> b.nextToken(token));
        }
    }

    @Override
    public String shardIterator(String stream, String shardId, IteratorPosition position) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamName(stream)
                .shardId(shardId);
        switch (position) {
            case IteratorPosition.TrimHorizon ignored -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            case IteratorPosition.Latest ignored -> request.shardIteratorType(ShardIteratorType.LATEST);
            case IteratorPosition.AtTimestamp at ->
                    request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(at.timestamp());
            case IteratorPosition.AtSequence at -> request.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .startingSequenceNumber(at.sequenceNumber());
            case IteratorPosition.AfterSequence after ->
                    request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                            .startingSequenceNumber(after.sequenceNumber());
        }
        return client.getShardIterator(request.build()).shardIterator();
    }

    @Override
    public RecordBatch getRecords(String shardIterator, int limit) {
        GetRecordsResponse response = client.getRecords(b -> b.shardIterator(shardIterator).limit(limit));
        List<StreamRecord> records = response.records().stream()
                .map(r -> new StreamRecord(r.sequenceNumber(), r.approximateArrivalTimestamp(), r.data().asByteArray()))
                .toList();
        long behind = response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
        return new RecordBatch(records, response.nextShardIterator(), behind);
    }
}
