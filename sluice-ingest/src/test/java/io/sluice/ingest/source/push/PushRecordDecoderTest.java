package io.sluice.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.source.JsonRecordExtractor;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PushRecordDecoderTest {
    private static final SourcePosition HERE = SourcePosition.of("7");
    private static final SourcePosition BEFORE = SourcePosition.of("6");

    private static JsonRecordExtractor.Extraction decode(String recordsPath, String json) {
        return new PushRecordDecoder(recordsPath, "login.uuid").decode(json.getBytes(StandardCharsets.UTF_8), HERE, BEFORE);
    }

    @Test
    void aSingleObjectIsOneRecordWhenNoRecordsPathIsSet() {
        var extraction = decode("", " {\"login\": {\"uuid\": \"u-1\"}, \"x\": 1}");
        assertThat(extraction.records()).extracting(SourceRecord::key).containsExactly("u-1");
        assertThat(new String(extraction.records().get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"login\":{\"uuid\":\"u-1\"},\"x\":1}");
        assertThat(extraction.records().get(0).position()).isEqualTo(HERE);
    }

    @Test
    void recordsPathWorksAsForTheRestSource() {
        var extraction = decode("results", "{\"results\": [{\"login\": {\"uuid\": \"a\"}}, {\"login\": {\"uuid\": \"b\"}}]}");
        assertThat(extraction.records()).extracting(SourceRecord::key).containsExactly("a", "b");
    }

    @Test
    void onlyTheLastRecordOfAPayloadCarriesItsPosition() {
        var extraction = decode("", "[{\"login\": {\"uuid\": \"a\"}}, {\"login\": {\"uuid\": \"b\"}}, {\"login\": {\"uuid\": \"c\"}}]");
        assertThat(extraction.records()).extracting(SourceRecord::position)
                .as("committing the earlier records must not skip the rest of the payload on restart")
                .containsExactly(BEFORE, BEFORE, HERE);
    }

    @Test
    void truncatedJsonIsReportedNotThrown() {
        var extraction = decode("", "{\"login\": {\"uu");
        assertThat(extraction.records()).isEmpty();
        assertThat(extraction.malformed()).singleElement().asString().contains("not JSON");
    }

    @Test
    void objectWithoutKeyIsReported() {
        var extraction = decode("", "{\"login\": {}}");
        assertThat(extraction.records()).isEmpty();
        assertThat(extraction.malformed()).singleElement().asString().contains("no usable key");
    }
}
