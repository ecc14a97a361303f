package io.sluice.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/**
 * The cron dialect of {@code source.schedule}: six fields with seconds first, as in Spring
 * ({@code *}{@code /5 * * * * *} = every 5 seconds), or the five classic Unix fields ({@code *}{@code /5 * * * *} = every 5
 * minutes). Parsed by cron-utils; parsing here, at config load, is what turns a typo into a config problem instead of
 * a poller that never fires.
 */
public final class CronSchedules {
    private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronSchedules() {
    }

    /** @throws IllegalArgumentException with a sentence saying what is wrong */
    public static Cron parse(String expression) {
        String trimmed = expression.trim();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        CronParser parser = switch (fields) {
            case 5 -> UNIX;
            case 6 -> WITH_SECONDS;
            default -> throw new IllegalArgumentException("must have 6 fields (second minute hour day-of-month month "
                    + "day-of-week, e.g. */5 * * * * *) or 5 Unix fields (e.g. */5 * * * *); found " + fields);
        };
        try {
            Cron cron = parser.parse(trimmed);
            cron.validate();
            return cron;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid cron expression (" + e.getMessage() + ")", e);
        }
    }

    /** Validator form of {@link #parse}: null when fine, else the problem. */
    public static Validator validator() {
        return v -> {
            try {
                parse(String.valueOf(v));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        };
    }
}
