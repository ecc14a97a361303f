package io.sluice.ingest.source.sse;

import io.sluice.ingest.source.push.PushSource;
import io.sluice.ingest.source.push.PushSourceContractKit;
import io.sluice.ingest.source.push.ThirdPartyFeed;
import java.util.Map;

/** The source contract, kept by {@link SseSource} against a third-party-style SSE feed (ids, ping events). */
class SseSourceContractTest extends PushSourceContractKit {

    @Override
    protected ThirdPartyFeed.Protocol protocol() {
        return ThirdPartyFeed.Protocol.SSE;
    }

    @Override
    protected Map<String, String> sourceKeys(ThirdPartyFeed feed) {
        return Map.of("source.type", "sse", "source.url", feed.url(), "source.records_path", "",
                "record.key", "id", "source.event_types", "user");
    }

    @Override
    protected String ignoredHeartbeat() {
        return "event:ping";
    }

    @Override
    protected PushSource newSource() {
        return new SseSource();
    }
}
