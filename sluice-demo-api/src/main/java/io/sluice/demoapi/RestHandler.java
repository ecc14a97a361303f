package io.sluice.demoapi;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/}: randomuser.me's REST endpoint. {@code results} (default 1, at most 5000),
 * {@code seed}, {@code page} and {@code noinfo} behave as on randomuser.me: page p of a seed holds
 * users {@code (p-1)*results .. p*results-1}.
 *
 * <p>Without {@code page} or {@code seed}, randomuser.me returns fresh users on every call. We
 * imitate that deterministically with a server-side cursor per seed: each such call returns the
 * next users of the server's seed, so polling yields new users and a restarted server replays the
 * same ones. A {@code seed} without {@code page} returns page 1, exactly as randomuser.me does.
 * The index of the first returned user is in the {@code X-First-Index} header.
 */
final class RestHandler implements Handler {

    static final String FIRST_INDEX_HEADER = "X-First-Index";

    private final DemoApiSettings settings;
    private final Map<String, AtomicLong> cursors = new ConcurrentHashMap<>();

    RestHandler(DemoApiSettings settings) {
        this.settings = settings;
    }

    @Override
    public void handle(Context ctx) throws InterruptedException {
        StreamRequest.Params params = new StreamRequest.Params(ctx::queryParam);
        long results = Math.min(params.longAtLeast("results", 1, 1), UserGenerator.MAX_RESULTS);
        long page = params.longAtLeast("page", 1, -1);
        String seed = params.text("seed", null);
        long total = params.longAtLeast("total", 0, settings.total());
        FaultSpec faults = params.faults("fail", settings.faults());
        params.throwIfInvalid();

        OptionalInt status = faults.rollStatus();
        if (status.isPresent()) {
            Responses.fault(ctx, status.getAsInt(), faults);
            return;
        }
        boolean cursorMode = page < 0 && seed == null;
        String effectiveSeed = seed == null ? settings.seed() : seed;
        long first = cursorMode ? advance(effectiveSeed, results, total) : (Math.max(page, 1) - 1) * results;
        // With a finite sequence, the last page is short and pages past the end are empty.
        int count = (int) (total < 0 ? results : Math.max(0, Math.min(results, total - first)));

        UserGenerator generator = new UserGenerator(effectiveSeed);
        boolean withInfo = ctx.queryParam("noinfo") == null;
        String body = generator.toJson(generator.response(first, count, first / results + 1, withInfo));
        ctx.header(FIRST_INDEX_HEADER, Long.toString(first));
        switch (faults.rollItem()) {
            case DROP -> {
                Responses.abortConnection(ctx.req());
                return;
            }
            case SLOW -> Thread.sleep(faults.slowMillis());
            case MALFORMED -> body = StreamLoop.malformed(body);
            case NONE -> { }
        }
        ctx.contentType("application/json; charset=utf-8").result(body);
    }

    /** Takes the next {@code results} indexes of the seed's cursor, never moving past {@code total}. */
    private long advance(String seed, long results, long total) {
        AtomicLong cursor = cursors.computeIfAbsent(seed, s -> new AtomicLong());
        return cursor.getAndUpdate(at -> total < 0 ? at + results : Math.min(total, at + results));
    }
}
