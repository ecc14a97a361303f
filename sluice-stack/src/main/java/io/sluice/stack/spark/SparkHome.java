package io.sluice.stack.spark;

import io.sluice.stack.StackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A {@code $SPARK_HOME} laid out from the jars Maven resolved for {@code sluice-servers/spark}, with no Spark
 * download: {@code jars/} (one symlink per jar), an empty {@code conf/}, and {@code bin/spark-submit}.
 *
 * <p>A worker starts each executor through Spark's launcher ({@code WorkerCommandBuilder}), which builds the
 * executor's classpath from {@code $SPARK_HOME/jars} ("Library directory ... does not exist" otherwise) and needs
 * {@code SPARK_SCALA_VERSION} when it cannot find a source build. {@code bin/spark-submit} does what a distribution's
 * {@code bin/spark-class} does: it asks Spark's launcher ({@code org.apache.spark.launcher.Main}) for the command,
 * JDK 17 module options included, and runs it.
 */
public final class SparkHome {
    /** The Scala binary version of the resolved Spark jars ({@code spark-core_2.13}). */
    public static final String SCALA_VERSION = "2.13";
    private static final String WATCHDOG_JAR = "sluice-server-watchdog-";

    private final Path root;

    public SparkHome(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path jars() {
        return root.resolve("jars");
    }

    public Path sparkSubmit() {
        return root.resolve("bin").resolve("spark-submit");
    }

    /** The environment a Spark JVM started from this home needs, for executors launched by a worker too. */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("SPARK_HOME", root.toString(), "SPARK_SCALA_VERSION", SCALA_VERSION,
                // A worker starts executors with $JAVA_HOME/bin/java when set: pin the JDK 17 this JVM runs on.
                "JAVA_HOME", System.getProperty("java.home"),
                "SPARK_LOCAL_IP", "127.0.0.1");
    }

    /**
     * Creates or refreshes the layout for {@code classpath} (colon-separated jars). Safe to call before every start
     * and from several servers: links are only added or replaced, each atomically enough for a starting JVM.
     */
    public synchronized SparkHome ensure(String classpath) {
        List<Path> jars = Arrays.stream(classpath.split(":"))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .filter(jar -> !jar.getFileName().toString().startsWith(WATCHDOG_JAR)) // ours, not Spark's
                .toList();
        try {
            Files.createDirectories(jars());
            Files.createDirectories(root.resolve("conf"));
            Files.createDirectories(sparkSubmit().getParent());
            Set<String> wanted = jars.stream().map(jar -> jar.getFileName().toString()).collect(Collectors.toSet());
            try (Stream<Path> existing = Files.list(jars())) {
                for (Path link : existing.toList()) {
                    if (!wanted.contains(link.getFileName().toString())) {
                        Files.delete(link); // a jar of an older build
                    }
                }
            }
            for (Path jar : jars) {
                Path link = jars().resolve(jar.getFileName().toString());
                if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(jar)) {
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, jar);
                }
            }
            writeSparkSubmit();
            return this;
        } catch (IOException e) {
            throw new StackException("Could not lay out a Spark home in " + root + ": " + e.getMessage(), e);
        }
    }

    private void writeSparkSubmit() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = """
                #!/usr/bin/env bash
                # Written by Sluice: $SPARK_HOME/bin/spark-submit of a Spark distribution, for the jars Maven resolved.
                # Like Spark's bin/spark-class, it asks Spark's launcher for the java command and runs it.
                export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
                export SPARK_SCALA_VERSION=%s
                export JAVA_HOME="%s"
                export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
                CMD=()
                STARTED=false
                while IFS= read -r -d '' ARG; do
                  if [ "$STARTED" = true ]; then
                    CMD+=("$ARG")
                  else
                    STARTED=true             # the launcher prints a NUL, then the command, NUL-separated
                  fi
                done < <("%s" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \\
                           org.apache.spark.deploy.SparkSubmit "$@")
                if [ ${#CMD[@]} -eq 0 ]; then
                  echo "spark-submit: Spark's launcher printed no command" >&2
                  exit 1
                fi
                CMD[0]="${CMD[0]#$'\\n'}"
                exec "${CMD[@]}"
                """.formatted(SCALA_VERSION, System.getProperty("java.home"), java);
        Files.writeString(sparkSubmit(), script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(sparkSubmit(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
