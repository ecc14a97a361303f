package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.stream.adaptive.AdaptiveSettings;
import io.sluice.stream.adaptive.ControlReason;
import io.sluice.stream.adaptive.NeighbourWatch;
import io.sluice.stream.adaptive.WriteController;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cassandra as the adaptive writer meets it on the real stack. First, the database goes away in the middle of a drain: Cassandra's JVM is stopped with SIGSTOP for 10 s (it neither
 * answers nor closes a connection, as in a long GC pause or a frozen VM) and then resumed. The driver writer with the
 * adaptive controller must ride it out: the writes time out, back off and retry, the micro-batch takes longer, and the
 * one query drains the backlog to the exact row count with no failed batch and no restart.
 */
class CassandraPauseIT {
    private static final int RECORDS = 40_000;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "pause_users";
    private static final String KEYSPACE = "it_pause";
    private static final Duration PAUSE = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static RealStack real;

    @BeforeAll
    static void start() {
        real = new RealStack(dir);
    }

    @AfterAll
    static void stop() {
        if (real != null) {
            real.close();
        }
    }

    @Test
    void aTenSecondSigstopInTheMiddleOfADrainLosesNothingAndFailsNothing() throws Exception {
        real.createTopic(TOPIC, PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            String key = "pause-" + i;
            records.add(new ProducerRecord<>(TOPIC, i % PARTITIONS, key.getBytes(StandardCharsets.UTF_8),
                    DemoPipeline.user(key).getBytes(StandardCharsets.UTF_8)));
        }
        real.produce(TOPIC, records);

        // Paced at 4,000 rows/s the drain takes 10 s or more, so the pause lands in its middle.
        StreamJobProcess job = real.job(DemoPipeline.file(), "pause", dir.resolve("data"))
                .withOverride("kafka.topic", TOPIC)
                .withOverride("sink.keyspace", KEYSPACE)
                .withOverride("stream.checkpoint_dir", dir.resolve("checkpoints/pause").toString())
                .withOverride("stream.max_offsets_per_trigger", "10000")
                .withOverride("stream.partitions", "2")
                .withOverride("sink.writer", "driver")
                .withOverride("sink.adaptive", "true")
                .withOverride("sink.concurrent_writes", "128")
                .withOverride("sink.max_rows_per_second", "4000")
                .withAvailableNow(true);
        long pid = Long.parseLong(Files.readString(dir.resolve("stack/cassandra/cassandra.pid")).strip());
        job.start();
        long pausedAtMs;
        long resumedAtMs;
        try {
            RealStack.awaitTrue("a first written batch", Duration.ofMinutes(3), job,
                    () -> job.readProgress().stream().anyMatch(p -> p.isBatch() && p.rowsWritten() > 0));
            pausedAtMs = System.currentTimeMillis();
            signal("STOP", pid);
            try {
                Thread.sleep(PAUSE.toMillis());
            } finally {
                signal("CONT", pid); // whatever happens, Cassandra runs again
            }
            resumedAtMs = System.currentTimeMillis();
        } catch (Throwable t) {
            job.stopGracefully(Duration.ofSeconds(30));
            throw t;
        }
        var exit = job.waitFor(Duration.ofMinutes(3));
        if (exit.isEmpty()) {
            job.stopGracefully(Duration.ofSeconds(30));
        }
        List<StreamProgress> progress = job.readProgress();
        List<StreamProgress> batches = progress.stream().filter(StreamProgress::isBatch).toList();
        long timeouts = batches.stream().mapToLong(b -> b.write().timeouts()).sum();
        long retries = batches.stream().mapToLong(b -> b.write().retries()).sum();
        StreamProgress longest = batches.stream().max((a, b) -> Long.compare(a.durationMs(), b.durationMs())).orElseThrow();
        System.out.printf("[CassandraPauseIT] paused %d ms after the first batch line; %d batches; longest %d ms"
                        + " (batch %d); %d timeouts, %d retries; controller after the pause: %s%n",
                resumedAtMs - pausedAtMs, batches.size(), longest.durationMs(), longest.batchId(), timeouts, retries,
                longest.write().control());
        batches.forEach(b -> System.out.printf("[CassandraPauseIT]   batch %d: %d rows in %d ms, control %s%n",
                b.batchId(), b.rowsWritten(), b.durationMs(), b.write().control()));

        assertThat(exit).as("the drain ends by itself and exits 0; log tail:%n%s", String.join("\n", job.logTail(60)))
                .hasValue(0);
        assertThat(progress.stream().filter(p -> StreamProgress.STARTED.equals(p.event())).count())
                .as("one query from start to end: no restart").isEqualTo(1);
        assertThat(batches).extracting(StreamProgress::batchId).as("no batch failed and ran again").doesNotHaveDuplicates();
        // Whether the stopped node shows as timeouts depends on how many writes were in flight at the SIGSTOP; what
        // must hold is that a batch was writing through most of the pause and still finished once. (Its sink
        // may start a little after the SIGSTOP: the batch before it had just logged its line.)
        assertThat(batches).as("a batch was writing from the first half of the pause until after the SIGCONT")
                .anySatisfy(b -> {
                    long endMs = b.timestamp().toEpochMilli();
                    assertThat(endMs - b.durationMs()).isLessThanOrEqualTo(pausedAtMs + PAUSE.toMillis() / 2);
                    assertThat(endMs).isGreaterThanOrEqualTo(resumedAtMs);
                });
        assertThat(batches.stream().mapToLong(StreamProgress::rowsWritten).sum()).as("every record written once")
                .isEqualTo(RECORDS);
        assertThat(real.cql.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + KEYSPACE + ".created_users")
                .setTimeout(Duration.ofSeconds(60))).one().getLong(0)).as("the exact row count").isEqualTo(RECORDS);
    }

    /**
     * {@code sink.adaptive.neighbours} reads the real {@code system_views.clients}: requests from Sluice's own
     * sessions (named {@value NeighbourWatch#APPLICATION_NAME}) leave the cluster Sluice's own, the same requests from
     * another client make the controller yield.
     */
    @Test
    void theNeighbourWatchYieldsToAnotherClientButNotToSluicesOwnSessions() throws Exception {
        AdaptiveSettings settings = new AdaptiveSettings(4, 64, 100, 50_000, 0, 3.0, Duration.ofMinutes(1),
                new AdaptiveSettings.Neighbours(true, 2.0, 10));
        WriteController controller = new WriteController(settings, System::nanoTime);
        WriteController secondTable = new WriteController(settings, System::nanoTime);
        try (CqlSession sluice = CqlSession.builder().addContactPoint(real.stack.contactPoint())
                .withLocalDatacenter(real.stack.localDatacenter())
                .withApplicationName(NeighbourWatch.APPLICATION_NAME).build();
             NeighbourWatch watch = NeighbourWatch.of(sluice).feed(controller)) {
            assertThat(NeighbourWatch.of(sluice)).as("one watch per session, whatever the tables it writes").isSameAs(watch);
            watch.feed(secondTable);
            send(sluice, Duration.ofSeconds(4));
            assertThat(controller.state().reason()).as("50 requests/s from Sluice's own session: nobody else is there")
                    .isNotEqualTo(ControlReason.YIELDING);
            assertThat(controller.rowsPerSecond()).isEqualTo(50_000);

            send(real.cql, Duration.ofSeconds(4));
            assertThat(controller.state().reason()).as("the same load from another client").isEqualTo(ControlReason.YIELDING);
            assertThat(secondTable.state().reason()).as("the second controller the watch feeds").isEqualTo(ControlReason.YIELDING);
            assertThat(controller.rowsPerSecond()).as("Sluice wrote nothing meanwhile: the ceiling starts at the minimum")
                    .isEqualTo(100);

            Thread.sleep(3_000);
            assertThat(controller.rowsPerSecond()).as("the other client gone: no ceiling").isEqualTo(50_000);
        }
    }

    /** 50 small reads a second through {@code session} for {@code length}. */
    private static void send(CqlSession session, Duration length) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            session.execute("SELECT release_version FROM system.local");
            Thread.sleep(20);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }
}
