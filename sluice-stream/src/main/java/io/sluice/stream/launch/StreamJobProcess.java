package io.sluice.stream.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the stream job ({@code io.sluice.stream.StreamJob}) in its own JVM, the way the CLI does. Spark needs its own
 * classpath (Jackson 2.15, Scala, Netty) and JDK 17 flags, so it never shares a JVM with the CLI.
 *
 * <p>This class imports nothing from Spark or Scala: the CLI depends on this module with every transitive dependency
 * excluded. The child's classpath is {@code <sluice.home>/sluice-stream/target/classpath.txt} (written by the build)
 * plus this module's classes.
 *
 * <pre>
 * StreamJobProcess job = new StreamJobProcess(Path.of("pipelines/demo-users.yaml"))
 *         .withDataDir(Path.of(".sluice"))
 *         .withOverride("kafka.bootstrap_servers", "127.0.0.1:19092")
 *         .start();
 * ...
 * job.readProgress();
 * job.stopGracefully(Duration.ofSeconds(60));
 * </pre>
 */
public final class StreamJobProcess {
    public static final String HOME_PROPERTY = "sluice.home";
    public static final String MAIN_CLASS = "io.sluice.stream.StreamJob";
    /**
     * The system property that tells the job where its shaded jar ({@code sluice-stream-*-spark.jar}) is: with a cluster
     * {@code stream.master} the executors load the job from it ({@code spark.jars}), as under spark-submit.
     */
    public static final String JOB_JAR_PROPERTY = "sluice.stream.jobJar";
    /** Extra JVM options for every stream job this class starts, whitespace-separated. */
    public static final String JAVA_OPTS_ENV = "SLUICE_STREAM_JAVA_OPTS";

    /** Spark 3.5's JDK 17 module openings (from Spark's launcher), plus the reflection switch Spark needs. */
    /**
     * The engine's JIT stops at C1 (full optimisation, no profiling, no C2). A Spark driver runs a vast amount of code a
     * few times per micro-batch (planning, scheduling, logs), which kept C2 (and C1's profiling tier before it) busy for
     * the whole run: 35-45 % of the engine's CPU. Since a record is read once in plain Java and Spark's generated code
     * (RecordJson, NameUuid, the folded projections), C2's faster code no longer repays its compiles: two runs each of
     * {@code EngineProbe}, C1 only against C2 at 10x HotSpot's thresholds (the setting before), 45 and 50 against 69 and
     * 81 us of engine CPU per row over a 200,000-record drain, 32 and 38 against 35 and 39 us warm, and 173 against 294
     * ms per 1,000-record batch (bench-results/changes.md, round 14). Round 8 had measured the opposite, on the code
     * before: C2's inlining paid off for from_json's generic converters. Taken in round 15, once the neighbour yield
     * no longer learned its quiet levels from a drain already at full speed (it had failed beside this faster engine
     * in two bench runs of three).
     */
    public static final List<String> ENGINE_JIT_FLAGS = List.of("-XX:TieredStopAtLevel=1");

    /**
     * The throughput collector instead of G1: an engine JVM's heap is mostly short-lived rows and requests, and G1's
     * concurrent work and write barriers cost more than the few short pauses of Parallel. {@code EngineProbe}, a
     * 200,000-record drain, two runs each: 7.2 and 7.0 s of engine CPU against 7.6 and 8.2 s, the collector 0.18 s
     * against 0.46-0.63 s (bench-results/changes.md, round 16). Left out when the user's options name a collector.
     */
    public static final List<String> ENGINE_GC_FLAGS = List.of("-XX:+UseParallelGC");

    public static final List<String> SPARK_JDK17_FLAGS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false");

    /** Every option of an engine JVM Sluice starts: the driver here, and the executors on a cluster. */
    public static final List<String> ENGINE_JVM_FLAGS =
            Stream.of(SPARK_JDK17_FLAGS, ENGINE_JIT_FLAGS, ENGINE_GC_FLAGS).flatMap(List::stream).toList();
    /** A JVM refuses to start with two collectors, so a user's own choice replaces {@link #ENGINE_GC_FLAGS}. */
    private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w*GC");

    private final Path pipelineFile;
    private Path home;
    private Path dataDir = Path.of(".sluice");
    private String name;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private boolean availableNow;
    private String maxHeap = "1g";
    private Path progressFile;
    private Path logFile;
    private final List<String> jvmOptions = new ArrayList<>();

