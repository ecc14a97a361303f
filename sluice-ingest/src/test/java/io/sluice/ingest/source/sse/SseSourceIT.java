package io.sluice.ingest.source.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.demoapi.DemoApiServer;
import io.sluice.ingest.TestConfigs;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.push.SourceHarness;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SSE source against the real demo API, with faults injected by the server. */
class SseSourceIT {
    private static final Pattern RESUME_LOG = Pattern.compile("resumes with Last-Event-ID (\\d+)");

    private DemoApiServer api;
    private PrintStream originalErr;
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

    @BeforeEach
    void startDemoApi() {
        // slf4j-simple writes to whatever System.err is at the time: tee it to read the demo server's own log.
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, serverLog), true, StandardCharsets.UTF_8));
        api = new DemoApiServer().withPort(0).withSeed(42).withRate(0).withSseRetry(Duration.ofMillis(50)).start();
    }

    @AfterEach
    void stopDemoApi() {
        api.close();
        System.setErr(originalErr);
    }

    private SourceHarness harness(String query, SseSource source, String... overrides) {
        Map<String, String> config = new HashMap<>(Map.of("source.type", "sse",
                "source.url", api.baseUrl() + "/stream/sse?" + query, "source.records_path", "",
                "source.reconnect_min", "20ms", "source.reconnect_max", "500ms"));
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return new SourceHarness(TestConfigs.config(config), source).start();
    }

    private static List<Long> ids(List<SourceRecord> records) {
        return records.stream().map(r -> Long.parseLong(r.position().value())).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    @Test
    void deliversEveryEventOnceAcrossForcedDisconnectsAndResumesWithLastEventId() throws Exception {
        SseSource source = new SseSource();
        // limit=300 ends every connection after 300 events; drop cuts some mid-stream; 503 refuses some connects.
        try (SourceHarness harness = harness("total=2500&limit=300&fail=drop:0.002,503:0.1:0", source)) {
            List<SourceRecord> records = harness.collectUntil(source::ended, Duration.ofSeconds(90));

            assertThat(source.ended()).as("the server's 204 after the last user ends the source").isTrue();
            assertThat(ids(records)).as("event ids 0..2499, each exactly once and in order: no gap, no duplicate")
                    .isEqualTo(range(0, 2500));
            assertThat(records).extracting(SourceRecord::key).as("2,500 distinct users").doesNotHaveDuplicates();
            assertThat(source.connections()).as("at least one reconnect per 300 events").isGreaterThanOrEqualTo(9);
            assertThat(resumedAfter()).as("the demo server logged each resume with the last id the source had")
                    .hasSizeGreaterThanOrEqualTo(8)
                    .allSatisfy(id -> assertThat(id).isBetween(0L, 2499L));
            assertThat(source.committedPosition()).contains(SourcePosition.of("2499"));
            assertThat(harness.errors).as("disconnects are reported as poll errors, not swallowed").isNotEmpty();
            assertThat(harness.rejected()).isEmpty();
        }
    }

    @Test
    void aStalledStreamIsAbandonedAndResumed() throws Exception {
        SseSource source = new SseSource();
        // slow holds an event back for 1.5 s without a heartbeat: longer than the 300 ms stall timeout.
        try (SourceHarness harness = harness("total=300&fail=slow:0.03:1500", source, "source.stall_timeout", "300ms")) {
            List<SourceRecord> records = harness.collectUntil(source::ended, Duration.ofSeconds(90));

            assertThat(ids(records)).isEqualTo(range(0, 300));
            assertThat(harness.errors).as("a stall is reported naming the setting")
                    .anySatisfy(e -> assertThat(e).contains("`source.stall_timeout`"));
            assertThat(resumedAfter()).isNotEmpty();
        }
    }

    @Test
    void restartResumesAfterTheCommittedPosition() throws Exception {
        SseSource source = new SseSource(SourcePosition.of("1199"));
        try (SourceHarness harness = harness("total=1300", source)) {
            List<SourceRecord> records = harness.collectUntil(source::ended, Duration.ofSeconds(60));
            assertThat(ids(records)).as("only what came after the committed id").isEqualTo(range(1200, 1300));
            assertThat(resumedAfter()).as("resumed after the committed id; then once more after the end, to get the 204")
                    .containsExactly(1199L, 1299L);
        }
    }

    @Test
    void aSlowButSteadyStreamOutlivesTheRequestTimeoutAndIsNotTakenForStalled() throws Exception {
        SseSource source = new SseSource();
        // An endless stream at 4 events/s, read for about 3 s: far past the 1 s request timeout, and never 2 s without bytes.
        try (SourceHarness harness = harness("rate=4", source, "source.timeout", "1s",
                "source.stall_timeout", "2s")) {
            List<SourceRecord> records = harness.collect(12, Duration.ofSeconds(30));
            assertThat(ids(records)).startsWith(range(0, 12).toArray(Long[]::new));
            assertThat(source.connections()).as("one connection carried the whole stream, yet: %s", harness.errors).isEqualTo(1);
            assertThat(harness.errors).isEmpty();
        }
    }

    @Test
    void malformedEventsAreRejectedInPlaceNotSkipped() throws Exception {
        SseSource source = new SseSource();
        try (SourceHarness harness = harness("total=200&fail=malformed:0.1", source)) {
            List<SourceRecord> records = harness.collectUntil(source::ended, Duration.ofSeconds(60));
            assertThat(records.size() + harness.rejected().size()).as("every event is a record or a rejected payload")
                    .isEqualTo(200);
            assertThat(harness.rejected()).isNotEmpty()
                    .allSatisfy(item -> assertThat(item.rejection().reason()).isEqualTo("ingest:not_json"));
        }
    }

    private List<Long> resumedAfter() {
        Matcher m = RESUME_LOG.matcher(serverLog.toString(StandardCharsets.UTF_8));
        List<Long> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    /** Writes to two streams; the log capture is synchronized because server threads log concurrently. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
