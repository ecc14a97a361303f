package io.sluice.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the end of a server log, limited to what one start attempt wrote. */
final class LogTail {

    static final int DEFAULT_LINES = 30;
    /** Enough for 30 long lines (Cassandra stack traces); we never read whole multi-GB logs. */
    private static final int MAX_BYTES = 256 * 1024;

    private static final Pattern STACK_FRAME =
            Pattern.compile("\\s+(at \\S+\\(.*\\)|\\.\\.\\. \\d+ (common frames omitted|more))\\s*");

    private static final Pattern PROBLEM = Pattern.compile("\\b(ERROR|FATAL)\\b|Exception");

    private LogTail() {
    }

    /** Current size of the log, to remember where a start attempt begins. */
    static long sizeOf(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The last {@code maxLines} lines written after byte {@code fromOffset}, without blank lines and stack
     * frames; empty if there are none.
     */
    static List<String> read(Path log, long fromOffset, int maxLines) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(fromOffset, file.length() - MAX_BYTES);
            if (start >= file.length()) {
                return List.of();
            }
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
            if (start > fromOffset && !lines.isEmpty()) {
                lines.remove(0); // cut mid-line by the byte limit
            }
            // Stack frames would crowd out the sentences that say what went wrong.
            lines.removeIf(line -> line.isBlank() || STACK_FRAME.matcher(line).matches());
            List<String> tail = lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
            // A server that fails and then shuts down in order logs the cause long before its last lines.
            List<String> earlierProblems = lines.subList(0, lines.size() - tail.size()).stream()
                    .filter(line -> PROBLEM.matcher(line).find()).toList();
            List<String> out = new ArrayList<>(earlierProblems.subList(Math.max(0, earlierProblems.size() - 5),
                    earlierProblems.size()));
            out.addAll(tail);
            return List.copyOf(out);
        } catch (IOException e) {
            return List.of("(could not read " + log + ": " + e.getMessage() + ")");
        }
    }
}
