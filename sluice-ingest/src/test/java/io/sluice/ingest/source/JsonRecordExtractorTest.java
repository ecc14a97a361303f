package io.sluice.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRecordExtractorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonRecordExtractor.Extraction extract(String recordsPath, String keyPath, String body) {
        return new JsonRecordExtractor(recordsPath, keyPath)
                .extract(body.getBytes(StandardCharsets.UTF_8), i -> SourcePosition.of("p#" + i));
    }

    private static List<String> keys(JsonRecordExtractor.Extraction extraction) {
        return extraction.records().stream().map(SourceRecord::key).toList();
    }

    @Test
    void findsTheArrayAtTheRecordsPathAndKeysByTheNestedField() {
        JsonRecordExtractor.Extraction e = extract("results", "login.uuid", """
                {"results": [
                   {"email": "a@x.org", "login": {"uuid": "u-1", "username": "a"}},
                   {"email": "b@x.org", "login": {"uuid": "u-2", "username": "b"}}
                 ],
                 "info": {"page": 1}}""");

        assertThat(keys(e)).containsExactly("u-1", "u-2");
        assertThat(e.records()).extracting(SourceRecord::position)
                .containsExactly(SourcePosition.of("p#0"), SourcePosition.of("p#1"));
        assertThat(e.rejected()).isEmpty();
    }

    @Test
    void valuesAreTheRecordsOwnJsonReserializedCompactly() throws Exception {
        JsonRecordExtractor.Extraction e = extract("results", "login.uuid",
                "{ \"results\" : [ { \"login\" : { \"uuid\" : \"u-1\" } ,  \"age\" : 7 } ] }");

        String value = new String(e.records().get(0).value(), StandardCharsets.UTF_8);
        assertThat(value).isEqualTo("{\"login\":{\"uuid\":\"u-1\"},\"age\":7}");
        assertThat(MAPPER.readTree(value).path("age").asInt()).isEqualTo(7);
    }

    @Test
    void anEmptyRecordsPathMeansTheBodyIsTheArray() {
        JsonRecordExtractor.Extraction e = extract("", "id", "[{\"id\": \"a\"}, {\"id\": \"b\"}]");

        assertThat(keys(e)).containsExactly("a", "b");
    }

    @Test
    void aDeeperRecordsPathIsFollowed() {
        JsonRecordExtractor.Extraction e = extract("data.items", "id", "{\"data\": {\"items\": [{\"id\": 1}]}}");

        assertThat(keys(e)).as("a numeric key becomes its text").containsExactly("1");
    }

    private static List<String> details(JsonRecordExtractor.Extraction e) {
        return e.rejected().stream().map(r -> r.rejection().detail()).toList();
    }

    private static List<String> reasons(JsonRecordExtractor.Extraction e) {
        return e.rejected().stream().map(r -> r.rejection().reason()).toList();
    }

    @Test
    void aRecordWithoutAKeyIsRejectedInPlaceWithItsOwnBytesAndItsContentsStayOutOfTheDetail() {
        JsonRecordExtractor.Extraction e = extract("results", "login.uuid", """
                {"results": [
                   {"email": "secret@x.org", "login": {"uuid": "u-1"}},
                   {"email": "hidden@x.org", "login": {"username": "nouuid"}},
                   {"email": "blank@x.org", "login": {"uuid": "  "}},
                   {"email": "nested@x.org", "login": {"uuid": {"v": 1}}},
                   {"email": "null@x.org", "login": {"uuid": null}}
                 ]}""");

        assertThat(keys(e)).containsExactly("u-1");
        assertThat(e.items()).extracting(SourceRecord::isRejected).as("items keep the body's order")
                .containsExactly(false, true, true, true, true);
        assertThat(reasons(e)).containsOnly(JsonRecordExtractor.NO_KEY);
        assertThat(details(e).get(0)).contains("element 1", "login.uuid", "nothing");
        assertThat(details(e).get(1)).contains("element 2", "a blank string");
        assertThat(details(e).get(2)).contains("element 3", "an object");
        assertThat(details(e).get(3)).contains("element 4", "null");
        assertThat(String.join(" ", details(e))).as("details never carry record contents")
                .doesNotContain("hidden@x.org", "nouuid", "blank@x.org", "nested@x.org", "null@x.org");
        assertThat(new String(e.rejected().get(0).value(), StandardCharsets.UTF_8))
                .as("a rejected element carries its own JSON, not the whole body")
                .isEqualTo("{\"email\":\"hidden@x.org\",\"login\":{\"username\":\"nouuid\"}}");
    }

    @Test
    void nonObjectElementsAreRejected() {
        JsonRecordExtractor.Extraction e = extract("results", "id", "{\"results\": [42, \"text\", [1], {\"id\": \"ok\"}]}");

        assertThat(keys(e)).containsExactly("ok");
        assertThat(reasons(e)).containsOnly(JsonRecordExtractor.NO_RECORDS);
        assertThat(details(e)).containsExactly(
                "element 0 is a number, not a JSON object",
                "element 1 is a string, not a JSON object",
                "element 2 is an array, not a JSON object");
    }

    @Test
    void aBodyThatIsNotJsonOrHasNoArrayIsOneRejectedItemWithTheOriginalBytes() {
        JsonRecordExtractor.Extraction notJson = extract("results", "id", "<html>oops</html>");
        assertThat(notJson.items()).singleElement().satisfies(r -> {
            assertThat(r.rejection().reason()).isEqualTo(JsonRecordExtractor.NOT_JSON);
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("<html>oops</html>");
        });
        assertThat(details(extract("results", "id", "{\"results\": {\"id\": 1}}")))
                .singleElement().asString().contains("`source.records_path` results is not a JSON array (found an object)");
        assertThat(reasons(extract("results", "id", "{\"other\": []}"))).containsExactly(JsonRecordExtractor.NO_RECORDS);
        assertThat(details(extract("", "id", "{\"id\": 1}")))
                .singleElement().asString().contains("the body is not a JSON array");
    }
}
