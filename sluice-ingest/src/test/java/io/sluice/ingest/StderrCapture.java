package io.sluice.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tees {@code System.err} into memory until closed. slf4j-simple writes to whatever {@code System.err} is at the time,
 * so this is how a test reads the log of a server running in its own JVM (the demo API).
 */
final class StderrCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    StderrCapture() {
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    }

    /** Everything captured so far. */
    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** The first group of every match of {@code pattern} in what was captured so far. */
    List<String> firstGroups(Pattern pattern) {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        Matcher m = pattern.matcher(text);
        List<String> groups = new ArrayList<>();
        while (m.find()) {
            groups.add(m.group(1));
        }
        return groups;
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    /** Server threads log concurrently: both writes happen under the capture's lock. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (copy) {
                console.write(b);
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            synchronized (copy) {
                console.write(buf, off, len);
                copy.write(buf, off, len);
            }
        }
    }
}
