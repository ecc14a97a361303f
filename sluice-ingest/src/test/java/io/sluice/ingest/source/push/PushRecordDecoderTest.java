package io.sluice.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.source.JsonRecordExtractor;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushRecordDecoderTest {
    private static final SourcePosition HERE = SourcePosition.of("7");
    private static final SourcePosition BEFORE = SourcePosition.of("6");

    private static PushRecordDecoder.Decoded decode(String recordsPath, String json) {
        return new PushRecordDecoder(recordsPath, "login.uuid").decode(bytes(json), HERE, BEFORE);
    }

    private static PushRecordDecoder.Decoded fromFeed(String json) {
        return new PushRecordDecoder("", "id", "seq", "type", List.of("heartbeat", "ack"))
                .decode(bytes(json), null, BEFORE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSingleObjectIsOneRecordWhenNoRecordsPathIsSet() {
        var decoded = decode("", " {\"login\": {\"uuid\": \"u-1\"}, \"x\": 1}");
        assertThat(decoded.items()).extracting(SourceRecord::key).containsExactly("u-1");
        assertThat(new String(decoded.items().get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"login\":{\"uuid\":\"u-1\"},\"x\":1}");
        assertThat(decoded.items().get(0).position()).isEqualTo(HERE);
        assertThat(decoded.position()).isEqualTo(HERE);
    }

    @Test
    void recordsPathWorksAsForTheRestSource() {
        var decoded = decode("results", "{\"results\": [{\"login\": {\"uuid\": \"a\"}}, {\"login\": {\"uuid\": \"b\"}}]}");
        assertThat(decoded.items()).extracting(SourceRecord::key).containsExactly("a", "b");
    }

    @Test
    void onlyTheLastItemOfAPayloadCarriesItsPositionRejectedOnesIncluded() {
        var decoded = decode("", "[{\"login\": {\"uuid\": \"a\"}}, {\"login\": {\"uuid\": \"b\"}}, {\"login\": {}}]");
        assertThat(decoded.items()).extracting(SourceRecord::position)
                .as("committing the earlier items must not skip the rest of the payload on restart")
                .containsExactly(BEFORE, BEFORE, HERE);
        assertThat(decoded.items()).extracting(SourceRecord::isRejected).containsExactly(false, false, true);
    }

    @Test
    void truncatedJsonIsRejectedWithItsOriginalBytes() {
        var decoded = decode("", "{\"login\": {\"uu");
        assertThat(decoded.items()).singleElement().satisfies(item -> {
            assertThat(item.rejection().reason()).isEqualTo(JsonRecordExtractor.NOT_JSON);
            assertThat(new String(item.value(), StandardCharsets.UTF_8)).isEqualTo("{\"login\": {\"uu");
            assertThat(item.position()).as("a transport position (SSE id) still places it").isEqualTo(HERE);
        });
    }

    @Test
    void aStatusLineThatStartsLikeANumberIsNotJson() {
        assertThat(fromFeed("200 OK").items()).singleElement()
                .extracting(item -> item.rejection().reason()).isEqualTo(JsonRecordExtractor.NOT_JSON);
    }

    @Test
    void objectWithoutKeyIsRejectedByteForByte() {
        String payload = "{ \"login\" : {} }";
        var decoded = decode("", payload);
        assertThat(decoded.items()).singleElement().satisfies(item -> {
            assertThat(item.rejection().reason()).isEqualTo(JsonRecordExtractor.NO_KEY);
            assertThat(new String(item.value(), StandardCharsets.UTF_8)).isEqualTo(payload);
        });
    }

    @Test
    void invalidUtf8IsRejectedAsSuch() {
        byte[] payload = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        var decoded = new PushRecordDecoder("", "id").decode(payload, HERE, BEFORE);
        assertThat(decoded.items()).singleElement().satisfies(item -> {
            assertThat(item.rejection().reason()).isEqualTo(JsonRecordExtractor.INVALID_UTF8);
            assertThat(item.value()).isEqualTo(payload);
        });
    }

    @Test
    void theFeedsOwnPositionIsReadFromThePayload() {
        var decoded = fromFeed("{\"seq\": 1042, \"id\": \"u-1\"}");
        assertThat(decoded.position()).isEqualTo(SourcePosition.of("1042"));
        assertThat(decoded.items()).singleElement().extracting(SourceRecord::position).isEqualTo(SourcePosition.of("1042"));
    }

    @Test
    void controlMessagesYieldNothingAndDoNotMoveThePosition() {
        var decoded = fromFeed("{\"type\": \"heartbeat\", \"seq\": 99999}");
        assertThat(decoded.isControl()).isTrue();
        assertThat(decoded.control()).isEqualTo("heartbeat");
        assertThat(decoded.items()).isEmpty();
        assertThat(decoded.position()).as("a heartbeat never moves the position, even one carrying a number").isNull();
    }

    @Test
    void aPayloadWithoutReadablePositionLeavesItUnmoved() {
        var decoded = fromFeed("not json at all");
        assertThat(decoded.position()).isNull();
        assertThat(decoded.items()).singleElement().extracting(SourceRecord::position).isEqualTo(BEFORE);
    }

    @Test
    void aMessageOfAnUnknownTypeIsNotAControlMessage() {
        var decoded = fromFeed("{\"type\": \"news\", \"seq\": 5}");
        assertThat(decoded.isControl()).isFalse();
        assertThat(decoded.items()).singleElement().extracting(item -> item.rejection().reason())
                .as("it has no key, so it is dead-lettered rather than ignored").isEqualTo(JsonRecordExtractor.NO_KEY);
        assertThat(decoded.position()).isEqualTo(SourcePosition.of("5"));
    }
}
