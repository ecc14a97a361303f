package io.sluice.ingest.source.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSourceContractKit;
import io.sluice.ingest.source.push.SourceHarness;
import io.sluice.ingest.source.push.ThirdPartyFeed;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The source contract, kept by {@link WebSocketSource} against a third-party-style WebSocket feed that numbers its
 * messages ({@code seq}) and sends heartbeats and acks; plus where the resume position goes.
 */
class WebSocketSourceContractTest extends PushSourceContractKit {

    @Override
    protected ThirdPartyFeed.Protocol protocol() {
        return ThirdPartyFeed.Protocol.WEBSOCKET;
    }

    @Override
    protected Map<String, String> sourceKeys(ThirdPartyFeed feed) {
        return Map.of("source.type", "websocket", "source.url", feed.url(), "source.records_path", "",
                "record.key", "id", "source.position_path", "seq", "source.resume_param", "since",
                "source.control_path", "type", "source.control_values", "heartbeat,ack",
                "source.ping_interval", "100ms", "source.stall_timeout", "5s");
    }

    @Override
    protected String ignoredHeartbeat() {
        return "control:heartbeat";
    }

    @Override
    protected PushSource newSource() {
        return new WebSocketSource();
    }

    @Test
    void theResumePositionCanGoInTheSubscribeMessageInstead() throws Exception {
        try (ThirdPartyFeed feed = new ThirdPartyFeed(ThirdPartyFeed.Protocol.WEBSOCKET, 10, 0, 0, 0)) {
            Map<String, String> config = new HashMap<>(sourceKeys(feed));
            config.remove("source.resume_param");
            config.put("source.subscribe_message", "{\"op\":\"subscribe\",\"since\":${position}}");
            config.put("source.initial_position", "0");
            WebSocketSource source = new WebSocketSource();
            try (SourceHarness harness = new SourceHarness(TestConfigs.config(config), source)
                    .resumingFrom(SourcePosition.of("1003")).start()) {
                harness.collect(1, Duration.ofSeconds(30));
                assertThat(feed.subscribeMessages).as("the placeholder carried the committed seq")
                        .first().isEqualTo("{\"op\":\"subscribe\",\"since\":1003}");
            }
        }
    }
}
