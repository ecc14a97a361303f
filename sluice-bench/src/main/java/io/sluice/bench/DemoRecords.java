package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.demoapi.UserGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The demo's user records (about 1 KB of JSON each), made cheap enough that the benchmark measures Kafka and
 * Cassandra rather than the generator.
 *
 * <p>A pool of {@code poolSize} users is generated once; record {@code i} is pool user {@code i % poolSize} with its
 * {@code login.uuid} replaced by the generator's uuid for {@code i} (same length, so the same bytes count). Every record
 * thus has its own key and its own Cassandra row, at the cost of one array copy. Records below {@code poolSize} are
 * byte for byte what the demo API serves.
 *
 * <p>The rows written straight into Cassandra by the ceiling are the same projection the demo pipeline's
 * {@code sink.columns} make, with the same key (the name-based UUID of {@code login.uuid}), so every stage writes the
 * same rows.
 */
final class DemoRecords {

    /** The demo pipeline's table columns, in its order; the ceiling checks the pipeline still has exactly these. */
    static final List<String> COLUMNS = List.of("first_name", "last_name", "gender", "address", "post_code", "email",
            "username", "dob", "registered_date", "phone", "picture");
    static final String SEED = "sluice-bench";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final byte[] UUID_FIELD = "\"uuid\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REGISTERED_FIELD = "\"registered\":{\"date\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int UUID_LENGTH = 36;
    private static final int DATE_LENGTH = 24;

    private final UserGenerator generator = new UserGenerator(SEED);
    private final byte[][] templates;
    private final int[] uuidAt;
    private final int[] registeredAt;
    private final String[][] columns;
    private final double averageBytes;
    private final double averageRowBytes;

    DemoRecords(int poolSize) {
        templates = new byte[poolSize][];
        uuidAt = new int[poolSize];
        registeredAt = new int[poolSize];
        columns = new String[poolSize][];
        long bytes = 0;
        long rowBytes = 0;
        for (int i = 0; i < poolSize; i++) {
            JsonNode user = generator.user(i);
            templates[i] = generator.userJson(i).getBytes(StandardCharsets.UTF_8);
            uuidAt[i] = indexAfter(templates[i], UUID_FIELD);
            registeredAt[i] = indexAfter(templates[i], REGISTERED_FIELD);
            columns[i] = project(user);
            bytes += templates[i].length;
            rowBytes += 16; // the uuid key
            for (String column : columns[i]) {
                rowBytes += column.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        averageBytes = (double) bytes / poolSize;
        averageRowBytes = (double) rowBytes / poolSize;
    }

    int poolSize() {
        return templates.length;
    }

    double averageBytes() {
        return averageBytes;
    }

    /** Average size of a Cassandra row's values (key plus text columns), what the connector's MB/s limit counts. */
    double averageRowBytes() {
        return averageRowBytes;
    }

    /** The Kafka key of record {@code index}: its {@code login.uuid}, as the ingest producer sends it. */
    String key(long index) {
        return generator.uuid(index).toString();
    }

    /** The JSON of record {@code index}. */
    byte[] value(long index) {
        int slot = slot(index);
        byte[] json = Arrays.copyOf(templates[slot], templates[slot].length);
        System.arraycopy(key(index).getBytes(StandardCharsets.US_ASCII), 0, json, uuidAt[slot], UUID_LENGTH);
        return json;
    }

    /**
     * The JSON of record {@code index} with {@code registered.date} set to {@code eventTime}: the latency run stamps
     * the produce time there, and reads it back from the {@code registered_date} column beside the row's writetime.
     */
    byte[] value(long index, Instant eventTime) {
        byte[] json = value(index);
        byte[] stamp = ISO_MILLIS.format(eventTime).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stamp, 0, json, registeredAt[slot(index)], DATE_LENGTH);
        return json;
    }

    /** The Cassandra primary key Sluice derives from the record key: {@code UUID.nameUUIDFromBytes(key)}. */
    UUID rowId(long index) {
        return UUID.nameUUIDFromBytes(key(index).getBytes(StandardCharsets.UTF_8));
    }

    /** The row's text columns in {@link #COLUMNS} order (shared with other records of the same pool slot). */
    String[] columns(long index) {
        return columns[slot(index)];
    }

    static Instant parseEventTime(String registeredDate) {
        return Instant.parse(registeredDate);
    }

    private int slot(long index) {
        return (int) (index % templates.length);
    }

    /** The demo pipeline's {@code sink.columns}, evaluated in Java. */
    private static String[] project(JsonNode user) {
        JsonNode location = user.path("location");
        String address = String.format(Locale.ROOT, "%s %s, %s, %s, %s",
                location.path("street").path("number").asText(), location.path("street").path("name").asText(),
                location.path("city").asText(), location.path("state").asText(), location.path("country").asText());
        return new String[] {
                user.path("name").path("first").asText(),
                user.path("name").path("last").asText(),
                user.path("gender").asText(),
                address,
                location.path("postcode").asText(),
                user.path("email").asText(),
                user.path("login").path("username").asText(),
                user.path("dob").path("date").asText(),
                user.path("registered").path("date").asText(),
                user.path("phone").asText(),
                user.path("picture").path("medium").asText()};
    }

    private static int indexAfter(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i + needle.length;
        }
        throw new IllegalStateException("demo user JSON has no " + new String(needle, StandardCharsets.US_ASCII)
                + "; the record shape changed and the benchmark's patching must follow");
    }
}
