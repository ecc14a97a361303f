package io.sluice.servers.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class UserRowsTest {
    /** A randomuser.me record as the demo API serves it; the postcode is a JSON number, as randomuser.me sends it. */
    private static final String USER = """
            {"gender":"female","name":{"title":"Ms","first":"Ada","last":"Byron"},
             "location":{"street":{"number":12,"name":"St James's Square"},"city":"London","state":"Greater London",
                         "country":"United Kingdom","postcode":12345},
             "email":"ada.byron@example.com",
             "login":{"uuid":"0b5e2a4c-5a0e-4e7b-9f4e-1c2d3e4f5a6b","username":"countess"},
             "dob":{"date":"1815-12-10T00:00:00.000Z","age":36},
             "registered":{"date":"2020-01-01T10:00:00.000Z","age":5},
             "phone":"020 7946 0000",
             "picture":{"large":"l.jpg","medium":"m.jpg","thumbnail":"t.jpg"}}
            """;

    @Test
    void flattensARecordIntoTheDemoPipelinesColumnsAndKey() throws Exception {
        Row row = UserRows.flatten(new ObjectMapper().readTree(USER));

        assertThat(row.getArity()).as("id plus the demo pipeline's eleven columns").isEqualTo(12);
        assertThat(row.getField(0)).as("the key Sluice derives from login.uuid")
                .isEqualTo(UUID.nameUUIDFromBytes("0b5e2a4c-5a0e-4e7b-9f4e-1c2d3e4f5a6b".getBytes(StandardCharsets.UTF_8)));
        assertThat(UserRows.COLUMNS).containsExactly("first_name", "last_name", "gender", "address", "post_code",
                "email", "username", "dob", "registered_date", "phone", "picture");
        assertThat(new Object[] {row.getField(1), row.getField(2), row.getField(3), row.getField(4), row.getField(5),
                row.getField(6), row.getField(7), row.getField(8), row.getField(9), row.getField(10), row.getField(11)})
                .as("the columns, evaluated as the demo pipeline's sink.columns are")
                .containsExactly("Ada", "Byron", "female",
                        "12 St James's Square, London, Greater London, United Kingdom", "12345",
                        "ada.byron@example.com", "countess", "1815-12-10T00:00:00.000Z", "2020-01-01T10:00:00.000Z",
                        "020 7946 0000", "m.jpg");
    }

    @Test
    void producedTypeIsARowOfAUuidAndElevenStrings() {
        assertThat(new UserRows().getProducedType().getArity()).isEqualTo(12);
    }
}
