package io.sluice.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the Sluice checkout and the server classpaths the Maven build wrote into it.
 *
 * <p>The checkout is taken from the system property {@code sluice.home}, else the environment variable
 * {@code SLUICE_HOME}, else the working directory. From there we walk up to the first directory that holds
 * {@code sluice-servers/}: a test or tool started inside a module still finds the repository root.
 */
public final class SluiceHome {

    public static final String PROPERTY = "sluice.home";
    public static final String ENV = "SLUICE_HOME";

    private final Path root;

    private SluiceHome(Path root) {
        this.root = root;
    }

    /** The checkout found from the system property, environment or working directory. */
    public static SluiceHome detect() {
        String configured = Optional.ofNullable(System.getProperty(PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(ENV)))
                .orElse(System.getProperty("user.dir"));
        return at(Path.of(configured));
    }

    /** The checkout at (or above) the given directory. */
    public static SluiceHome at(Path start) {
        Path absolute = start.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sluice-servers"))) {
                return new SluiceHome(dir);
            }
        }
        // Keep the given path: the error about the missing classpath file will name it.
        return new SluiceHome(absolute);
    }

    public Path root() {
        return root;
    }

    /** {@code <home>/sluice-servers/<module>/target/classpath.txt}. */
    public Path classpathFile(String serverModule) {
        return root.resolve("sluice-servers").resolve(serverModule).resolve("target").resolve("classpath.txt");
    }

    /**
     * The runtime classpath of a server, as written by its Maven module.
     *
     * @param serverModule folder name under {@code sluice-servers/}, e.g. "kafka"
     * @param serverName   display name for the error message
     */
    public String serverClasspath(String serverModule, String serverName) {
        Path file = classpathFile(serverModule);
        if (!Files.isRegularFile(file)) {
            throw new ServerNotBuiltException(serverName, file);
        }
        try {
            String classpath = Files.readString(file).strip();
            List<String> missing = java.util.Arrays.stream(classpath.split(":"))
                    .filter(entry -> !Files.exists(Path.of(entry)))
                    .toList();
            if (classpath.isEmpty() || !missing.isEmpty()) {
                // Usually a cleaned ~/.m2; the fix is the same as for a missing file.
                throw new ServerNotBuiltException(serverName, file);
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }
}
