package io.sluice.stream.adaptive;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * A node simulated on a manual clock, for the controller's tests: it answers a request in {@code base} while at most
 * {@code capacity} are in flight and proportionally slower beyond (requests queue), plus an extra latency that the
 * scenario sets over time (a neighbour, a compaction); while {@code overloaded} holds it refuses requests at once.
 * A writer keeps as many requests in flight as the controller allows. Nothing sleeps: the clock jumps from one
 * answer to the next.
 */
final class SimulatedCassandra {
    private record Request(long start, long end, WriteOutcome outcome) {
    }

    /** The limit at one moment of simulated time. */
    record Sample(long atNanos, int limit, double rowsPerSecond) {
    }

    private final long baseNanos;
    private final int capacity;
    private final PriorityQueue<Request> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a.end, b.end));
    private final List<Sample> samples = new ArrayList<>();
    private LongUnaryOperator extraLatency = t -> 0;
    private LongPredicate overloaded = t -> false;
    private long now;
    private WriteController controller;

    SimulatedCassandra(long baseNanos, int capacity) {
        this.baseNanos = baseNanos;
        this.capacity = capacity;
    }

    long now() {
        return now;
    }

    void attach(WriteController controller) {
        this.controller = controller;
    }

    SimulatedCassandra extraLatency(LongUnaryOperator byTime) {
        this.extraLatency = byTime;
        return this;
    }

    SimulatedCassandra overloadedWhen(LongPredicate byTime) {
        this.overloaded = byTime;
        return this;
    }

    /** Writes until the clock passes {@code endNanos}. */
    void runUntil(long endNanos) {
        fill();
        while (now < endNanos) {
            Request done = inFlight.poll();
            now = done.end;
            controller.onWrite(done.start, done.end - done.start, inFlight.size() + 1, 1, done.outcome);
            samples.add(new Sample(now, controller.limit(), controller.rowsPerSecond()));
            fill();
        }
    }

    private void fill() {
        while (inFlight.size() < controller.limit()) {
            int load = inFlight.size() + 1;
            if (overloaded.test(now)) {
                inFlight.add(new Request(now, now + 1_000_000, WriteOutcome.OVERLOADED));
            } else {
                long latency = baseNanos * Math.max(capacity, load) / capacity + extraLatency.applyAsLong(now);
                inFlight.add(new Request(now, now + latency, WriteOutcome.OK));
            }
        }
    }

    List<Sample> between(long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.atNanos() >= fromNanos && s.atNanos() < toNanos).toList();
    }

    int maxLimit(long fromNanos, long toNanos) {
        return between(fromNanos, toNanos).stream().mapToInt(Sample::limit).max().orElseThrow();
    }

    int minLimit(long fromNanos, long toNanos) {
        return between(fromNanos, toNanos).stream().mapToInt(Sample::limit).min().orElseThrow();
    }

    double meanLimit(long fromNanos, long toNanos) {
        return between(fromNanos, toNanos).stream().mapToInt(Sample::limit).average().orElseThrow();
    }

    List<Sample> all() {
        return samples;
    }
}
