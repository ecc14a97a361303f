package io.sluice.ingest.source.sse;

/**
 * One dispatched Server-Sent Event.
 *
 * @param type        the {@code event} field, {@code message} when absent
 * @param data        the {@code data} lines joined with {@code \n}; may be empty (a stream block without any {@code data} field is not dispatched)
 * @param lastEventId the stream's last event id at dispatch (the {@code id} of this or an earlier event; empty if none)
 */
public record SseEvent(String type, String data, String lastEventId) {
    @Override
    public String toString() {
        // Not the data: record contents stay out of logs.
        return "SseEvent[type=" + type + ", id=" + lastEventId + ", " + data.length() + " chars]";
    }
}
