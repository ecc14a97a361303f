package io.sluice.ingest.source.websocket;

import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.push.PushSourceContractKit;
import io.sluice.ingest.source.push.ThirdPartyFeed;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The source contract, kept by {@link WebSocketSource} against a third-party-style WebSocket feed that numbers its messages. */
class WebSocketSourceContractTest extends PushSourceContractKit {

    private static Feed over(ThirdPartyFeed server) {
        return new Feed() {
            @Override
            public Map<String, String> config() {
                return Map.of("source.type", "websocket", "source.url", server.url(), "source.records_path", "",
                        "record.key", "id", "source.position_path", "seq", "source.resume_param", "since",
                        "source.control_path", "type", "source.control_values", "heartbeat,ack",
                        "source.ping_interval", "200ms", "source.stall_timeout", "5s");
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
        return over(new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, shape == Shape.EMPTY ? 0 : 500, 0, 0, 0));
    }

    @Override
    protected Feed idleFeed() throws Exception {
        return over(new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, 500, 0, 1, 0));
    }

    @Override
    protected SourceTask newSource() {
        return new WebSocketSource();
    }

    @Override
    protected long orderOf(SourceRecord record) {
        return seqOf(record);
    }
}
