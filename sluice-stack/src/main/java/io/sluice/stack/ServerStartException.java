package io.sluice.stack;

import java.nio.file.Path;
import java.util.List;

/** A server was launched but exited, or did not answer a real query in time. Carries its log tail. */
public class ServerStartException extends StackException {

    private final String server;
    private final List<String> logTail;

    public ServerStartException(String server, String what, Path logFile, List<String> logTail) {
        super(server + " failed to start: " + what + "\n" + describeTail(logFile, logTail));
        this.server = server;
        this.logTail = List.copyOf(logTail);
    }

    public String server() {
        return server;
    }

    /** The last lines this start attempt wrote to the server's log. */
    public List<String> logTail() {
        return logTail;
    }

    private static String describeTail(Path logFile, List<String> tail) {
        if (tail.isEmpty()) {
            return "Its log " + logFile + " has nothing from this start attempt.";
        }
        return "Last " + tail.size() + " lines of " + logFile + ":\n    " + String.join("\n    ", tail);
    }
}
