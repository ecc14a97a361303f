package io.sluice.demoapi;

import java.io.IOException;
import java.time.Duration;

/**
 * Paces users of one stream into an {@link EventSink}: the n-th event of a connection is due at
 * {@code start + n / rate}, so a slow write does not make the stream fall behind permanently.
 * Transport-agnostic, so SSE and WebSocket share pacing, limits and fault injection.
 */
final class StreamLoop {

    /** How a stream ended, for logs and tests. */
    enum End { COMPLETED, CLIENT_GONE, DROPPED, INTERRUPTED }

    private final StreamRequest request;
    private final UserGenerator generator;
    private final Duration heartbeat;

    StreamLoop(StreamRequest request, Duration heartbeat) {
        this.request = request;
        this.generator = new UserGenerator(request.seed());
        this.heartbeat = heartbeat;
    }

    /** Runs on the calling thread until the stream ends; an interrupt ends it promptly. */
    End run(EventSink sink) {
        long start = System.nanoTime();
        long lastWrite = start;
        try {
            for (long sent = 0; request.wants(sent); sent++) {
                lastWrite = awaitDue(start, sent, lastWrite, sink);
                long index = request.from() + sent;
                switch (request.faults().rollItem()) {
                    case DROP -> {
                        sink.drop();
                        return End.DROPPED;
                    }
                    case SLOW -> Thread.sleep(request.faults().slowMillis());
                    case MALFORMED -> {
                        sink.send(index, malformed(generator.userJson(index)));
                        lastWrite = System.nanoTime();
                        continue;
                    }
                    case NONE -> { }
                }
                sink.send(index, generator.userJson(index));
                lastWrite = System.nanoTime();
            }
            return End.COMPLETED;
        } catch (IOException e) {
            return End.CLIENT_GONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return End.INTERRUPTED;
        }
    }

    /** Sleeps until event {@code sent} is due, sending heartbeats while idle; returns the last write time. */
    private long awaitDue(long start, long sent, long lastWrite, EventSink sink)
            throws IOException, InterruptedException {
        if (request.rate() <= 0) {
            return lastWrite;
        }
        long due = start + (long) (sent * 1e9 / request.rate());
        while (true) {
            long now = System.nanoTime();
            if (now >= due) {
                return lastWrite;
            }
            long heartbeatDue = lastWrite + heartbeat.toNanos();
            if (now >= heartbeatDue) {
                sink.heartbeat();
                lastWrite = now;
                continue;
            }
            long sleepNanos = Math.min(due, heartbeatDue) - now;
            Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
        }
    }

    /** Cuts the JSON in half: a frame that parses as SSE/WebSocket but not as JSON. */
    static String malformed(String json) {
        return json.substring(0, json.length() / 2);
    }
}
