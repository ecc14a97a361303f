package io.sluice.config;

import java.util.List;

/** Rules that tie several {@code source.*} keys together: pagination styles, and what `mqtt` needs. */
final class SourceKeyRules {
    private SourceKeyRules() {
    }

    static void check(PipelineConfig config, List<ConfigProblem> problems) {
        String cursorPath = config.sourcePaginationCursorPath();
        String cursorParam = config.sourcePaginationCursorParam();
        String nextLinkPath = config.sourcePaginationNextLinkPath();
        if ((cursorPath == null) != (cursorParam == null)) {
            String missing = cursorPath == null ? "source.pagination.cursor_path" : "source.pagination.cursor_param";
            String present = cursorPath == null ? "source.pagination.cursor_param" : "source.pagination.cursor_path";
            problems.add(new ConfigProblem(missing, null, "is required when `" + present + "` is set: cursor "
                    + "pagination needs both where to find the cursor and which query parameter sends it back"));
        }
        if (cursorPath != null && nextLinkPath != null) {
            problems.add(new ConfigProblem("source.pagination.next_link_path", nextLinkPath, "must not be set together "
                    + "with `source.pagination.cursor_path`; pick cursor or next-link pagination"));
        }
        boolean rest = config.sourceType().equals("rest_poll");
        if (!rest && config.sourceSchedule() != null) {
            problems.add(new ConfigProblem("source.schedule", config.sourceSchedule(),
                    "applies only to `source.type` rest_poll, not " + config.sourceType()));
        }
        if (!rest && (cursorPath != null || nextLinkPath != null)) {
            problems.add(new ConfigProblem(cursorPath != null ? "source.pagination.cursor_path" : "source.pagination.next_link_path",
                    null, "applies only to `source.type` rest_poll, not " + config.sourceType()));
        }
        if (config.sourceType().equals("mqtt")) {
            if (config.sourceMqttTopic() == null) {
                problems.add(new ConfigProblem("source.mqtt.topic", null, "is required for `source.type` mqtt"));
            }
            if (config.sourceMqttClientId() == null) {
                problems.add(new ConfigProblem("source.mqtt.client_id", null, "is required for `source.type` mqtt: "
                        + "a fixed id is what lets the broker keep the session across restarts"));
            }
        }
    }
}
