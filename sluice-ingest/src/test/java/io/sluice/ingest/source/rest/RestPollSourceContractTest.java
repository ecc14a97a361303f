package io.sluice.ingest.source.rest;

import io.sluice.ingest.source.SourceContractKit;
import io.sluice.ingest.source.SourceRecord;
import io.sluice.ingest.source.SourceTask;
import io.sluice.ingest.source.rest.ScriptedApi.Answer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source contract, kept by {@link RestPollSource} against a cursor-paged API: pages of ten records numbered by
 * the API itself ({@code seq} from 1000), and on the third page one element that is not a record at all.
 */
class RestPollSourceContractTest extends SourceContractKit {
    private static final int PAGE_SIZE = 10;
    private static final int PAGES = 30;
    private static final int FIRST_SEQ = 1000;
    private static final int PAGE_WITH_GARBAGE = 2;
    private static final String GARBAGE = "[\"not\",\"a\",\"record\"]";
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @Override
    protected Feed feed(Shape shape) throws Exception {
        ScriptedApi api = new ScriptedApi(request -> shape == Shape.EMPTY
                ? Answer.json("{\"results\": [], \"next\": null}")
                : Answer.json(page(cursorOf(request.query()))));
        return new Feed() {
            @Override
            public Map<String, String> config() {
                return Map.of("source.type", "rest_poll", "source.url", api.url("/users"), "source.interval", "100ms",
                        "record.key", "id", "source.pagination.cursor_path", "next",
                        "source.pagination.cursor_param", "page", "source.pagination.max_pages", "100");
            }

            @Override
            public byte[] unreadablePayload() {
                return GARBAGE.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void close() {
                api.close();
            }
        };
    }

    @Override
    protected SourceTask newSource() {
        return new RestPollSource();
    }

    @Override
    protected long orderOf(SourceRecord record) {
        Matcher seq = SEQ.matcher(new String(record.value(), StandardCharsets.UTF_8));
        if (!seq.find()) {
            throw new AssertionError("a record of this feed carries its seq");
        }
        return Long.parseLong(seq.group(1));
    }

    private static int cursorOf(String query) {
        Matcher page = Pattern.compile("(?:^|&)page=(\\d+)").matcher(query);
        return page.find() ? Integer.parseInt(page.group(1)) : 0;
    }

    /** Page {@code n}: ten records, then a cursor to page n+1; the last page names none. */
    private static String page(int n) {
        StringBuilder body = new StringBuilder("{\"results\": [");
        if (n == PAGE_WITH_GARBAGE) {
            body.append(GARBAGE).append(',');
        }
        for (int i = 0; i < PAGE_SIZE; i++) {
            int seq = FIRST_SEQ + n * PAGE_SIZE + i;
            body.append(i == 0 ? "" : ",").append("{\"id\":\"user-").append(seq).append("\",\"seq\":").append(seq).append('}');
        }
        return body.append("], \"next\": ").append(n + 1 < PAGES ? "\"" + (n + 1) + "\"" : "null").append('}').toString();
    }
}
