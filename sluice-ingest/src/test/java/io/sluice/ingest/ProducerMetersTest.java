package io.sluice.ingest;

import static io.sluice.ingest.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ProducerMetersTest {
    private final SimpleMeterRegistry registry = MeterAssertions.registry(new MockClock());
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final IngestMetrics metrics = new IngestMetrics();
    private final ManualTicker ticker = new ManualTicker();
    private final List<SendFailedException> failures = new ArrayList<>();
    private final RecordSender sender = new RecordSender(producer, "users",
            new DeadLetter("users.dlq", "meters_test", "rest_poll http://127.0.0.1:1/api"),
            new Throttle(1_000_000, 1 << 30, ticker), new PositionTracker(), metrics, "after 3 retries", failures::add, ticker);

    @Test
    void sentAckedErrorsAndTheTimeToAcknowledgementAreMeters() throws InterruptedException {
        new ProducerMeters(metrics).bindTo(registry);

        sender.send(record(1));
        sender.send(record(2));
        sender.send(SourceRecord.rejected("not json".getBytes(StandardCharsets.UTF_8), SourcePosition.of("pos-3"),
                "not_json", "body is not JSON"));
        sender.send(record(4));
        ticker.advance(Duration.ofMillis(40));
        producer.completeNext();
        ticker.advance(Duration.ofMillis(60));
        producer.completeNext();
        producer.completeNext();
        producer.errorNext(new TimeoutException("broker gone"));

        assertThat(registry.get("sluice.producer.sent").functionCounter().count()).as("records handed to the producer").isEqualTo(4);
        assertThat(registry.get("sluice.producer.acked").functionCounter().count()).as("records Kafka acknowledged").isEqualTo(2);
        assertThat(registry.get("sluice.producer.dead.lettered").functionCounter().count())
                .as("unreadable payloads acknowledged on the dead-letter topic").isEqualTo(1);
        assertThat(registry.get("sluice.producer.errors").functionCounter().count()).as("records Kafka refused").isEqualTo(1);
        Timer latency = registry.get("sluice.producer.latency").timer();
        assertThat(latency.count()).as("acknowledgements timed").isEqualTo(3);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).as("40 ms, then 100 ms twice, from send to acknowledgement")
                .isEqualTo(240);
        assertThat(latency.max(TimeUnit.MILLISECONDS)).as("the slowest acknowledgement").isEqualTo(100);
        MeterAssertions.assertWellNamed(registry, "producer");
    }
}
