package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.sluice.config.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongConsumer;

/**
 * Counts the rows of a benchmark table one token slice at a time, so no single read has to scan the whole table: a
 * {@code SELECT count(*)} over 500,000 rows failed on a loaded machine ("Cassandra failure during read query"), and
 * that turned a finished drain into "not measured". Each slice is retried after a growing pause; a slice that still
 * fails is halved, so each retry asks Cassandra for less work. Only when a slice of the deepest level keeps failing
 * does the count fail.
 *
 * <p>The pause is the project's one {@link Backoff}: it doubles from {@link #FIRST_PAUSE} up to {@link #LONGEST_PAUSE},
 * with jitter, so a count that races a compaction does not retry in lockstep with it.
 */
final class RowCounter {
    /** Counts the rows whose key's token is in a slice; throws when the read fails. */
    interface SliceCount {
        long rows(TokenRange slice);
    }

    static final int SLICES = 64;
    static final int ATTEMPTS_PER_SLICE = 3;
    static final int MOST_HALVINGS = 6;
    static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(8);

    private final SliceCount count;
    private final LongConsumer pauseMillis;
    private final Backoff pauses;
    private int retries;

    RowCounter(SliceCount count, LongConsumer pauseMillis) {
        this(count, pauseMillis, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitter values in {@code [0, 1)} for the {@link Backoff}'s jitter */
    RowCounter(SliceCount count, LongConsumer pauseMillis, java.util.function.DoubleSupplier jitter) {
        this.count = count;
        this.pauseMillis = pauseMillis;
        this.pauses = new Backoff(FIRST_PAUSE, LONGEST_PAUSE, jitter);
    }

    /** Rows in {@code keyspace.table}, whose partition key is {@code id}. */
    static long count(CqlSession session, String table) {
        PreparedStatement first = session.prepare("SELECT count(*) FROM " + BenchStack.KEYSPACE + "." + table
                + " WHERE token(id) >= ? AND token(id) <= ?");
        PreparedStatement next = session.prepare("SELECT count(*) FROM " + BenchStack.KEYSPACE + "." + table
                + " WHERE token(id) > ? AND token(id) <= ?");
        return new RowCounter(slice -> session.execute((slice.includesStart() ? first : next)
                        .bind(slice.start(), slice.end()).setTimeout(Duration.ofSeconds(30))).one().getLong(0),
                Sleep::millis).total();
    }

    /** The rows of every slice of the ring, summed. */
    long total() {
        Deque<TokenRange> todo = new ArrayDeque<>(TokenRange.ring(SLICES));
        long rows = 0;
        while (!todo.isEmpty()) {
            TokenRange slice = todo.removeFirst();
            RuntimeException failure = null;
            for (int attempt = 1; attempt <= ATTEMPTS_PER_SLICE; attempt++) {
                try {
                    rows += count.rows(slice);
                    failure = null;
                    break;
                } catch (RuntimeException e) {
                    failure = e;
                    if (attempt < ATTEMPTS_PER_SLICE) {
                        retries++;
                        pauseMillis.accept(pauses.delayForAttempt(attempt).toMillis());
                    }
                }
            }
            if (failure != null) {
                if (slice.depth() >= MOST_HALVINGS || !slice.splittable()) {
                    throw new BenchException("cannot count the rows of token slice (" + slice.start() + ", "
                            + slice.end() + "] after " + ATTEMPTS_PER_SLICE + " attempts and " + slice.depth()
                            + " halvings: " + failure.getMessage(), failure);
                }
                retries++;
                java.util.List<TokenRange> halves = slice.halves();
                todo.addFirst(halves.get(1));
                todo.addFirst(halves.get(0));
            }
        }
        return rows;
    }

    /** Failed reads that were tried again, or halved; for the console. */
    int retries() {
        return retries;
    }


}
