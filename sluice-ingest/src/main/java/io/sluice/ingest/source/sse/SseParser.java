package io.sluice.ingest.source.sse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental {@code text/event-stream} parser following the WHATWG HTML spec ("Server-sent events", parsing an
 * event stream and interpreting it). Feed it bytes as they arrive, in chunks of any size; it calls the
 * {@link Listener} for every dispatched event and every valid {@code retry}.
 *
 * <p>Lines are split on bytes, not characters: CR and LF never occur inside a multi-byte UTF-8 sequence, so a chunk
 * boundary inside a character is harmless, and only whole lines are decoded (invalid UTF-8 becomes U+FFFD, as the
 * spec asks). A CR that ends one chunk and an LF that starts the next are one line end. Not thread-safe: one parser
 * per connection, fed by one thread.
 */
public final class SseParser {
    /** Longest line accepted; a server that never ends a line would otherwise exhaust memory. */
    public static final int MAX_LINE_BYTES = 8 << 20;

    /** Receives what the stream says. Called on the feeding thread. */
    public interface Listener {
        void onEvent(SseEvent event);

        /** A {@code retry} field with a valid value: the server's reconnection time in milliseconds. */
        void onRetry(long millis);
    }

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private boolean firstLine = true;

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType = "";
    private String lastEventIdBuffer;
    private String lastEventId;

    /** @param lastEventId the id this stream resumes after ({@code Last-Event-ID}); empty for none */
    public SseParser(String lastEventId, Listener listener) {
        this.lastEventId = lastEventId;
        this.lastEventIdBuffer = lastEventId;
        this.listener = listener;
    }

    /** Parses {@code length} bytes of {@code bytes} from {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (!lastWasCr) {
                    endLine();
                }
                lastWasCr = false;
            } else if (b == '\r') {
                endLine();
                lastWasCr = true;
            } else {
                lastWasCr = false;
                append(b);
            }
        }
    }

    /** The last event id string of the stream: what a reconnect sends as {@code Last-Event-ID} (empty = none). */
    public String lastEventId() {
        return lastEventId;
    }

    private void append(byte b) throws IOException {
        if (lineLength == line.length) {
            if (lineLength >= MAX_LINE_BYTES) {
                throw new IOException("event stream line longer than " + MAX_LINE_BYTES + " bytes; giving up on this connection");
            }
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
        }
        line[lineLength++] = b;
    }

    private void endLine() {
        int start = 0;
        if (firstLine) {
            firstLine = false;
            // A UTF-8 byte order mark may open the stream and is not part of the first field.
            if (lineLength >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
                start = 3;
            }
        }
        String text = new String(line, start, lineLength - start, StandardCharsets.UTF_8);
        lineLength = 0;
        if (line.length > 64 * 1024) {
            line = new byte[256]; // do not keep one huge event's buffer for the life of the connection
        }
        processLine(text);
    }

    private void processLine(String text) {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            return; // a comment, typically a keepalive
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            processField(text, "");
            return;
        }
        String value = text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        processField(text.substring(0, colon), value);
    }

    private void processField(String field, String value) {
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventIdBuffer = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    try {
                        listener.onRetry(Long.parseLong(value));
                    } catch (NumberFormatException tooLong) {
                        // more digits than a long holds: not a usable time, ignore like any invalid value
                    }
                }
            }
            default -> {
                // unknown fields are ignored, as the spec says
            }
        }
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer;
        if (!hasData) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1); // the spec drops the one trailing newline
        SseEvent event = new SseEvent(eventType.isEmpty() ? "message" : eventType, data.toString(), lastEventId);
        data.setLength(0);
        hasData = false;
        eventType = "";
        listener.onEvent(event);
    }
}
