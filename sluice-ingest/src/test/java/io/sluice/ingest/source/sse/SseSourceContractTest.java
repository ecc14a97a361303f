package io.sluice.ingest.source.sse;

import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.push.PushSourceContractKit;
import io.sluice.ingest.source.push.ThirdPartyFeed;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The source contract, kept by {@link SseSource} against a third-party-style SSE feed. */
class SseSourceContractTest extends PushSourceContractKit {

    private static Feed over(ThirdPartyFeed server) {
        return new Feed() {
            @Override
            public Map<String, String> config() {
                return Map.of("source.type", "sse", "source.url", server.url(), "source.records_path", "",
                        "record.key", "id", "source.event_types", "user");
            }

            @Override
            public byte[] unreadablePayload() {
                return ThirdPartyFeed.STATUS_LINE.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void close() throws Exception {
                server.close();
            }
        };
    }

    @Override
    protected Feed feed(Shape shape) throws Exception {
        return over(new ThirdPartyFeed(ThirdPartyFeed.Protocol.SSE, shape == Shape.EMPTY ? 0 : 500, 0, 0, 0));
    }

    @Override
    protected Feed idleFeed() throws Exception {
        return over(new ThirdPartyFeed(ThirdPartyFeed.Protocol.SSE, 500, 0, 1, 0));
    }

    @Override
    protected SourceTask newSource() {
        return new SseSource();
    }

    @Override
    protected long orderOf(SourceRecord record) {
        return seqOf(record);
    }
}
