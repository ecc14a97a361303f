package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.demoapi.UserGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DemoRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DemoRecords records = new DemoRecords(10);

    @Test
    void recordsInsideThePoolAreExactlyTheDemoUsers() {
        UserGenerator generator = new UserGenerator(DemoRecords.SEED);
        assertThat(new String(records.value(3), StandardCharsets.UTF_8)).isEqualTo(generator.userJson(3));
    }

    @Test
    void recordsBeyondThePoolKeepTheShapeButGetTheirOwnKey() throws Exception {
        JsonNode beyond = JSON.readTree(records.value(13));
        JsonNode template = JSON.readTree(records.value(3));
        assertThat(beyond.at("/login/uuid").asText()).isEqualTo(records.key(13)).isNotEqualTo(records.key(3));
        assertThat(beyond.at("/email")).isEqualTo(template.at("/email"));
        assertThat(records.value(13)).hasSameSizeAs(records.value(3));
    }

    @Test
    void rowIdIsTheNameUuidOfTheKeyAsSluiceDerivesIt() {
        assertThat(records.rowId(13)).isEqualTo(UUID.nameUUIDFromBytes(records.key(13).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eventTimeIsStampedIntoRegisteredDate() throws Exception {
        Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
        JsonNode stamped = JSON.readTree(records.value(4, at));
        assertThat(DemoRecords.parseEventTime(stamped.at("/registered/date").asText())).isEqualTo(at);
    }

    @Test
    void rowsHaveOneValuePerDemoColumn() throws Exception {
        JsonNode user = JSON.readTree(records.value(5));
        String[] row = records.columns(5);
        assertThat(row).hasSize(DemoRecords.COLUMNS.size());
        assertThat(row[DemoRecords.COLUMNS.indexOf("first_name")]).isEqualTo(user.at("/name/first").asText());
        assertThat(row[DemoRecords.COLUMNS.indexOf("address")])
                .startsWith(user.at("/location/street/number").asText() + " " + user.at("/location/street/name").asText())
                .endsWith(user.at("/location/country").asText());
        assertThat(records.averageBytes()).isGreaterThan(records.averageRowBytes());
    }
}
