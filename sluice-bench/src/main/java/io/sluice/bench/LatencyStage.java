package io.sluice.bench;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.bench.BenchResults.Latency;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Stage 5, latency: Sluice's stream job with a processing-time trigger, fed at half the rate it drained the backlog.
 * Each record carries its produce time (in {@code registered.date}, which lands in the {@code registered_date}
 * column); event-to-row latency is the row's {@code writetime()} minus that stamp. A warm-up at the same rate runs
 * first and is not counted ({@link #warmUp}), so Spark's code generation and the JIT are not mistaken for latency.
 */
final class LatencyStage {
    static final String TOPIC = "bench_latency";
    static final String TABLE = "latency";

    private final BenchStack stack;
    private final DemoRecords records;
    private final RssMonitor rss;
    private final Console console;

    LatencyStage(BenchStack stack, DemoRecords records, RssMonitor rss, Console console) {
        this.stack = stack;
        this.records = records;
        this.rss = rss;
        this.console = console;
    }

    Latency run(SluiceJobFactory jobs, int partitions, double rate, Duration duration, Duration trigger,
                Map<String, String> producerSettings, Duration timeout) {
        stack.createTopic(TOPIC, partitions);
        Map<String, String> settings = jobs.settings(trigger);
        try (SparkJob job = jobs.start("bench_latency", TOPIC, TABLE, settings);
             PacedProducer producer = new PacedProducer(stack, records, TOPIC, producerSettings, 0)) {
            rss.track("Spark JVM: latency run", job.pid());
            job.awaitStarted(timeout);
            Duration warmUpTime = warmUp(duration);
            long warmUp = producer.produce(rate, warmUpTime);
            job.awaitConsumed(TOPIC, warmUp, timeout);
            settings.put("warm-up", warmUpTime.toMillis() / 1000.0 + " s at the same rate (" + warmUp
                    + " records), not counted");
            console.step("latency: warmed up with %d records in %.1f s; producing %.0f records/s for %d s", warmUp,
                    warmUpTime.toMillis() / 1000.0, rate, duration.toSeconds());
            Instant measureFrom = Instant.now();
            long start = System.nanoTime();
            long measured = producer.produce(rate, duration);
            double actualRate = measured / ((System.nanoTime() - start) / 1e9);
            job.awaitConsumed(TOPIC, warmUp + measured, timeout);
            rss.sampleNow();
            job.stop(Duration.ofSeconds(60));
            long[] latencyMicros = new long[(int) measured];
            int n = readLatencies(measureFrom, latencyMicros);
            Percentiles p = new Percentiles(latencyMicros, n);
            long inTable = RowCounter.count(stack.session(), TABLE);
            settings.put("producer", producerSettings.toString());
            return new Latency(rate, actualRate, measured, inTable - warmUp, trigger.toMillis() / 1000.0,
                    p.at(50) / 1000.0, p.at(99) / 1000.0, p.max() / 1000.0, settings);
        }
    }

    /**
     * A quarter of the measured time, at most 15 s, at the measured rate: a fresh Spark JVM spends its first seconds
     * compiling (the JIT's threads took about half of its CPU in a 30 s drain), and its first micro-batches run
     * 2-3 times slower than later ones. Counting them would measure the JIT, not the pipeline's steady latency.
     */
    static Duration warmUp(Duration measured) {
        Duration quarter = measured.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(15)) > 0 ? Duration.ofSeconds(15) : quarter;
    }

    /** Latency of every row stamped after {@code from}, in microseconds (writetime is in microseconds). */
    private int readLatencies(Instant from, long[] out) {
        SimpleStatement select = SimpleStatement.newInstance("SELECT registered_date, writetime(registered_date) FROM "
                + BenchStack.KEYSPACE + "." + TABLE).setPageSize(5000).setTimeout(Duration.ofSeconds(60));
        long fromMicros = from.toEpochMilli() * 1000;
        int n = 0;
        for (Row row : stack.session().execute(select)) {
            Instant event = DemoRecords.parseEventTime(row.getString(0));
            long eventMicros = event.getEpochSecond() * 1_000_000 + event.getNano() / 1000;
            if (eventMicros >= fromMicros && n < out.length) {
                out[n++] = Math.max(0, row.getLong(1) - eventMicros);
            }
        }
        return n;
    }
}
