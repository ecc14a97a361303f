package io.sluice.config;

import java.util.List;

/**
 * Rules that tie the push-source keys together: where a resume position comes from, what a first connect sends, and
 * which keys belong to which source type. A resume without a position source is refused: it used to count frames
 * silently, and a feed that interleaves heartbeats then resumes too far.
 */
final class PushSourceKeyRules {
    private PushSourceKeyRules() {
    }

    static void check(PipelineConfig config, List<ConfigProblem> problems) {
        String type = config.sourceType();
        boolean websocket = type.equals("websocket");
        boolean grpc = type.equals("grpc");
        boolean push = websocket || grpc || type.equals("sse");
        checkResume(config, websocket || grpc, problems);
        if (!websocket && !grpc) {
            onlyFor("websocket or grpc", type, "source.position_path", config.sourcePositionPath(), problems);
            onlyFor("websocket or grpc", type, "source.initial_position", config.sourceInitialPosition(), problems);
        }
        GrpcKeyRules.check(config, grpc, problems);
        if (!type.equals("sse") && !config.sourceEventTypes().isEmpty()) {
            onlyFor("sse", type, "source.event_types", String.join(", ", config.sourceEventTypes()), problems);
        }
        if (!push) {
            onlyFor("sse, websocket or grpc", type, "source.idle_timeout",
                    config.sourceIdleTimeout() == null ? null : Durations.format(config.sourceIdleTimeout()), problems);
            onlyFor("sse, websocket or grpc", type, "source.control_path", config.sourceControlPath(), problems);
        }
        boolean hasValues = !config.sourceControlValues().isEmpty();
        if ((config.sourceControlPath() == null) == hasValues) {
            String missing = hasValues ? "source.control_path" : "source.control_values";
            String present = hasValues ? "source.control_values" : "source.control_path";
            problems.add(new ConfigProblem(missing, null, "is required when `" + present + "` is set: a control message "
                    + "is recognised by the value (`source.control_values`) at a path (`source.control_path`)"));
        }
    }

    private static void checkResume(PipelineConfig config, boolean readsPositions, List<ConfigProblem> problems) {
        if (!readsPositions) {
            return; // SSE resumes with the event id; the other types have their own positions
        }
        boolean grpc = config.sourceType().equals("grpc");
        String template = grpc ? "source.grpc.request" : "source.subscribe_message";
        boolean placeholder = config.resumeTemplateHasPosition();
        boolean resumes = config.sourceResumeParam() != null || placeholder;
        if (resumes && config.sourcePositionPath() == null) {
            String via = config.sourceResumeParam() != null ? "`source.resume_param` (" + config.sourceResumeParam() + ")"
                    : "`" + template + "` (its " + PipelineConfig.POSITION_PLACEHOLDER + ")";
            problems.add(new ConfigProblem("source.position_path", null, "is required when " + via + " resumes the "
                    + "feed: name the field that holds each message's own position (e.g. seq or data.id), or set "
                    + PipelineConfig.FRAME_INDEX + " to count messages if the feed sends nothing but records"));
        }
        if (placeholder && config.sourceInitialPosition() == null) {
            problems.add(new ConfigProblem("source.initial_position", null, "is required when `" + template + "` "
                    + "uses " + PipelineConfig.POSITION_PLACEHOLDER + ": say what a first connect, with no position yet, "
                    + "sends there (e.g. 0, or null for the feed's default)"));
        }
        if (!resumes && config.sourceInitialPosition() != null) {
            problems.add(new ConfigProblem("source.initial_position", config.sourceInitialPosition(), "has no effect "
                    + "without `source.resume_param` or " + PipelineConfig.POSITION_PLACEHOLDER
                    + " in `" + template + "`; set one of them or remove it"));
        }
    }

    private static void onlyFor(String types, String type, String key, String value, List<ConfigProblem> problems) {
        if (value != null) {
            problems.add(new ConfigProblem(key, value, "applies only to `source.type` " + types + ", not " + type));
        }
    }
}
