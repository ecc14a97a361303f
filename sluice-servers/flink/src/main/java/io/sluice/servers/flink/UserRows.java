package io.sluice.servers.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Jackson flattening of a demo user record (randomuser.me's JSON) into the row the bench's tables hold: the key Sluice
 * derives ({@code UUID.nameUUIDFromBytes(login.uuid)}) and the demo pipeline's eleven {@code sink.columns}, evaluated
 * as Spark evaluates them there (the address is its {@code format_string}).
 *
 * <p>It parses straight from the Kafka record's bytes in the source, as a Flink user who cares for CPU would; the
 * source and the sink are chained, so the rows are never serialized between them.
 */
final class UserRows implements KafkaRecordDeserializationSchema<Row> {
    /** The table's columns after {@code id}, in the order of the rows this makes. */
    static final String[] COLUMNS = {"first_name", "last_name", "gender", "address", "post_code", "email", "username",
            "dob", "registered_date", "phone", "picture"};

    /**
     * Records parsed so far in this JVM, and the wall-clock time of the first: the job's progress. Static because the
     * MiniCluster runs every subtask in this JVM with this class loader; the job never runs on a real cluster.
     */
    static final AtomicLong RECORDS = new AtomicLong();
    static final AtomicLong FIRST_RECORD_MILLIS = new AtomicLong();

    private static final long serialVersionUID = 1L;

    private transient ObjectMapper json;

    @Override
    public void open(org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext context) {
        json = new ObjectMapper();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Row> out) throws java.io.IOException {
        if (RECORDS.getAndIncrement() == 0) {
            FIRST_RECORD_MILLIS.compareAndSet(0, System.currentTimeMillis());
        }
        out.collect(flatten(json.readTree(record.value())));
    }

    static Row flatten(JsonNode user) {
        JsonNode location = user.path("location");
        String address = String.format(Locale.ROOT, "%s %s, %s, %s, %s",
                location.path("street").path("number").asText(), location.path("street").path("name").asText(),
                location.path("city").asText(), location.path("state").asText(), location.path("country").asText());
        UUID id = UUID.nameUUIDFromBytes(user.path("login").path("uuid").asText().getBytes(StandardCharsets.UTF_8));
        return Row.of(id,
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
                user.path("picture").path("medium").asText());
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        TypeInformation<?>[] types = new TypeInformation<?>[COLUMNS.length + 1];
        types[0] = TypeInformation.of(UUID.class);
        for (int i = 1; i < types.length; i++) {
            types[i] = Types.STRING;
        }
        return new RowTypeInfo(types);
    }
}
