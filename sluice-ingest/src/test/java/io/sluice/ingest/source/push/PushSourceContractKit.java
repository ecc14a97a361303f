package io.sluice.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.source.SourceContractKit;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The push-source part of the contract, on top of {@link SourceContractKit}: a feed that stays connected (it answers
 * pings, sends keepalives) but stops sending records is reconnected by {@code source.idle_timeout}.
 */
public abstract class PushSourceContractKit extends SourceContractKit {

    /** A feed that sends a few records, then only keepalives or pongs, on every connection. */
    protected abstract Feed idleFeed() throws Exception;

    @Test
    void anIdleFeedIsReconnected() throws Exception {
        try (Feed feed = idleFeed()) {
            SourceTask source = newSource();
            Context context = context(feed, null, Map.of("source.idle_timeout", "500ms", "source.stall_timeout", "10s",
                    "source.ping_interval", "100ms", "source.reconnect_min", "10ms", "source.reconnect_max", "50ms"));
            source.start(context);
            try {
                pollUntil(source, items -> context.reconnects.contains(PushSource.Cause.IDLE), Duration.ofSeconds(30));
                assertThat(context.reconnects).as("the live but silent feed was reconnected as idle, not as stalled")
                        .contains(PushSource.Cause.IDLE).doesNotContain(PushSource.Cause.STALL);
                assertThat(((PushSource) source).reconnectsByCause()).as("the source counts reconnects by cause")
                        .containsKey(PushSource.Cause.IDLE);
            } finally {
                source.stop();
            }
        }
    }

    /** Feed seqs are the record order. */
    protected static long seqOf(SourceRecord record) {
        String key = record.key();
        return Long.parseLong(key.substring(key.indexOf('-') + 1));
    }
}
