package io.sluice.ingest;

import static io.sluice.ingest.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Positions become committable only after Kafka acknowledged every record up to them (MockProducer, no broker). */
class RecordSenderTest {
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final PositionTracker positions = new PositionTracker();
    private final IngestMetrics metrics = new IngestMetrics();
    private final List<SendFailedException> failures = new ArrayList<>();
    private final RecordSender sender = new RecordSender(producer, "users",
            new DeadLetter("users.dlq", "ingest_test", "websocket ws://127.0.0.1:1/feed"), new Throttle(1_000_000, 1 << 30, new ManualTicker()),
            positions, metrics, "after 3 retries", failures::add);

    @Test
    void nothingIsCommittableBeforeKafkaAcknowledges() throws InterruptedException {
        sender.send(record(1));
        sender.send(record(2));

        assertThat(producer.history()).as("both records were handed to the producer").hasSize(2);
        assertThat(positions.takeCommittable()).as("no position before any acknowledgement").isEmpty();

        producer.completeNext();
        assertThat(positions.takeCommittable()).contains(SourcePosition.of("pos-1"));
        assertThat(positions.takeCommittable()).as("a position is handed out once").isEmpty();

        producer.completeNext();
        assertThat(positions.takeCommittable()).contains(SourcePosition.of("pos-2"));
        assertThat(metrics.snapshot().recordsSent()).isEqualTo(2);
    }

    @Test
    void theCommittablePositionWaitsForEarlierRecordsAcknowledgedLater() throws InterruptedException {
        sender.send(record(1));
        sender.send(record(2));
        sender.send(record(3));

        // Acknowledge out of order, as records on different partitions are: 2 and 3 before 1.
        positions.acknowledged(1);
        positions.acknowledged(2);
        assertThat(positions.takeCommittable()).as("record 1 is still unacknowledged, so nothing may be committed").isEmpty();

        positions.acknowledged(0);
        assertThat(positions.takeCommittable()).as("once record 1 is acknowledged, everything up to record 3 is")
                .contains(SourcePosition.of("pos-3"));
    }

    @Test
    void aFailedSendIsCountedSurfacedAndHoldsThePositionBeforeIt() throws InterruptedException {
        sender.send(record(1));
        sender.send(record(2));
        sender.send(record(3));

        producer.completeNext();
        producer.errorNext(new TimeoutException("Expiring 1 record(s) for users-0"));
        producer.completeNext();

        assertThat(positions.takeCommittable()).as("the position stops before the failed record")
                .contains(SourcePosition.of("pos-1"));
        assertThat(positions.takeCommittable()).isEmpty();
        assertThat(metrics.snapshot().sendErrors()).isEqualTo(1);
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.getMessage())
                .contains("topic `users`", "pos-2", "after 3 retries", "Expiring 1 record(s)"));
    }

    @Test
    void keysAndValuesReachTheProducerUnchanged() throws InterruptedException {
        sender.send(record(7));

        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("users");
            assertThat(r.key()).isEqualTo("key-7");
            assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"n\":7}");
        });
    }

    @Test
    void aRejectedPayloadGoesToTheDeadLetterTopicWithItsOriginalBytesAndHoldsThePositionUntilAcked()
            throws InterruptedException {
        byte[] original = {'{', 'o', 'o', (byte) 0xC3, 0x28}; // broken JSON with invalid UTF-8, byte for byte
        sender.send(record(1));
        sender.send(SourceRecord.rejected(original, SourcePosition.of("pos-2"), "ingest:invalid_utf8",
                "message at position pos-2 is not UTF-8"));
        sender.send(record(3));

        assertThat(producer.history()).hasSize(3);
        var deadLetter = producer.history().get(1);
        assertThat(deadLetter.topic()).isEqualTo("users.dlq");
        assertThat(deadLetter.key()).as("an unreadable payload has no natural key").isNull();
        assertThat(deadLetter.value()).as("the dead letter carries the original bytes untouched").isEqualTo(original);
        assertThat(header(deadLetter, "sluice.reasons")).isEqualTo("ingest:invalid_utf8");
        assertThat(header(deadLetter, "sluice.source.position")).isEqualTo("pos-2");
        assertThat(header(deadLetter, "sluice.stage")).isEqualTo("ingest");
        assertThat(header(deadLetter, "sluice.pipeline")).isEqualTo("ingest_test");
        assertThat(header(deadLetter, "sluice.source")).isEqualTo("websocket ws://127.0.0.1:1/feed");
        assertThat(header(deadLetter, "sluice.detail")).contains("pos-2");

        producer.completeNext();
        assertThat(positions.takeCommittable()).contains(SourcePosition.of("pos-1"));
        producer.completeNext();
        producer.completeNext();
        assertThat(positions.takeCommittable()).as("the position after the dead letter commits once it is acked too")
                .contains(SourcePosition.of("pos-3"));
        assertThat(metrics.snapshot().deadLettered()).containsEntry("ingest:invalid_utf8", 1L);
        assertThat(metrics.snapshot().recordsSent()).as("a dead letter is not a record sent").isEqualTo(2);
    }

    private static String header(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
