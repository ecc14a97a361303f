package io.sluice.ingest.source.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The WHATWG event-stream rules, one per test. */
class SseParserTest {
    private final List<SseEvent> events = new ArrayList<>();
    private final List<Long> retries = new ArrayList<>();
    private final SseParser parser = new SseParser("", new SseParser.Listener() {
        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }

        @Override
        public void onRetry(long millis) {
            retries.add(millis);
        }
    });

    private void feed(String text) throws IOException {
        feed(text.getBytes(StandardCharsets.UTF_8));
    }

    private void feed(byte[] bytes) throws IOException {
        parser.feed(bytes, 0, bytes.length);
    }

    @Test
    void eventFieldsAreCollectedAndDispatchedOnABlankLine() throws IOException {
        feed("id: 7\nevent: user\ndata: {\"a\":1}\n");
        assertThat(events).as("nothing is dispatched before the blank line").isEmpty();
        feed("\n");
        assertThat(events).containsExactly(new SseEvent("user", "{\"a\":1}", "7"));
        assertThat(parser.lastEventId()).isEqualTo("7");
    }

    @Test
    void typeDefaultsToMessageAndDoesNotCarryOverToTheNextEvent() throws IOException {
        feed("event: user\ndata: a\n\ndata: b\n\n");
        assertThat(events).extracting(SseEvent::type).containsExactly("user", "message");
    }

    @Test
    void multiLineDataIsJoinedWithLineFeeds() throws IOException {
        feed("data: first\ndata: second\ndata:\ndata: fourth\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("first\nsecond\n\nfourth");
    }

    @Test
    void commentAndHeartbeatLinesAreIgnored() throws IOException {
        feed(": keepalive\n\n:another\ndata: x\n: in the middle\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void crlfLineEndingsWork() throws IOException {
        feed("id: 1\r\ndata: x\r\n\r\n");
        assertThat(events).containsExactly(new SseEvent("message", "x", "1"));
    }

    @Test
    void crOnlyLineEndingsWork() throws IOException {
        feed("id: 1\rdata: x\rdata: y\r\r");
        assertThat(events).containsExactly(new SseEvent("message", "x\ny", "1"));
    }

    @Test
    void mixedLineEndingsWork() throws IOException {
        feed("data: a\r\ndata: b\rdata: c\n\r\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("a\nb\nc");
    }

    @Test
    void crlfSplitAcrossChunksIsOneLineEnd() throws IOException {
        feed("data: x\r");
        feed("\ndata: y\r");
        feed("\n\r");
        assertThat(events).as("CR|LF across chunks must not count as two line ends (a blank line)")
                .containsExactly(new SseEvent("message", "x\ny", ""));
        feed("\n");
        assertThat(events).as("the LF after the last CR is part of that CRLF, not a new blank line").hasSize(1);
    }

    @Test
    void everyChunkBoundaryGivesTheSameEvents() throws IOException {
        byte[] stream = "\uFEFFid: 1\r\nevent: user\r\ndata: héllo\r\n\r\n: hb\rdata: b\r\rid: 3\ndata: c\n\n"
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= stream.length; cut++) {
            List<SseEvent> got = new ArrayList<>();
            SseParser fresh = new SseParser("", new SseParser.Listener() {
                @Override
                public void onEvent(SseEvent event) {
                    got.add(event);
                }

                @Override
                public void onRetry(long millis) {
                }
            });
            fresh.feed(stream, 0, cut);
            fresh.feed(stream, cut, stream.length - cut);
            assertThat(got).as("split at byte %d", cut).containsExactly(
                    new SseEvent("user", "héllo", "1"), new SseEvent("message", "b", "1"), new SseEvent("message", "c", "3"));
        }
    }

    @Test
    void oneByteAtATimeWorks() throws IOException {
        byte[] stream = "data: a\r\n\r\ndata: b\r\r".getBytes(StandardCharsets.UTF_8);
        for (byte b : stream) {
            parser.feed(new byte[] {b}, 0, 1);
        }
        assertThat(events).extracting(SseEvent::data).containsExactly("a", "b");
    }

    @Test
    void leadingByteOrderMarkIsIgnored() throws IOException {
        feed("\uFEFFdata: x\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void byteOrderMarkSplitAcrossChunksIsIgnored() throws IOException {
        feed(new byte[] {(byte) 0xEF, (byte) 0xBB});
        feed(new byte[] {(byte) 0xBF, 'd', 'a', 't', 'a', ':', '1', '\n', '\n'});
        assertThat(events).extracting(SseEvent::data).containsExactly("1");
    }

    @Test
    void byteOrderMarkLaterInTheStreamIsNotStripped() throws IOException {
        feed("data: a\n\n\uFEFFdata: b\n\n");
        assertThat(events).as("only the stream's first BOM is special; a later one makes an unknown field")
                .extracting(SseEvent::data).containsExactly("a");
    }

    @Test
    void fieldWithoutColonHasAnEmptyValue() throws IOException {
        feed("data\ndata\n\n");
        assertThat(events).as("two empty data lines join to one line feed, then the trailing one is removed")
                .extracting(SseEvent::data).containsExactly("\n");
        feed("id\ndata: x\n\n");
        assertThat(events.get(1).lastEventId()).isEmpty();
    }

    @Test
    void onlyOneSpaceAfterTheColonIsStripped() throws IOException {
        feed("data:  two spaces\ndata:none\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly(" two spaces\nnone");
    }

    @Test
    void colonsInTheValueAreKept() throws IOException {
        feed("data: {\"a\": \"b:c\"}\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("{\"a\": \"b:c\"}");
    }

    @Test
    void idContainingNulIsIgnored() throws IOException {
        feed("id: 5\ndata: a\n\nid: 6\u00007\ndata: b\n\n");
        assertThat(events).extracting(SseEvent::lastEventId).containsExactly("5", "5");
    }

    @Test
    void idPersistsAcrossEventsWithoutOneAndEmptyIdResetsIt() throws IOException {
        feed("id: 5\ndata: a\n\ndata: b\n\nid:\ndata: c\n\n");
        assertThat(events).extracting(SseEvent::lastEventId).containsExactly("5", "5", "");
    }

    @Test
    void idOnlyBlockMovesTheLastEventIdWithoutDispatching() throws IOException {
        feed("id: 9\n\n");
        assertThat(events).isEmpty();
        assertThat(parser.lastEventId()).isEqualTo("9");
    }

    @Test
    void blockWithoutDataIsNotDispatched() throws IOException {
        feed("event: user\n\n\n\ndata: x\n\n");
        assertThat(events).as("the event type of an undispatched block is reset too")
                .containsExactly(new SseEvent("message", "x", ""));
    }

    @Test
    void retryWithDigitsIsReported() throws IOException {
        feed("retry: 1500\n\n");
        assertThat(retries).containsExactly(1500L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"retry: 1.5\n", "retry: -1\n", "retry: abc\n", "retry:\n", "retry: 99999999999999999999999\n"})
    void invalidRetryIsIgnored(String line) throws IOException {
        feed(line + "\n");
        assertThat(retries).as("'%s' is not a reconnection time", line.strip()).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        feed("foo: bar\ndata: x\nDATA: y\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void incompleteEventAtTheEndIsNotDispatched() throws IOException {
        feed("data: half");
        assertThat(events).isEmpty();
    }

    @Test
    void resumedParserStartsFromTheGivenId() throws IOException {
        SseParser resumed = new SseParser("41", new SseParser.Listener() {
            @Override
            public void onEvent(SseEvent event) {
                events.add(event);
            }

            @Override
            public void onRetry(long millis) {
            }
        });
        byte[] bytes = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
        resumed.feed(bytes, 0, bytes.length);
        assertThat(events).extracting(SseEvent::lastEventId).containsExactly("41");
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws IOException {
        feed(new byte[] {'d', 'a', 't', 'a', ':', ' ', (byte) 0xC3, '\n', '\n'});
        assertThat(events).extracting(SseEvent::data).containsExactly("\uFFFD");
    }

    @Test
    void endlessLineFailsTheConnectionInsteadOfMemory() {
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'x');
        assertThatThrownBy(() -> {
            for (int i = 0; i <= SseParser.MAX_LINE_BYTES / chunk.length; i++) {
                feed(chunk);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }
}
