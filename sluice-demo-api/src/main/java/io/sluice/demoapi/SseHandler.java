package io.sluice.demoapi;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /stream/sse}: one Server-Sent Event per user ({@code id: <index>}, {@code event: user},
 * {@code data: <user json>}). Honours {@code Last-Event-ID}, advertises {@code retry:}, and sends
 * {@code : keepalive} comments while idle.
 *
 * <p>Writes the event stream by hand rather than through Javalin's SSE plugin, which has no
 * {@code retry:} field and no way to cut a connection mid-stream for fault injection.
 */
final class SseHandler implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(SseHandler.class);

    private final DemoApiSettings settings;
    private final ActiveStreams active;

    SseHandler(DemoApiSettings settings, ActiveStreams active) {
        this.settings = settings;
        this.active = active;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        String lastEventId = ctx.header("Last-Event-ID");
        StreamRequest request = StreamRequest.parse(ctx::queryParam, lastEventId, settings);
        if (lastEventId != null) {
            LOG.info("SSE client {} resumes with Last-Event-ID {}; streaming seed '{}' from index {}",
                    ctx.ip(), lastEventId, request.seed(), request.from());
        }
        OptionalInt status = request.faults().rollStatus();
        if (status.isPresent()) {
            Responses.fault(ctx, status.getAsInt(), request.faults());
            return;
        }
        if (request.exhausted()) {
            // 204 is how SSE tells a client to stop reconnecting: the sequence is over.
            ctx.status(204);
            return;
        }
        var response = ctx.res();
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        SseSink sink = new SseSink(response.getOutputStream(), ctx.req());
        sink.open(settings.sseRetry().toMillis());
        StreamLoop.End end = active.run(() -> new StreamLoop(request, settings.heartbeat()).run(sink));
        LOG.debug("SSE stream for {} ended: {}", ctx.ip(), end);
    }

    /** Formats SSE frames; flushes after each so events are not held in buffers. */
    private static final class SseSink implements EventSink {
        private final OutputStream out;
        private final HttpServletRequest request;

        SseSink(OutputStream out, HttpServletRequest request) {
            this.out = out;
            this.request = request;
        }

        void open(long retryMillis) throws IOException {
            // A first frame commits the headers at once, so clients see the stream is open.
            write(": sluice demo api (randomuser.me " + UserGenerator.VERSION + " shape)\nretry: " + retryMillis + "\n\n");
        }

        @Override
        public void send(long index, String userJson) throws IOException {
            write("id: " + index + "\nevent: user\ndata: " + userJson + "\n\n");
        }

        @Override
        public void heartbeat() throws IOException {
            write(": keepalive\n\n");
        }

        @Override
        public void drop() {
            Responses.abortConnection(request);
        }

        private void write(String frame) throws IOException {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
