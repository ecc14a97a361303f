package io.sluice.ingest.source.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSourceContractKit;
import io.sluice.ingest.source.push.SourceHarness;
import io.sluice.ingest.source.push.ThirdPartyFeed;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The source contract, kept by {@link GrpcSource} against a third-party-style gRPC feed (types by server reflection)
 * that numbers its messages ({@code seq}), sends heartbeats and acks as messages of the same type, ends streams with
 * UNAVAILABLE and with OK, and once sends bytes that are not a message of its type.
 */
class GrpcSourceContractTest extends PushSourceContractKit {

    @Override
    protected ThirdPartyFeed.Protocol protocol() {
        return ThirdPartyFeed.Protocol.GRPC;
    }

    @Override
    protected Map<String, String> sourceKeys(ThirdPartyFeed feed) {
        return Map.ofEntries(Map.entry("source.type", "grpc"), Map.entry("source.url", feed.url()),
                Map.entry("source.grpc.method", "feed.v1.Feed/Subscribe"),
                Map.entry("source.grpc.request", "{\"since\":\"${position}\"}"),
                Map.entry("source.initial_position", "0"), Map.entry("source.records_path", ""),
                Map.entry("record.key", "id"), Map.entry("source.position_path", "seq"),
                Map.entry("source.control_path", "type"), Map.entry("source.control_values", "heartbeat,ack"),
                Map.entry("source.stall_timeout", "5s"));
    }

    @Override
    protected String ignoredHeartbeat() {
        return "control:heartbeat";
    }

    @Override
    protected String unreadableReason() {
        return "ingest:not_protobuf";
    }

    @Override
    protected PushSource newSource() {
        return new GrpcSource();
    }

    @Test
    void theRequestCarriesTheCommittedPositionOnARestart() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.GRPC, 10, 0, 0, 0)) {
            GrpcSource source = new GrpcSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(sourceKeys(feed)), source)
                    .resumingFrom(SourcePosition.of("1003")).start()) {
                var records = harness.collect(1, Duration.ofSeconds(30));
                assertThat(feed.resumedAfter).as("the first call asked for the messages after the committed seq")
                        .first().isEqualTo("1003");
                assertThat(records.get(0).key()).as("the stream resumed right after it").isEqualTo("user-1004");
            }
        }
    }
}
