package io.sluice.demoapi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** A minimal Server-Sent Events parser for tests: frames separated by blank lines. */
final class SseReader implements AutoCloseable {

    /** One dispatched frame; {@code comments} holds the {@code :} lines seen before it. */
    record Frame(String id, String event, String data, String retry, List<String> comments) {
    }

    private final Stream<String> lines;
    private final Iterator<String> iterator;

    SseReader(Stream<String> lines) {
        this.lines = lines;
        this.iterator = lines.iterator();
    }

    /** The next frame, or null at end of stream. */
    Frame next() {
        String id = null;
        String event = null;
        String retry = null;
        StringBuilder data = null;
        List<String> comments = new ArrayList<>();
        while (iterator.hasNext()) {
            String line = iterator.next();
            if (line.isEmpty()) {
                if (id != null || event != null || data != null || retry != null || !comments.isEmpty()) {
                    return new Frame(id, event, data == null ? null : data.toString(), retry, comments);
                }
                continue;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).trim());
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "retry" -> retry = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> throw new AssertionError("unexpected SSE field in line: " + line);
            }
        }
        return null;
    }

    /** The next {@code count} frames that carry data, skipping comment-only and retry-only frames. */
    List<Frame> nextEvents(int count) {
        List<Frame> events = new ArrayList<>();
        while (events.size() < count) {
            Frame frame = next();
            if (frame == null) {
                break;
            }
            if (frame.data() != null) {
                events.add(frame);
            }
        }
        return events;
    }

    @Override
    public void close() {
        lines.close();
    }
}
