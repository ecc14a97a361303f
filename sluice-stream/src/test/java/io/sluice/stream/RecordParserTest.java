package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;

import io.sluice.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class RecordParserTest {
    private final RecordParser parser = RecordParser.fromConfig(DemoPipeline.load());
    private final SinkProjection projection = SinkProjection.fromConfig(DemoPipeline.load());

    @Test
    void flattensADemoRecordToTheElevenColumnsPlusKey() {
        String uuid = "0b2c4f5e-1111-4222-8333-444455556666";
        Dataset<Row> parsed = parser.parse(KafkaRows.of(DemoPipeline.user(uuid)));
        Row row = projection.apply(parsed.filter(col(RecordParser.PARSE_OK))).first();

        assertThat(row.schema().fieldNames()).as("the key column comes first, then every sink column in file order")
                .containsExactly("id", "first_name", "last_name", "gender", "address", "post_code", "email",
                        "username", "dob", "registered_date", "phone", "picture");
        assertThat(row.<String>getAs("id")).as("the key is the name-based UUID of login.uuid")
                .isEqualTo(UUID.nameUUIDFromBytes(uuid.getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(row.<String>getAs("first_name")).isEqualTo("Somchai");
        assertThat(row.<String>getAs("last_name")).isEqualTo("Jaidee");
        assertThat(row.<String>getAs("gender")).isEqualTo("female");
        assertThat(row.<String>getAs("address")).isEqualTo("42 Sukhumvit Rd, Bangkok, Bangkok, Thailand");
        assertThat(row.<String>getAs("post_code")).isEqualTo("10110");
        assertThat(row.<String>getAs("email")).isEqualTo("somchai@example.com");
        assertThat(row.<String>getAs("username")).isEqualTo("bluecat42");
        assertThat(row.<String>getAs("dob")).isEqualTo("1990-05-01T00:00:00.000Z");
        assertThat(row.<String>getAs("registered_date")).isEqualTo("2015-01-02T03:04:05.000Z");
        assertThat(row.<String>getAs("phone")).isEqualTo("02-123-4567");
        assertThat(row.<String>getAs("picture")).isEqualTo("https://x/m.jpg");
    }

    @Test
    void marksMalformedAndKeylessRecordsNotOkWithAReason() {
        Dataset<Row> parsed = parser.parse(KafkaRows.of(
                DemoPipeline.user("good-1"),
                "this is not json",
                "{\"name\": {\"first\": \"truncated\"",
                "[1, 2, 3]",
                "42",
                null,
                "{\"gender\":\"male\",\"login\":{\"username\":\"no-uuid\"}}",
                "{\"gender\":\"male\",\"dob\":{\"age\":\"not a number\"},\"login\":{\"uuid\":\"bad-type\"}}",
                DemoPipeline.user("good-2")));
        List<Row> rows = parsed.orderBy(RecordParser.OFFSET)
                .select(RecordParser.OFFSET, RecordParser.PARSE_OK, RecordParser.PARSE_ERROR).collectAsList();

        assertThat(rows).extracting(r -> r.getLong(0) + ":" + r.getBoolean(1) + ":" + r.getString(2))
                .as("every input row comes out once, flagged with why it cannot be written")
                .containsExactly(
                        "0:true:null",
                        "1:false:" + RecordParser.MALFORMED,
                        "2:false:" + RecordParser.MALFORMED,
                        "3:false:" + RecordParser.MALFORMED,
                        "4:false:" + RecordParser.MALFORMED,
                        "5:false:" + RecordParser.EMPTY_VALUE,
                        "6:false:" + RecordParser.MISSING_KEY,
                        "7:false:" + RecordParser.SCHEMA_MISMATCH,
                        "8:true:null");
    }

    @Test
    void strictParsingQuarantinesWhatFromJsonWouldAcceptSilently() {
        String user = DemoPipeline.user("strict-1");
        List<String> verdicts = verdicts(
                user + " garbage",
                user + "}",
                user + user,
                user + "\n" + DemoPipeline.user("strict-2"),
                edited("strict-1", "\"Somchai\"", "{\"given\":\"Somchai\"}"),
                edited("strict-1", "\"Somchai\"", "[\"Som\",\"chai\"]"),
                edited("strict-1", "\"Somchai\"", "42"),
                edited("strict-1", "\"female\"", "true"),
                edited("strict-1", "\"strict-1\"", "7"),
                edited("strict-1", "\"strict-1\"", "{\"id\":7}"),
                edited("strict-1", "\"strict-1\"", "false"));

        assertThat(verdicts).as("each broken record gets its own stable reason, none is read as valid").containsExactly(
                "0:false:" + RecordParser.TRAILING_DATA,
                "1:false:" + RecordParser.TRAILING_DATA,
                "2:false:" + RecordParser.MULTIPLE_VALUES,
                "3:false:" + RecordParser.MULTIPLE_VALUES,
                "4:false:type_mismatch:name.first",
                "5:false:type_mismatch:name.first",
                "6:false:type_mismatch:name.first",
                "7:false:type_mismatch:gender",
                "8:false:type_mismatch:login.uuid",
                "9:false:type_mismatch:login.uuid",
                "10:false:type_mismatch:login.uuid");
    }

    @Test
    void strictParsingLeavesValidRecordsAndTheEarlierReasonsAsTheyWere() {
        String user = DemoPipeline.user("ok-1");
        List<String> verdicts = verdicts(
                user,
                "  " + user + "\n",
                edited("ok-1", "Somchai", "สมชาย 😀 \\u00e9"),
                edited("ok-1", "\"title\":\"Ms\"", "\"title\":null"),
                edited("ok-1", "\"nat\":\"TH\"", "\"nat\":{\"any\":[1,{\"shape\":true}]}"),
                edited("ok-1", "\"postcode\":\"10110\"", "\"postcode\":10110"),
                edited("ok-1", "\"age\":35", "\"age\":\"42\""),
                edited("ok-1", "\"age\":35", "\"age\":1.5"),
                "[" + user + "]",
                edited("ok-1", "\"ok-1\"", "null") + " trailing");

        assertThat(verdicts).as("valid records pass; text or a fraction where INT is declared stays a schema mismatch; "
                + "what was malformed before stays malformed").containsExactly(
                "0:true:null",
                "1:true:null",
                "2:true:null",
                "3:true:null",
                "4:true:null",
                "5:true:null",
                "6:false:" + RecordParser.SCHEMA_MISMATCH,
                "7:false:" + RecordParser.SCHEMA_MISMATCH,
                "8:false:" + RecordParser.MALFORMED,
                "9:false:" + RecordParser.TRAILING_DATA);
    }

    @Test
    void validRecordsKeepTheirValuesAndANumericPostcodeIsReadAsItsText() {
        String user = DataQualityTest.user("ok-2", Map.of("\"postcode\":\"10110\"", "\"postcode\":10110", "Somchai", "สมชาย"));
        Row row = parser.parse(KafkaRows.of(user))
                .select("name.first", "location.postcode", "location.street.number", "dob.age").first();

        assertThat(row.getString(0)).isEqualTo("สมชาย");
        assertThat(row.getString(1)).as("the demo's record.numbers_as_text keeps a numeric postcode as text")
                .isEqualTo("10110");
        assertThat(row.getInt(2)).isEqualTo(42);
        assertThat(row.getInt(3)).isEqualTo(35);
    }

    @Test
    void numbersAsTextMustNameStringFieldsOfTheSchema() {
        assertThatThrownBy(() -> RecordParser.fromConfig(DemoPipeline.load(
                Map.of("record.numbers_as_text", "location.postcode, dob.age, location.zip"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("record.numbers_as_text")
                .hasMessageContaining("declares as INT; list only STRING fields")
                .hasMessageContaining("names field 'zip', which `record.schema` does not declare inside 'location'");
    }

    private List<String> verdicts(String... values) {
        return parser.parse(KafkaRows.of(values)).orderBy(RecordParser.OFFSET)
                .select(RecordParser.OFFSET, RecordParser.PARSE_OK, RecordParser.PARSE_ERROR).collectAsList().stream()
                .map(r -> r.getLong(0) + ":" + r.getBoolean(1) + ":" + r.getString(2)).toList();
    }

    /** The demo user {@code uuid} with one piece of its text replaced. */
    private static String edited(String uuid, String from, String to) {
        return DataQualityTest.user(uuid, Map.of(from, to));
    }

    @Test
    void keyPathOutsideTheSchemaIsAConfigError() {
        assertThatThrownBy(() -> RecordParser.fromConfig(DemoPipeline.load(Map.of("record.key", "login.id"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("record.key")
                .hasMessageContaining("'id'");
    }

    @Test
    void unparsableSchemaIsAConfigError() {
        assertThatThrownBy(() -> RecordParser.fromConfig(DemoPipeline.load(Map.of("record.schema", "name STRUCT<first"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("record.schema");
    }

    @Test
    void sinkExpressionThatDoesNotResolveIsAConfigErrorNamingTheColumn() {
        SinkProjection bad = new SinkProjection("id", "login.uuid", Map.of("first_name", "name.frist", "email", "email"));
        assertThatThrownBy(() -> bad.validate(LocalSpark.get(), parser.schema(), "demo-users.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sink.columns.first_name")
                .hasMessageContaining("name.frist");
    }
}