    private Process process;
    private OutputStream parentPipe;

    public StreamJobProcess(Path pipelineFile) {
        this.pipelineFile = pipelineFile.toAbsolutePath();
    }

    /** Repository root holding {@code sluice-stream/target}; default: system property {@value #HOME_PROPERTY}. */
    public StreamJobProcess withHome(Path home) {
        this.home = home;
        return this;
    }

    public StreamJobProcess withDataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    /** Names the log and progress files; default: the pipeline file's name without extension. */
    public StreamJobProcess withName(String name) {
        this.name = name;
        return this;
    }

    /** A pipeline key set on the command line ({@code --set key=value}), winning over the file. */
    public StreamJobProcess withOverride(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /** Drain what Kafka holds now, in capped batches, then exit 0. */
    public StreamJobProcess withAvailableNow(boolean availableNow) {
        this.availableNow = availableNow;
        return this;
    }

    public StreamJobProcess withMaxHeap(String maxHeap) {
        this.maxHeap = maxHeap;
        return this;
    }

    /**
     * An extra option for the child JVM, e.g. {@code -XX:StartFlightRecording=...} to profile the job. Options in the
     * environment variable {@value #JAVA_OPTS_ENV} (split on whitespace) are added as well, so a profile can be taken
     * of a job the CLI or the bench starts without changing code.
     */
    public StreamJobProcess withJvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public StreamJobProcess withProgressFile(Path progressFile) {
        this.progressFile = progressFile;
        return this;
    }

    public StreamJobProcess withLogFile(Path logFile) {
        this.logFile = logFile;
        return this;
    }

    /** Default {@code <dataDir>/logs/stream-<name>.log}. */
    public Path logFile() {
        return logFile != null ? logFile : dataDir.resolve("logs").resolve("stream-" + name() + ".log").toAbsolutePath();
    }

    /** Default {@code <dataDir>/progress/stream-<name>.jsonl}; see {@link StreamProgress} for the format. */
    public Path progressFile() {
        return progressFile != null ? progressFile
                : dataDir.resolve("progress").resolve("stream-" + name() + ".jsonl").toAbsolutePath();
    }

    /** Where secret {@code --set} values wait for the child, readable by this user only, deleted when it exits. */
    Path secretOverridesFile() {
        return dataDir.resolve("run").resolve("stream-" + name() + ".overrides").toAbsolutePath();
    }

    /** The full command line the child runs. */
    public List<String> command() {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin.toString());
        cmd.add("-Xmx" + maxHeap);
        List<String> userOptions = new ArrayList<>();
        String envOptions = System.getenv(JAVA_OPTS_ENV);
        if (envOptions != null && !envOptions.isBlank()) {
            userOptions.addAll(List.of(envOptions.strip().split("\\s+")));
        }
        userOptions.addAll(jvmOptions);
        boolean ownCollector = userOptions.stream().anyMatch(option -> COLLECTOR.matcher(option).matches());
        ENGINE_JVM_FLAGS.stream().filter(flag -> !(ownCollector && ENGINE_GC_FLAGS.contains(flag))).forEach(cmd::add);
        cmd.add("-Dsluice.watchParent=true");
        cmd.addAll(userOptions);
        jobJar().ifPresent(jar -> cmd.add("-D" + JOB_JAR_PROPERTY + "=" + jar));
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(MAIN_CLASS);
        cmd.add("--pipeline");
        cmd.add(pipelineFile.toString());
        cmd.add("--data-dir");
        cmd.add(dataDir.toAbsolutePath().toString());
        cmd.add("--progress-file");
        cmd.add(progressFile().toString());
        overrides.forEach((k, v) -> {
            if (!SecretOverrides.isSecret(k)) {
                cmd.add("--set");
                cmd.add(k + "=" + v);
            }
        });
        if (overrides.keySet().stream().anyMatch(SecretOverrides::isSecret)) {
            // A secret on the command line is visible to every user through ps; a 0600 file is not.
            cmd.add("--overrides-file");
            cmd.add(secretOverridesFile().toString());
        }
        if (availableNow) {
            cmd.add("--available-now");
        }
        return cmd;
    }

