package io.sluice.bench;

import io.sluice.stream.launch.ProgressFile;
import io.sluice.stream.launch.StreamProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An engine job running in its own JVM that reports one progress line per micro-batch, in the format of
 * {@link StreamProgress}: Sluice's stream job, the tutorial baseline, or the Flink peer ({@link FlinkJob}, whose one
 * batch line covers its whole drain).
 */
interface SparkJob extends AutoCloseable {

    String name();

    long pid();

    boolean isAlive();

    /** When the JVM was launched: the start of the job's wall time. */
    Instant launchedAt();

    List<StreamProgress> progress();

    List<String> logTail(int lines);

    /** Asks the job to stop between micro-batches; kills it if it does not within the timeout. */
    void stop(Duration timeout);

    @Override
    default void close() {
        if (isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }

    /** Records of {@code topic} this job has written (highest end offsets over its batches, summed). */
    default long consumed(String topic) {
        Map<Integer, Long> partitions = ProgressFile.consumedOffsets(progress()).get(topic);
        return partitions == null ? 0 : partitions.values().stream().mapToLong(Long::longValue).sum();
    }

    default void awaitStarted(Duration timeout) {
        await(timeout, "start its streaming query",
                () -> progress().stream().anyMatch(p -> StreamProgress.STARTED.equals(p.event())));
    }

    /** Waits until the job has written everything up to {@code target} records of the topic. */
    default void awaitConsumed(String topic, long target, Duration timeout) {
        awaitConsumed(topic, target, timeout, consumed -> { });
    }

    /**
     * As {@link #awaitConsumed(String, long, Duration)}, telling {@code progress} the records consumed so far. A drain
     * that still moves gets {@code timeout} from its last finished micro-batch, up to three timeouts in all: on a slow
     * day the adaptive drain beside the neighbour had written 99,996 of 100,000 rows when its fixed 360 s ran out, and
     * the whole stage went unmeasured.
     */
    default void awaitConsumed(String topic, long target, Duration timeout, java.util.function.LongConsumer progress) {
        await(timeout, "write " + target + " records of topic " + topic, () -> {
            long consumed = consumed(topic);
            progress.accept(consumed);
            return consumed >= target;
        }, () -> consumed(topic));
    }

    private void await(Duration timeout, String what, java.util.function.BooleanSupplier done) {
        await(timeout, what, done, () -> 0);
    }

    /** Waits for {@code done}; {@code timeout} counts from the last time {@code moved} grew, three timeouts at most. */
    private void await(Duration timeout, String what, java.util.function.BooleanSupplier done,
                       java.util.function.LongSupplier moved) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long lastMark = moved.getAsLong();
        while (!done.getAsBoolean()) {
            long mark = moved.getAsLong();
            if (mark > lastMark) {
                lastMark = mark;
                deadline = Math.min(System.nanoTime() + timeout.toNanos(), started + 3 * timeout.toNanos());
            }
            if (!isAlive()) {
                if (done.getAsBoolean()) {
                    return; // finished its work and exited (available-now) between two checks
                }
                throw new BenchException(name() + " exited before it could " + what + ". Last lines of its log:\n  "
                        + String.join("\n  ", logTail(30)));
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException(name() + " did not " + what + " within "
                        + (System.nanoTime() - started) / 1_000_000_000 + " s (it has written " + progress().stream()
                        .filter(StreamProgress::isBatch).mapToLong(StreamProgress::rowsWritten).sum()
                        + " rows). Last lines of its log:\n  "
                        + String.join("\n  ", logTail(30)));
            }
            Sleep.millis(250);
        }
    }
}
