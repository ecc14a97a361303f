package io.sluice.stream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.PipelineConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns raw Kafka rows into parsed records. Nothing is dropped here: every input row comes out once, with
 * {@link #PARSE_OK} telling whether it can be written and {@link #PARSE_ERROR} saying why not. That keeps bad records
 * (with their original bytes and Kafka position) available to the quarantine ({@link QuarantineWriter}).
 *
 * <p>Output columns: the declared record fields at top level (so sink expressions read {@code name.first}), plus
 * {@link #TOPIC}, {@link #PARTITION}, {@link #OFFSET}, {@link #KAFKA_KEY}, {@link #RAW_BYTES}, {@link #RAW_VALUE},
 * {@link #PARSE_OK}, {@link #PARSE_ERROR}.
 */
public final class RecordParser {
    public static final String TOPIC = "_kafka_topic";
    public static final String PARTITION = "_kafka_partition";
    public static final String OFFSET = "_kafka_offset";
    public static final String RAW_VALUE = "_raw_value";
    /** The value exactly as Kafka held it, so the dead-letter topic carries the original bytes, not a re-encoding. */
    public static final String RAW_BYTES = "_raw_bytes";
    public static final String KAFKA_KEY = "_kafka_key";
    public static final String PARSE_OK = "_parse_ok";
    public static final String PARSE_ERROR = "_parse_error";

    /**
     * Parse failure details, stable strings that quarantine reasons ({@code parse:<detail>}) and counts group by, in
     * the order they are checked.
     */
    public static final String EMPTY_VALUE = "empty";
    /** Larger than {@code dq.max_record_bytes}; not parsed at all. */
    public static final String OVERSIZE = "oversize";
    /** Bytes that are not UTF-8: the JSON parser would silently turn them into U+FFFD. */
    public static final String INVALID_UTF8 = "invalid_utf8";
    /** Not JSON at all, or JSON that is not an object (an array, a number, a truncated document). */
    public static final String MALFORMED = "malformed";
    /** Anything after the record's object that is not a JSON value: {@code {..} garbage}, {@code {..}}}. */
    public static final String TRAILING_DATA = "trailing_data";
    /** A second JSON value after the record's object: {@code {..}{..}}, one record per line. */
    public static final String MULTIPLE_VALUES = "multiple_values";
    /**
     * Followed by {@code :<field path>}: a value that is not text where {@code record.schema} declares STRING (an
     * object, array, number or boolean), which from_json would store as its JSON text. Numbers pass for the fields in
     * {@code record.numbers_as_text}.
     */
    public static final String TYPE_MISMATCH = "type_mismatch";
    /** A JSON object, but some value does not fit its type in {@code record.schema} (e.g. text where INT is declared). */
    public static final String SCHEMA_MISMATCH = "schema_mismatch";
    public static final String MISSING_KEY = "missing_key";

    private static final String RECORD = "_sluice_record";
    private static final String OVERSIZE_FLAG = "_sluice_oversize";

    private final StructType schema;
    private final String keyPath;
    private final long maxRecordBytes;
    private final RecordJson json;

    private RecordParser(StructType schema, String keyPath, long maxRecordBytes, Set<String> numbersAsText) {
        this.schema = schema;
        this.keyPath = keyPath;
        this.maxRecordBytes = maxRecordBytes;
        this.json = new RecordJson(schema, numbersAsText);
    }

    /** Checks {@code record.schema}, {@code record.key} and {@code record.numbers_as_text} together, every problem at once. */
    public static RecordParser fromConfig(PipelineConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        StructType schema = null;
        try {
            schema = StructType.fromDDL(config.recordSchema());
        } catch (Exception e) { // Spark's ParseException is checked in Java's eyes but thrown undeclared
            problems.add(new ConfigProblem("record.schema", config.recordSchema(),
                    "is not a Spark DDL schema (" + Messages.firstLine(e.getMessage()) + "); write it like `name STRUCT<first: STRING>, email STRING`"));
        }
        if (schema != null) {
            String keyProblem = checkKeyPath(schema, config.recordKey());
            if (keyProblem != null) {
                problems.add(new ConfigProblem("record.key", config.recordKey(), keyProblem));
            }
            for (String path : config.recordNumbersAsText()) {
                String problem = checkTextPath(schema, path);
                if (problem != null) {
                    problems.add(new ConfigProblem("record.numbers_as_text", path, problem));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(config.origin(), problems);
        }
        return new RecordParser(schema, config.recordKey(), config.dqMaxRecordBytes(),
                new LinkedHashSet<>(config.recordNumbersAsText()));
    }

    public StructType schema() {
        return schema;
    }

    public String keyPath() {
        return keyPath;
    }

    /**
     * {@code kafkaRows} has the Kafka source's columns: {@code key} and {@code value} (binary), {@code topic},
     * {@code partition}, {@code offset}.
     */
    public Dataset<Row> parse(Dataset<Row> kafkaRows) {
        return parse(kafkaRows, List.of());
    }

    /** As {@link #parse(Dataset)}, with the input's columns {@code carried} passed through unchanged. */
    Dataset<Row> parse(Dataset<Row> kafkaRows, List<String> carried) {
        Column value = col("value");
        boolean inPlace = kafkaRows.schema().apply("value").dataType() instanceof StringType;
        // false for a null value, so that EMPTY_VALUE below can tell "no bytes" from "too many"
        Column tooLong = coalesce(octet_length(value).gt(maxRecordBytes), lit(false));
        List<Column> decodedColumns = new ArrayList<>(List.of(
                col("topic").as(TOPIC),
                col("partition").as(PARTITION),
                col("offset").as(OFFSET),
                col("key").as(KAFKA_KEY),
                (inPlace ? value.cast("binary") : value).as(RAW_BYTES),
                // An oversize value is not decoded or parsed at all: that is what the limit protects.
                when(tooLong, lit(null).cast("string")).otherwise(value.cast("string")).as(RAW_VALUE),
                tooLong.as(OVERSIZE_FLAG)));
        carried.forEach(name -> decodedColumns.add(col(name)));
        Dataset<Row> decoded = kafkaRows.select(decodedColumns.toArray(Column[]::new));
        // One read of each record: from_json's row, the strict verdict (trailing data or a non-text value in a STRING
        // field, which from_json reads "fine") and the UTF-8 verdict (RecordJson).
        Dataset<Row> parsed = decoded.withColumn(RECORD, json.parse(col(RAW_VALUE)));

        Column raw = col(RAW_VALUE);
        Column oversize = col(OVERSIZE_FLAG);
        Column corrupt = col(RECORD + "." + RecordJson.CORRUPT);
        Column strict = col(RECORD + "." + RecordJson.STRICT);
        // A record from_json read without complaint whose text starts with '{' needs no further look: the costly checks
        // below (trim, a second JSON parse) run only for "suspect" rows. CASE WHEN and AND stop at the first decisive
        // branch, so a good row pays for one read of its bytes (RecordJson) and a prefix compare only.
        // ltrim copies the whole text, so it is only tried when the text does not start with '{' right away.
        Column startsLikeObject = raw.startsWith("{").or(ltrim(raw).startsWith("{"));
        Column suspect = col(RECORD).isNull().or(corrupt.isNotNull()).or(not(startsLikeObject));
        // get_json_object('$') is null for text Jackson cannot read as one JSON document: malformed, not a mismatch.
        Column notAnObject = col(RECORD).isNull().or(not(startsLikeObject)).or(get_json_object(raw, "$").isNull());
        // The text is null for no bytes at all, or for bytes over the limit, which are never decoded.
        Column error = when(raw.isNull().and(not(oversize)), lit(EMPTY_VALUE))
                .when(oversize, lit(OVERSIZE))
                .when(suspect.and(length(trim(raw)).equalTo(0)), lit(EMPTY_VALUE))
                // The JSON parser reads bad UTF-8 as U+FFFD without complaint, so the bytes are checked themselves.
                .when(col(RECORD + "." + RecordJson.VALID_UTF8).equalTo(false), lit(INVALID_UTF8))
                .when(suspect.and(notAnObject), lit(MALFORMED))
                // Data after the object, or a non-text value in a STRING field: a record from_json reads "fine".
                .when(strict.isNotNull(), strict)
                .when(corrupt.isNotNull(), lit(SCHEMA_MISMATCH))
                .when(col(RECORD + "." + keyPath).isNull(), lit(MISSING_KEY));

        List<Column> out = new ArrayList<>(List.of(col(TOPIC), col(PARTITION), col(OFFSET), col(KAFKA_KEY),
                col(RAW_BYTES), col(RAW_VALUE)));
        for (StructField field : schema.fields()) {
            out.add(col(RECORD + ".`" + field.name() + "`").as(field.name()));
        }
        out.add(error.as(PARSE_ERROR));
        carried.forEach(name -> out.add(col(name)));
        // PARSE_OK reads the computed PARSE_ERROR column: written as error.isNull() it would evaluate every check twice.
        List<Column> ordered = new ArrayList<>(List.of(col(TOPIC), col(PARTITION), col(OFFSET), col(KAFKA_KEY),
                col(RAW_BYTES), col(RAW_VALUE)));
        for (StructField field : schema.fields()) {
            ordered.add(col("`" + field.name() + "`"));
        }
        ordered.add(col(PARSE_ERROR).isNull().as(PARSE_OK));
        ordered.add(col(PARSE_ERROR));
        carried.forEach(name -> ordered.add(col(name)));
        return parsed.select(out.toArray(Column[]::new)).select(ordered.toArray(Column[]::new));
    }

    /**
     * The Kafka rows' columns with {@code value} as STRING instead of BINARY, for a plan over Spark's internal rows
     * ({@link PrecompiledProjection}). An {@code UnsafeRow} holds both types alike (an offset and a length into the
     * row), but reads BINARY by copying the bytes out and STRING in place: {@link #parse} given these columns reads each
     * record's bytes where they lie, where the BINARY value cost two copies of every record (its length and its
     * text). The bytes are the same either way: text that is not UTF-8 stays as it was, for {@link RecordJson} to
     * judge, and {@link #RAW_BYTES} is BINARY again.
     */
    static StructType valueReadInPlace(StructType kafka) {
        StructField[] fields = kafka.fields().clone();
        int value = kafka.fieldIndex("value");
        StructField binary = fields[value];
        fields[value] = new StructField(binary.name(), DataTypes.StringType, binary.nullable(), binary.metadata());
        return new StructType(fields);
    }

    private static String checkKeyPath(StructType schema, String keyPath) {
        Resolved key = resolve(schema, keyPath);
        if (key.problem() != null) {
            return key.problem();
        }
        return key.field().dataType() instanceof StructType
                ? "must lead to a single value, but '" + keyPath + "' is a STRUCT; name one of its fields" : null;
    }

    private static String checkTextPath(StructType schema, String path) {
        Resolved field = resolve(schema, path);
        if (field.problem() != null) {
            return field.problem();
        }
        DataType type = field.field().dataType();
        return type instanceof StringType ? null : "names a field that `record.schema` declares as "
                + type.sql() + "; list only STRING fields (a number is accepted as text there)";
    }

    /** A dot path's field, reached through STRUCTs only, or a sentence saying why there is none. */
    private record Resolved(StructField field, String problem) {
    }

    private static Resolved resolve(StructType schema, String path) {
        StructType current = schema;
        String[] parts = path.split("\\.");
        StructField field = null;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (field != null) {
                if (!(field.dataType() instanceof StructType struct)) {
                    return new Resolved(null, "goes through '" + parts[i - 1] + "', which is not a STRUCT in `record.schema`");
                }
                current = struct;
            }
            field = Arrays.stream(current.fields()).filter(f -> f.name().equals(part)).findFirst().orElse(null);
            if (field == null) {
                return new Resolved(null, "names field '" + part + "', which `record.schema` does not declare"
                        + (i == 0 ? "" : " inside '" + String.join(".", Arrays.copyOf(parts, i)) + "'"));
            }
        }
        return new Resolved(field, null);
    }
}
