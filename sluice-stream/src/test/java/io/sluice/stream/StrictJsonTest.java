package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The strict token pass on its own (no Spark session): one case per reason, and valid shapes that must pass. */
class StrictJsonTest {
    private static final String SCHEMA = "id STRING, name STRUCT<first: STRING, last: STRING>, age INT, big BIGINT, "
            + "score DOUBLE, active BOOLEAN, postcode STRING, tags ARRAY<STRING>, attrs MAP<STRING, STRING>, "
            + "items ARRAY<STRUCT<label: STRING, n: INT>>, matrix ARRAY<ARRAY<STRING>>, counts MAP<STRING, INT>";
    private static final String GOOD = """
            {"id":"u-1","name":{"first":"Somchai","last":"Jaidee"},"age":35,"big":9007199254740993,"score":-1.5e3,\
            "active":true,"postcode":"10110","tags":["a","b",null],"attrs":{"k":"v","n":null},\
            "items":[{"label":"x","n":1},{"label":null}],"matrix":[["a"],[]],"counts":{"a":1}}""";

    private final StrictJson strict = new StrictJson(StructType.fromDDL(SCHEMA), Set.of("postcode"));

    private String check(String json) {
        return strict.check(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordThatFitsTheSchemaPasses() {
        assertThat(check(GOOD)).as("a record with every declared shape in place passes").isNull();
    }

    @Test
    void validShapesPass() {
        assertThat(check("{}")).as("an empty object passes (missing fields are from_json's null)").isNull();
        assertThat(check("{\"id\":null,\"name\":null,\"tags\":null,\"attrs\":null}")).as("nulls pass everywhere").isNull();
        assertThat(check("{\"name\":{\"first\":\"สมชาย\",\"last\":\"Jaidée 😀\"},\"id\":\"\\u00e9\\n\"}"))
                .as("unicode text and escapes pass").isNull();
        assertThat(check("{\"age\":-7,\"big\":12345678901234,\"score\":3,\"active\":false}"))
                .as("numbers and booleans where numeric and boolean types are declared pass").isNull();
        assertThat(check("{\"extra\":{\"deep\":[1,{\"x\":true}]},\"more\":[[[]]],\"n\":42}"))
                .as("undeclared fields of any shape are ignored, as from_json ignores them").isNull();
        assertThat(check("  {\"id\":\"u\"}\n\r\t ")).as("white space around the object is not trailing data").isNull();
        assertThat(check("{'id':'single quoted'}")).as("single quotes pass, as from_json reads them").isNull();
        assertThat(check("{\"postcode\":10110}")).as("a number passes in a field of record.numbers_as_text").isNull();
    }

    @Test
    void dataAfterTheObjectIsTrailingData() {
        assertThat(check(GOOD + " garbage")).isEqualTo(RecordParser.TRAILING_DATA);
        assertThat(check(GOOD + "}")).isEqualTo(RecordParser.TRAILING_DATA);
        assertThat(check(GOOD + ",")).isEqualTo(RecordParser.TRAILING_DATA);
    }

    @Test
    void aSecondValueAfterTheObjectIsMultipleValues() {
        assertThat(check(GOOD + GOOD)).as("two objects back to back").isEqualTo(RecordParser.MULTIPLE_VALUES);
        assertThat(check(GOOD + "\n" + GOOD)).as("one object per line").isEqualTo(RecordParser.MULTIPLE_VALUES);
        assertThat(check("{\"id\":\"a\"} 42")).as("an object and a number").isEqualTo(RecordParser.MULTIPLE_VALUES);
    }

    @Test
    void aNonTextValueWhereStringIsDeclaredIsATypeMismatchNamingThePath() {
        assertThat(check("{\"name\":{\"first\":{\"x\":1}}}")).isEqualTo("type_mismatch:name.first");
        assertThat(check("{\"name\":{\"last\":[\"a\"]}}")).isEqualTo("type_mismatch:name.last");
        assertThat(check("{\"id\":42}")).as("a numeric key").isEqualTo("type_mismatch:id");
        assertThat(check("{\"id\":4.2}")).isEqualTo("type_mismatch:id");
        assertThat(check("{\"id\":true}")).as("a boolean key").isEqualTo("type_mismatch:id");
        assertThat(check("{\"tags\":[\"a\",7]}")).as("an ARRAY<STRING> element").isEqualTo("type_mismatch:tags[*]");
        assertThat(check("{\"attrs\":{\"k\":{\"v\":1}}}")).as("a MAP<STRING, STRING> value").isEqualTo("type_mismatch:attrs.*");
        assertThat(check("{\"items\":[{\"label\":\"ok\"},{\"label\":false}]}")).as("a STRING inside an array of structs")
                .isEqualTo("type_mismatch:items[*].label");
        assertThat(check("{\"matrix\":[[\"a\"],[[\"b\"]]]}")).isEqualTo("type_mismatch:matrix[*][*]");
        assertThat(check("{\"postcode\":{\"zip\":1}}")).as("numbers_as_text admits numbers, not objects")
                .isEqualTo("type_mismatch:postcode");
        assertThat(check("{\"postcode\":true}")).as("numbers_as_text admits numbers, not booleans")
                .isEqualTo("type_mismatch:postcode");
    }

    @Test
    void theFirstMismatchInDocumentOrderIsNamedAndDataAfterTheObjectComesFirst() {
        assertThat(check("{\"tags\":[1],\"id\":2}")).isEqualTo("type_mismatch:tags[*]");
        assertThat(check("{\"id\":2} trailing")).as("a broken record is reported before its types")
                .isEqualTo(RecordParser.TRAILING_DATA);
    }

    @Test
    void shapesFromJsonRejectsItselfAreLeftToIt() {
        assertThat(check("{\"age\":\"42\"}")).as("text where INT is declared stays from_json's schema mismatch").isNull();
        assertThat(check("{\"name\":\"a string for a struct\"}")).isNull();
        assertThat(check("{\"tags\":{\"an\":\"object for an array\"}}")).isNull();
        assertThat(check("{\"counts\":{\"a\":\"x\"}}")).as("a MAP<STRING, INT> is not looked at").isNull();
    }

    @Test
    void valuesThatAreNotOneReadableObjectAreLeftToTheMalformedCheck() {
        assertThat(check("[1, 2]")).isNull();
        assertThat(check("42")).isNull();
        assertThat(check("not json")).isNull();
        assertThat(check("{\"id\": \"truncated")).isNull();
        assertThat(check("{\"tags\": [1, }")).isNull();
        assertThat(check("")).isNull();
        assertThat(strict.check(null)).isNull();
    }
}
