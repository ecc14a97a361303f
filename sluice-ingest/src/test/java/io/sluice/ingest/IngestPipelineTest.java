package io.sluice.ingest;

import static io.sluice.ingest.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.PipelineConfig;
import io.sluice.ingest.source.SourcePosition;
import io.sluice.ingest.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The framework with a fake source and kafka-clients' MockProducer: threads, positions, failures, metrics. */
class IngestPipelineTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final FakeSource source = new FakeSource();
    private IngestPipeline pipeline;

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.stop();
        }
    }

    private MockProducer<String, byte[]> mockProducer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    private IngestPipeline start(MockProducer<String, byte[]> producer, Map<String, String> overrides) {
        PipelineConfig config = TestConfigs.config(overrides);
        pipeline = IngestPipeline.builder(config).source(source).producer(() -> producer).provisionTopic(false)
                .pollTimeout(Duration.ofMillis(20)).build();
        pipeline.start();
        return pipeline;
    }

    private IngestPipeline start(MockProducer<String, byte[]> producer) {
        return start(producer, Map.of("producer.records_per_second", "1000000"));
    }

    /** Waits for a condition the pipeline's threads will make true; fails with {@code what} if they never do. */
    private static void await(String what, BooleanSupplier condition) throws Exception {
        try {
            CompletableFuture.runAsync(() -> {
                while (!condition.getAsBoolean()) {
                    Thread.onSpinWait();
                }
            }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what);
        }
    }

    private void awaitMorePolls(int count) throws Exception {
        int target = source.polls.get() + count;
        await("the source has been polled " + count + " more times", () -> source.polls.get() >= target);
    }

    @Test
    void positionsAreCommittedOnlyAfterKafkaAcknowledgedEveryRecordUpToThem() throws Exception {
        MockProducer<String, byte[]> producer = mockProducer(false);
        start(producer);

        source.emit(record(1), record(2), record(3));
        await("three records reached the producer", () -> producer.history().size() == 3);
        awaitMorePolls(3); // commits happen between polls: give the loop several chances to commit wrongly

        assertThat(source.commits).as("nothing is committed while Kafka has acknowledged nothing").isEmpty();

        producer.completeNext();
        await("position 1 is committed", () -> source.commits.contains(SourcePosition.of("pos-1")));
        awaitMorePolls(3);
        assertThat(source.commits).as("records 2 and 3 are unacknowledged, so only position 1 is committed")
                .containsExactly(SourcePosition.of("pos-1"));

        producer.completeNext();
        producer.completeNext();
        await("position 3 is committed", () -> source.commits.contains(SourcePosition.of("pos-3")));

        pipeline.stop();
        assertThat(pipeline.state()).isEqualTo(IngestPipeline.State.STOPPED);
        assertThat(source.stopped).isTrue();
        IngestMetrics.Snapshot m = pipeline.metrics();
        assertThat(m.recordsPolled()).isEqualTo(3);
        assertThat(m.recordsSent()).isEqualTo(3);
        assertThat(m.distinctKeysAcked()).isEqualTo(3);
        assertThat(m.lastCommittedPosition()).isEqualTo("pos-3");
    }

    @Test
    void aSendKafkaRefusesStopsThePipelineWithAClearErrorAndKeepsThePositionBeforeIt() throws Exception {
        MockProducer<String, byte[]> producer = mockProducer(false);
        start(producer);

        source.emit(record(1), record(2), record(3));
        await("three records reached the producer", () -> producer.history().size() == 3);
        producer.completeNext();
        producer.errorNext(new TimeoutException("Expiring 1 record(s) for users_created-0: 120000 ms has passed"));

        assertThat(pipeline.awaitTermination(PATIENCE)).as("a failed send stops the pipeline on its own").isTrue();
        assertThat(pipeline.state()).isEqualTo(IngestPipeline.State.FAILED);
        assertThat(pipeline.failure()).get().isInstanceOf(SendFailedException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("users_created", "pos-2", "`producer.retries`", "Expiring 1 record(s)");
        assertThat(source.commits).as("the position never passes the record Kafka refused")
                .doesNotContain(SourcePosition.of("pos-2"), SourcePosition.of("pos-3"));
        assertThat(pipeline.metrics().sendErrors()).isEqualTo(1);
        assertThat(source.stopped).as("the source is stopped too").isTrue();
    }

    @Test
    void stopSendsWhatIsQueuedFlushesAndCountsDistinctKeysExactly() throws Exception {
        MockProducer<String, byte[]> producer = mockProducer(true);
        start(producer);

        SourceRecord again = new SourceRecord("key-2", "{\"n\":2,\"v\":2}".getBytes(StandardCharsets.UTF_8),
                SourcePosition.of("pos-2b"));
        source.emit(record(1), record(2));
        source.emit(again, record(3));
        await("four records were polled", () -> pipeline.metrics().recordsPolled() == 4);
        pipeline.stop();

        IngestMetrics.Snapshot m = pipeline.metrics();
        assertThat(m.recordsSent()).as("stop drains the queue before closing").isEqualTo(4);
        assertThat(m.distinctKeysAcked()).as("key-2 was sent twice but is one natural key").isEqualTo(3);
        assertThat(m.distinctKeysCapReached()).isFalse();
        assertThat(m.droppedTotal()).isZero();
        assertThat(m.queueDepth()).isZero();
        assertThat(source.commits).last().as("the final commit covers the last acknowledged record")
                .isEqualTo(SourcePosition.of("pos-3"));
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void aFullQueueUnderFailStopsThePipelineAndCountsWhatWasLeft() throws Exception {
        MockProducer<String, byte[]> producer = mockProducer(true);
        // At 0.001 records/s the sender sends one record and then waits in the throttle, so the queue fills.
        start(producer, Map.of("producer.records_per_second", "0.001", "producer.queue_capacity", "1",
                "producer.overflow", "fail"));

        source.emit(record(1), record(2), record(3), record(4));

        assertThat(pipeline.awaitTermination(PATIENCE)).isTrue();
        assertThat(pipeline.state()).isEqualTo(IngestPipeline.State.FAILED);
        assertThat(pipeline.failure()).get().isInstanceOf(QueueOverflowException.class);
        IngestMetrics.Snapshot m = pipeline.metrics();
        assertThat(m.recordsSent() + m.droppedTotal()).as("every polled record was either sent or counted as dropped")
                .isEqualTo(m.recordsPolled());
        assertThat(m.dropped().get(DropReason.PIPELINE_FAILED)).as("records that could not be queued are counted").isPositive();
    }

    @Test
    void aSourceThatThrowsStopsThePipelineWithASourceFailure() throws Exception {
        source.failOnPoll = new IllegalStateException("parser bug");
        start(mockProducer(true));

        assertThat(pipeline.awaitTermination(PATIENCE)).isTrue();
        assertThat(pipeline.failure()).get().isInstanceOf(SourceFailedException.class)
                .extracting(Throwable::getMessage).asString().contains("parser bug");
    }

    @Test
    void rejectedPayloadsGoToTheDeadLetterTopicInOrderAndPollErrorsAreCounted() throws Exception {
        MockProducer<String, byte[]> producer = mockProducer(true);
        start(producer);
        await("the source was started", () -> source.context != null);

        byte[] notJson = "status: ok".getBytes(StandardCharsets.UTF_8);
        source.emit(record(1), SourceRecord.rejected(notJson, SourcePosition.of("pos-2"), "ingest:not_json", "message pos-2"),
                record(3));
        source.context.reportPollError("GET http://api answered HTTP 503");
        await("three items reached the producer", () -> producer.history().size() == 3);

        var deadLetter = producer.history().get(1);
        assertThat(deadLetter.topic()).as("the unreadable payload goes to the dead-letter topic, between its neighbours")
                .isEqualTo(pipeline.config().quarantineTopic());
        assertThat(deadLetter.value()).isEqualTo(notJson);
        assertThat(producer.history().get(2).topic()).isEqualTo(pipeline.config().kafkaTopic());
        await("the dead letter was counted", () -> pipeline.metrics().malformed() == 1);
        assertThat(pipeline.metrics().deadLettered()).containsEntry("ingest:not_json", 1L);
        assertThat(pipeline.metrics().pollErrors()).isEqualTo(1);
    }

    @Test
    void stoppingAPipelineThatNeverStartedIsHarmless() {
        pipeline = IngestPipeline.builder(TestConfigs.config()).source(source).producer(() -> mockProducer(true))
                .provisionTopic(false).build();
        pipeline.stop();
        pipeline.stop();

        assertThat(pipeline.state()).isEqualTo(IngestPipeline.State.STOPPED);
        assertThat(source.stopped).as("a source that was never started is not stopped").isFalse();
        assertThatThrownBy(pipeline::start).as("a stopped pipeline does not start again")
                .isInstanceOf(IllegalStateException.class);
    }
}
