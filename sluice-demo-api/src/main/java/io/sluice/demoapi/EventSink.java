package io.sluice.demoapi;

import java.io.IOException;

/** Where a {@link StreamLoop} writes: one implementation per push transport. */
interface EventSink {

    /** Sends user {@code index}. */
    void send(long index, String userJson) throws IOException;

    /** Keeps an idle connection alive so proxies and clients don't time it out. */
    void heartbeat() throws IOException;

    /** Cuts the connection abruptly, as a failing network would (fault injection). */
    void drop();
}
