package dev.sluice.aws.kinesis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisServiceClientConfiguration;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

class SdkKinesisProxyTest {

    /** Answers ListShards in two pages, as Kinesis does for streams with many shards, and records the requests. */
    private static final class PagingClient implements KinesisClient {
        final List<ListShardsRequest> requests = new ArrayList<>();

        @Override
        public ListShardsResponse listShards(ListShardsRequest request) {
            requests.add(request);
            if (request.nextToken() == null) {
                return ListShardsResponse.builder().nextToken("page-2")
                        .shards(Shard.builder().shardId("shard-0").build()).build();
            }
            return ListShardsResponse.builder()
                    .shards(Shard.builder().shardId("shard-1").parentShardId("shard-0").build(),
                            Shard.builder().shardId("shard-2").parentShardId("shard-0")
                                    .adjacentParentShardId("shard-9").build())
                    .build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public KinesisServiceClientConfiguration serviceClientConfiguration() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void listShardsFollowsEveryPageAskingByTokenAlone() {
        PagingClient client = new PagingClient();

        List<StreamShard> shards = new SdkKinesisProxy(client).listShards("events");

        assertThat(shards).containsExactly(StreamShard.root("shard-0"), new StreamShard("shard-1", "shard-0", null),
                new StreamShard("shard-2", "shard-0", "shard-9"));
        assertThat(client.requests).hasSize(2);
        assertThat(client.requests.get(0).streamName()).isEqualTo("events");
        assertThat(client.requests.get(1).streamName()).as("the API refuses a name with a token").isNull();
        assertThat(client.requests.get(1).nextToken()).isEqualTo("page-2");
    }
}
