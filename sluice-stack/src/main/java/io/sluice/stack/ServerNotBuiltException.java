package io.sluice.stack;

import java.nio.file.Path;

/** The server's classpath file is missing: the Maven build that resolves the server jars has not run. */
public class ServerNotBuiltException extends StackException {

    public ServerNotBuiltException(String server, Path classpathFile) {
        super("Cannot launch " + server + ": " + classpathFile + " does not exist. It is written by the Maven build;"
                + " run `mvn -B package -DskipTests` in the Sluice directory first (or `./sluice`, which builds on first use).");
    }
}
