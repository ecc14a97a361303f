package io.sluice.demoapi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The threads currently serving a stream. A stream blocks its thread for as long as the client
 * listens, so closing the server must interrupt them; otherwise Jetty would wait for endless
 * streams to finish on their own.
 */
final class ActiveStreams {

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /** Runs {@code stream} on the calling thread while registered for interruption. */
    <T> T run(Supplier<T> stream) {
        Thread self = Thread.currentThread();
        threads.add(self);
        try {
            return stream.get();
        } finally {
            threads.remove(self);
            // Clear an interrupt aimed at the stream so it does not leak into the pooled thread's next task.
            Thread.interrupted();
        }
    }

    int count() {
        return threads.size();
    }

    void interruptAll() {
        threads.forEach(Thread::interrupt);
    }
}