    /**
     * Starts the child JVM. The progress file of an earlier run is removed first so that {@link #readProgress()}
     * only ever describes this run; the log file is appended to.
     */
    public synchronized StreamJobProcess start() {
        if (process != null) {
            throw new IllegalStateException("stream job already started (pid " + process.pid() + ")");
        }
        List<String> cmd = command();
        try {
            Files.createDirectories(logFile().getParent());
            Files.createDirectories(progressFile().getParent());
            Files.deleteIfExists(progressFile());
            SecretOverrides.write(secretOverridesFile(), overrides);
            ProcessBuilder builder = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE); // our end of this pipe is the stop signal
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            process = builder.start();
            process.onExit().thenRun(() -> SecretOverrides.delete(secretOverridesFile()));
            parentPipe = process.getOutputStream();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the stream job (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
    }

    public long pid() {
        return requireStarted().pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * The exit code once the job has ended: 0 done, 1 failed, 2 bad pipeline file or checkpoint, 3 halted by the
     * data-quality threshold (see the log, or the progress file's last line, for the reason).
     */
    public OptionalInt exitCode() {
        return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Waits up to {@code timeout} for the job to end by itself; the exit code if it did. */
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        return requireStarted().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    /**
     * Closes the job's stdin, which makes it stop between micro-batches and exit 0; after {@code timeout} sends
     * SIGTERM, and 10 s later kills it. Returns the exit code.
     */
    public int stopGracefully(Duration timeout) throws InterruptedException {
        Process p = requireStarted();
        closeParentPipe();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        return p.exitValue();
    }

    /** Every progress line of this run so far (empty before Spark has started). */
    public List<StreamProgress> readProgress() {
        return ProgressFile.read(progressFile());
    }

    /** True once the job wrote its "started" line: Spark is up and the query is running. */
    public boolean hasStarted() {
        return readProgress().stream().anyMatch(p -> StreamProgress.STARTED.equals(p.event()));
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public List<String> logTail(int lines) {
        Path log = logFile();
        if (!Files.exists(log)) {
            return List.of();
        }
        Deque<String> tail = new ArrayDeque<>(lines);
        try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException | UncheckedIOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
        return List.copyOf(tail);
    }

    /** {@code <home>/sluice-stream/target/classpath.txt} plus this module's classes (or jar). */
    String classpath() {
        Path module = resolveHome().resolve("sluice-stream");
        Path classpathFile = module.resolve("target/classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("The stream job is not built: " + classpathFile + " is missing. Build it with "
                    + "`mvn -pl sluice-stream -am package -DskipTests` in " + resolveHome() + ".");
        }
        try {
            String dependencies = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
            return dependencies + java.io.File.pathSeparator + moduleClasses(module);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classpathFile, e);
        }
    }

    /** {@code <home>/sluice-stream/target/sluice-stream-*-spark.jar}, when the build made it. */
    public Optional<Path> jobJar() {
        Path target = resolveHome().resolve("sluice-stream/target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("sluice-stream-") && n.endsWith("-spark.jar");
            }).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path resolveHome() {
        if (home != null) {
            return home.toAbsolutePath();
        }
        String property = System.getProperty(HOME_PROPERTY);
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("System property " + HOME_PROPERTY + " is not set; it must name the Sluice "
                    + "repository root (the folder holding sluice-stream/), or call withHome(path).");
        }
        return Path.of(property).toAbsolutePath();
    }

    private static String moduleClasses(Path module) throws IOException {
        Path classes = module.resolve("target/classes");
        if (Files.isDirectory(classes.resolve("io/sluice/stream"))) {
            return classes.toString();
        }
        try (Stream<Path> jars = Files.list(module.resolve("target"))) {
            Optional<Path> jar = jars.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("sluice-stream-") && n.endsWith(".jar") && !n.endsWith("-spark.jar")
                        && !n.endsWith("-sources.jar") && !n.endsWith("-tests.jar");
            }).findFirst();
            return jar.orElseThrow(() -> new IllegalStateException("The stream job is not built: neither "
                    + classes + " nor a sluice-stream jar in " + module.resolve("target"))).toString();
        }
    }

    private String name() {
        if (name != null) {
            return name;
        }
        String file = pipelineFile.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private void closeParentPipe() {
        try {
            parentPipe.close();
        } catch (IOException ignored) {
            // Already closed: the child sees EOF either way.
        }
    }

    private Process requireStarted() {
        if (process == null) {
            throw new IllegalStateException("stream job not started; call start() first");
        }
        return process;
    }
}
