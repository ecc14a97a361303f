package io.sluice.demoapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/** Small helpers shared by the handlers for error bodies and injected faults. */
final class Responses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    /** An error in randomuser.me's shape: {@code {"error": "..."}}. */
    static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(errorJson(message));
    }

    /** Answers with an injected status fault; 429 and 503 carry Retry-After like real rate limiters. */
    static void fault(Context ctx, int status, FaultSpec faults) {
        if (status == 429 || status == 503) {
            ctx.header("Retry-After", Long.toString(faults.retryAfterSeconds(status)));
        }
        error(ctx, status, "injected fault: HTTP " + status + " (fail=" + faults + ")");
    }

    /**
     * Cuts the TCP connection without a proper end of response, so the client sees a truncated
     * body or stream, as when a network path fails.
     */
    static void abortConnection(HttpServletRequest request) {
        Request.getBaseRequest(request).getHttpChannel().abort(new IOException("injected fault: connection dropped"));
    }

    private static String errorJson(String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", message));
        } catch (IOException e) {
            throw new IllegalStateException("a one-entry map failed to serialise", e);
        }
    }
}
