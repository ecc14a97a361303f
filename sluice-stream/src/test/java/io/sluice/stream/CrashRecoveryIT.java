package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.stream.launch.StreamJobProcess;
import io.sluice.stream.launch.StreamProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart safety under the worst kind of stop: the stream job's JVM is SIGKILLed at random moments while 100,000
 * records flow, and restarted from the same checkpoint each time. At the end the table must hold exactly the produced
 * records (none missing, none extra) with exactly their contents.
 */
class CrashRecoveryIT {
    private static final int RECORDS = 100_000;
    private static final int PARTITIONS = 3;
    private static final int KILLS = 3;
    private static final String TOPIC = "crash_users";
    private static final String KEYSPACE = "it_crash";

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

    /** The row the table must hold for record i: "id|first_name|email|username", as the job projects it. */
    private static String expectedRow(int i) {
        String key = "crash-" + i;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)) + "|F" + i + "|u" + i + "@example.com|name" + i;
    }

    private static String record(int i) {
        return DemoPipeline.user("crash-" + i).replace("Somchai", "F" + i)
                .replace("somchai@example.com", "u" + i + "@example.com").replace("bluecat42", "name" + i);
    }

    @Test
    void sigkilledThreeTimesWhileRecordsFlowTheTableEndsExactlyRight() throws Exception {
        real.createTopic(TOPIC, PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            records.add(new ProducerRecord<>(TOPIC, i % PARTITIONS, ("crash-" + i).getBytes(StandardCharsets.UTF_8),
                    record(i).getBytes(StandardCharsets.UTF_8)));
        }
        long produceStart = System.nanoTime();
        real.produce(TOPIC, records);
        System.out.printf("[CrashRecoveryIT] produced %d records in %d ms%n", RECORDS, (System.nanoTime() - produceStart) / 1_000_000);

        Path checkpoint = dir.resolve("checkpoints/crash");
        Random random = new Random(20250101);
        List<String> kills = new ArrayList<>();
        for (int k = 1; k <= KILLS; k++) {
            StreamJobProcess job = job("crash_run_" + k, checkpoint);
            job.start();
            try {
                // Wait for the job to be writing, then kill it at a random point of a later batch.
                RealStack.awaitTrue("a batch of run " + k, Duration.ofMinutes(3), job,
                        () -> job.readProgress().stream().anyMatch(StreamProgress::isBatch));
                Thread.sleep(random.nextInt(4_000));
                int batchesDone = (int) job.readProgress().stream().filter(StreamProgress::isBatch).count();
                ProcessHandle.of(job.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no hook, no graceful stop
                job.waitFor(Duration.ofSeconds(30));
                long rows = countRows();
                kills.add("run " + k + ": killed after " + batchesDone + " committed-or-written batches, " + rows + " rows in table");
                System.out.println("[CrashRecoveryIT] " + kills.get(kills.size() - 1));
            } finally {
                if (job.isAlive()) {
                    ProcessHandle.of(job.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        assertThat(countRows()).as("the kills landed while records were still flowing").isLessThan(RECORDS);

        StreamJobProcess last = job("crash_final", checkpoint).withAvailableNow(true);
        long drainStart = System.nanoTime();
        int exit = RealStack.runToEnd(last, Duration.ofMinutes(5));
        List<StreamProgress> batches = last.readProgress().stream().filter(StreamProgress::isBatch).toList();
        System.out.printf("[CrashRecoveryIT] final available-now run: exit %d, %d batches (max %d records each), %d ms%n",
                exit, batches.size(), batches.stream().mapToLong(StreamProgress::numInputRows).max().orElse(0),
                (System.nanoTime() - drainStart) / 1_000_000);
        assertThat(exit).as("the catch-up run drains the backlog and exits 0; log tail:%n%s",
                String.join("\n", last.logTail(40))).isZero();
        assertThat(batches).as("catch-up drains in capped batches").allSatisfy(b ->
                assertThat(b.numInputRows()).isLessThanOrEqualTo(5_000));

        Set<String> expected = new HashSet<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            expected.add(expectedRow(i));
        }
        Set<String> actual = new HashSet<>(RECORDS);
        for (Row r : real.cql.execute(SimpleStatement.newInstance("SELECT id, first_name, email, username FROM " + KEYSPACE
                + ".created_users").setPageSize(5_000))) {
            actual.add(r.getUuid("id") + "|" + r.getString("first_name") + "|" + r.getString("email") + "|" + r.getString("username"));
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        String expectedDigest = digest(expected);
        String actualDigest = digest(actual);
        System.out.printf("[CrashRecoveryIT] table rows %d (expected %d), missing %d, extra %d, digest %s (expected %s)%n",
                actual.size(), RECORDS, missing.size(), extra.size(), actualDigest, expectedDigest);

        assertThat(missing).as("no produced record is missing after %d SIGKILLs", KILLS).isEmpty();
        assertThat(extra).as("no row is extra or has other contents").isEmpty();
        assertThat(actualDigest).as("SHA-256 over every row equals the one computed from the produced records")
                .isEqualTo(expectedDigest);
        assertThat(countRows()).isEqualTo(RECORDS);
    }

    private static StreamJobProcess job(String name, Path checkpoint) {
        return real.job(DemoPipeline.file(), name, dir.resolve("data"))
                .withOverride("kafka.topic", TOPIC)
                .withOverride("sink.keyspace", KEYSPACE)
                .withOverride("stream.checkpoint_dir", checkpoint.toString())
                .withOverride("stream.max_offsets_per_trigger", "5000")
                .withOverride("stream.trigger_interval", "1s")
                .withOverride("stream.partitions", "2")
                .withOverride("sink.concurrent_writes", "32");
    }

    private static long countRows() {
        return real.cql.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + KEYSPACE + ".created_users")
                .setTimeout(Duration.ofSeconds(60))).one().getLong(0);
    }

    private static String digest(Set<String> rows) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String row : new TreeSet<>(rows)) {
            sha.update(row.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
