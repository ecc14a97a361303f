package io.sluice.demoapi;

import io.javalin.Javalin;
import java.util.concurrent.ExecutorService;

/** Wires handlers to paths; the only class that knows the URL layout. */
final class Routes {

    private Routes() {
    }

    static Javalin create(DemoApiSettings settings, ActiveStreams activeSseStreams, ExecutorService streamExecutor) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            // "/api" and "/api/" are the same endpoint on randomuser.me.
            config.router.ignoreTrailingSlashes = true;
        });
        RestHandler rest = new RestHandler(settings);
        WebSocketHandler webSocket = new WebSocketHandler(settings, streamExecutor);

        app.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
        app.get("/api", rest);
        app.get("/stream/sse", new SseHandler(settings, activeSseStreams));
        app.wsBeforeUpgrade("/stream/ws", webSocket::beforeUpgrade);
        app.ws("/stream/ws", webSocket::configure);

        app.exception(BadRequestException.class,
                (e, ctx) -> Responses.error(ctx, 400, "bad request: " + e.getMessage()));
        app.exception(InjectedStatusException.class,
                (e, ctx) -> Responses.fault(ctx, e.status(), e.faults()));
        return app;
    }
}
