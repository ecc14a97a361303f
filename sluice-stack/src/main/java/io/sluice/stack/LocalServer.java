package io.sluice.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real server running as a child JVM under {@code <dataDir>/<module>/}, shaped like a Testcontainers
 * container: configure with {@code withX(..)}, then {@link #start()}, read connection details from typed
 * getters, and {@link #stop()} or {@link #close()}.
 *
 * <p>The server's main class is started through {@code io.sluice.servers.watchdog.ParentWatchdog}, so an
 * {@link LaunchMode#ATTACHED attached} server exits when this JVM dies. Every launch is recorded in a pid
 * file, so another JVM can find, report and stop it later.
 *
 * @param <SELF> the concrete server type, so fluent setters return it
 */
public abstract class LocalServer<SELF extends LocalServer<SELF>> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalServer.class);
    private static final String WATCHDOG_MAIN = "io.sluice.servers.watchdog.ParentWatchdog";
    private static final Pattern HEAP_SIZE = Pattern.compile("\\d+[kKmMgG]");
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    private static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** A port the server binds on an address, and what for (used in "port taken" messages). */
    protected record PortUse(String host, int port, String purpose) {
        /** Public, so that subclasses outside this package (test brokers) can name their ports too. */
        public PortUse {
        }

        /** A port on 127.0.0.1, where every server listens unless told otherwise. */
        public PortUse(int port, String purpose) {
            this(Ports.LOOPBACK, port, purpose);
        }
    }

    private final String name;
    private final String module;
    private final String classpathModule;
    private Path dataDir = LocalStack.DEFAULT_DATA_DIR;
    private String heap = "512m";
    private LaunchMode mode = LaunchMode.ATTACHED;
    private Duration startupTimeout;
    private Duration stopTimeout = Duration.ofSeconds(30);
    private SluiceHome sluiceHome;

    private Process process;
    private long logOffsetAtLaunch;

    protected LocalServer(String name, String module, Duration startupTimeout) {
        this(name, module, module, startupTimeout);
    }

    /**
     * @param module          this server's directory under the data dir, e.g. {@code spark-worker-1}
     * @param classpathModule the folder under {@code sluice-servers/} whose classpath it runs, e.g. {@code spark}:
     *                        several servers (a master and its workers) can run one classpath from their own directories
     */
    protected LocalServer(String name, String module, String classpathModule, Duration startupTimeout) {
        this.name = name;
        this.module = module;
        this.classpathModule = classpathModule;
        this.startupTimeout = startupTimeout;
    }

    // ---- configuration ------------------------------------------------------------------------------

    /** The stack's data dir; this server keeps everything in {@code <dataDir>/<module>/}. */
    public SELF withDataDir(Path dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        return self();
    }

    /** Maximum heap, in the JVM's {@code -Xmx} syntax, e.g. {@code 512m} or {@code 1g}. */
    public SELF withHeap(String heap) {
        if (heap == null || !HEAP_SIZE.matcher(heap).matches()) {
            throw new IllegalArgumentException(name + " heap must look like 512m or 1g, got " + heap);
        }
        this.heap = heap;
        return self();
    }

    public SELF withMode(LaunchMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /** How long to wait for the first successful real query after launch. */
    public SELF withStartupTimeout(Duration timeout) {
        this.startupTimeout = requirePositive(timeout, "startup timeout");
        return self();
    }

    /** How long to wait after SIGTERM before sending SIGKILL. */
    public SELF withStopTimeout(Duration timeout) {
        this.stopTimeout = requirePositive(timeout, "stop timeout");
        return self();
    }

    /** Where to find the server classpaths; by default {@link SluiceHome#detect()}. */
    public SELF withSluiceHome(SluiceHome home) {
        this.sluiceHome = Objects.requireNonNull(home, "home");
        return self();
    }

    // ---- getters ------------------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public LaunchMode mode() {
        return mode;
    }

    public String heap() {
        return heap;
    }

    /** {@code <dataDir>/<module>/}, e.g. {@code kafka-2/} for one node of a cluster: config, data, log and pid file. */
    public Path directory() {
        return dataDir.toAbsolutePath().normalize().resolve(module);
    }

    public Path logFile() {
        return directory().resolve(module + ".log");
    }

    public Path pidFile() {
        return directory().resolve(module + ".pid");
    }

    /** Where clients connect, as {@code host:port}. */
    public abstract String address();

    /** The pid of the running server, from this JVM's launch or from the pid file. */
    public synchronized OptionalLong pid() {
        return runningProcess().map(handle -> OptionalLong.of(handle.pid())).orElse(OptionalLong.empty());
    }

    public boolean isRunning() {
        return runningProcess().isPresent();
    }

    /**
     * The address a running server was actually configured with, read from its config file: another
     * JVM ({@code sluice status}) may not know which ports {@code sluice up} chose.
     */
    protected abstract Optional<String> addressFromConfigFile();

    /** Runs the real readiness query once. */
    public boolean isReady() {
        return probe(MAX_PROBE_TIMEOUT);
    }

    // ---- what each server provides ------------------------------------------------------------------

    protected abstract List<PortUse> ports();

    /** Writes config files and does one-time setup (e.g. storage format) before launch. */
    protected abstract void prepare(String classpath);

    protected abstract String mainClass();

    /** Server-specific JVM options; heap, classpath and the watchdog are added here. */
    protected abstract List<String> jvmOptions();

    protected abstract List<String> mainArgs();

    /** Environment variables the server needs beyond this JVM's own (e.g. Spark's {@code SPARK_HOME}). */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /** One real query against the server; true when it answered. Never throws. */
    protected abstract boolean probe(Duration timeout);

    /** For messages: the query used for readiness and where it is sent. */
    protected abstract String readinessQuery();

    // ---- lifecycle ----------------------------------------------------------------------------------

    /** Launches the server and waits until it answers a real query. */
    public SELF start() {
        checkCanStart();
        launch();
        awaitReady();
        return self();
    }

    /**
     * Refuses to launch when a server from an earlier run still owns this directory or a port is taken.
     * A pid file whose process is gone is removed with a warning.
     */
    public synchronized void checkCanStart() {
        PidFile pids = new PidFile(pidFile());
        Optional<ProcessHandle> earlier = pids.liveProcess(this::isOurCommandLine);
        if (earlier.isPresent()) {
            throw new AlreadyRunningException(name, earlier.get().pid(), pidFile());
        }
        if (pids.exists()) {
            log.warn("Removed stale pid file {} (pid {} is not running {} any more; an earlier run did not stop cleanly).",
                    pidFile(), pids.read().map(String::valueOf).orElse("unreadable"), name);
            pids.delete();
        }
        for (PortUse use : ports()) {
            if (!Ports.isFree(use.host(), use.port())) {
                throw new PortInUseException(name, use.purpose(), use.host(), use.port());
            }
        }
    }

    /** Starts the JVM without waiting for readiness; call {@link #awaitReady()} next. */
    public synchronized void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " was already launched by this launcher (pid " + process.pid() + ")");
        }
        String classpath = home().serverClasspath(classpathModule, name);
        createDirectories(directory());
        prepare(classpath);
        List<String> command = command(writeClasspathArgFile(classpath));
        logOffsetAtLaunch = appendToLog("---- sluice: starting " + name + " (" + mode.name().toLowerCase()
                + ") at " + Instant.now() + "\n");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        builder.environment().putAll(environment());
        if (mode == LaunchMode.DETACHED) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StackException("Could not launch " + name + " with " + command.get(0) + ": " + e.getMessage(), e);
        }
        new PidFile(pidFile()).write(process.pid());
        log.info("Launched {} (pid {}), log: {}", name, process.pid(), logFile());
    }

    /** Waits for the first successful real query; on failure stops the process and quotes its log. */
    public void awaitReady() {
        Process launched;
        synchronized (this) {
            launched = Objects.requireNonNull(process, "launch() first");
        }
        Instant deadline = Instant.now().plus(startupTimeout);
        while (true) {
            if (!launched.isAlive()) {
                new PidFile(pidFile()).delete();
                throw startFailure("the process exited with code " + launched.exitValue() + " before it was ready.");
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative()) {
                stop();
                throw startFailure("it did not answer " + readinessQuery() + " within " + startupTimeout.toSeconds()
                        + " s, so it was stopped.");
            }
            if (probe(min(left, MAX_PROBE_TIMEOUT))) {
                log.info("{} is ready at {}", name, address());
                return;
            }
            sleep(PROBE_INTERVAL);
        }
    }

    /**
     * Stops the server: SIGTERM, then SIGKILL after the stop timeout. Works from the pid file alone, so a
     * new JVM can stop a detached server. Safe to call when nothing runs.
     */
    public synchronized StopOutcome stop() {
        Optional<ProcessHandle> running = runningProcess();
        if (running.isEmpty()) {
            new PidFile(pidFile()).delete();
            return StopOutcome.notRunning(name);
        }
        ProcessHandle handle = running.get();
        log.info("Stopping {} (pid {})", name, handle.pid());
        handle.destroy();
        boolean forced = false;
        if (!waitForExit(handle, stopTimeout)) {
            log.warn("{} (pid {}) did not stop within {} s after SIGTERM; sending SIGKILL", name, handle.pid(),
                    stopTimeout.toSeconds());
            handle.destroyForcibly();
            forced = true;
            if (!waitForExit(handle, Duration.ofSeconds(10))) {
                throw new StackException(name + " (pid " + handle.pid() + ") is still alive after SIGKILL.");
            }
        }
        new PidFile(pidFile()).delete();
        process = null;
        return new StopOutcome(name, OptionalLong.of(handle.pid()), true, forced);
    }

    /**
     * SIGKILL, no grace period: what a crashed machine or the OOM killer does to a server. For fault tests and
     * {@code sluice} cluster drills; {@link #stop()} is the orderly way. Safe to call when nothing runs.
     */
    public synchronized StopOutcome kill() {
        Optional<ProcessHandle> running = runningProcess();
        if (running.isEmpty()) {
            new PidFile(pidFile()).delete();
            return StopOutcome.notRunning(name);
        }
        ProcessHandle handle = running.get();
        log.info("Killing {} (pid {}) with SIGKILL", name, handle.pid());
        handle.destroyForcibly();
        if (!waitForExit(handle, Duration.ofSeconds(10))) {
            throw new StackException(name + " (pid " + handle.pid() + ") is still alive 10 s after SIGKILL.");
        }
        new PidFile(pidFile()).delete();
        process = null;
        return new StopOutcome(name, OptionalLong.of(handle.pid()), true, true);
    }

    /**
     * How long {@code sluice status} waits for each server's real query. Nine nodes are probed at once from a fresh
     * JVM (each Kafka probe starts an admin client): 3 s was too short on a loaded two-core machine.
     */
    private static final Duration STATUS_PROBE_TIMEOUT = Duration.ofSeconds(10);

    public ServerStatus status() {
        Optional<ProcessHandle> running = runningProcess();
        boolean ready = running.isPresent() && probe(STATUS_PROBE_TIMEOUT);
        String where = running.isPresent() ? addressFromConfigFile().orElse(address()) : address();
        return new ServerStatus(name, running.isPresent(),
                running.map(h -> OptionalLong.of(h.pid())).orElse(OptionalLong.empty()), where, ready);
    }

    /**
     * Stops an {@link LaunchMode#ATTACHED attached} server; a detached one is left running on purpose.
     * Safe to call from a shutdown hook and more than once.
     */
    @Override
    public void close() {
        if (mode == LaunchMode.ATTACHED) {
            stop();
        }
    }

    // ---- helpers for subclasses ---------------------------------------------------------------------

    protected SluiceHome home() {
        if (sluiceHome == null) {
            sluiceHome = SluiceHome.detect();
        }
        return sluiceHome;
    }

    /** Java executable of this JVM: the servers are verified on JDK 17 and we run on it too. */
    protected static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    protected long appendToLog(String text) {
        try {
            createDirectories(directory());
            Files.writeString(logFile(), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return LogTail.sizeOf(logFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + logFile(), e);
        }
    }

    protected ServerStartException startFailure(String what) {
        return new ServerStartException(name, what, logFile(), LogTail.read(logFile(), logOffsetAtLaunch, LogTail.DEFAULT_LINES));
    }

    protected static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir, e);
        }
    }

    protected static void writeFile(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** A config file that holds a secret: readable by this user only. */
    protected static void writePrivateFile(Path file, String content) {
        writeFile(file, content);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new StackException("Could not make " + file + " private: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    protected final SELF self() {
        return (SELF) this;
    }

    // ---- internals ----------------------------------------------------------------------------------

    /** The launch command; the classpath comes from a java argument file ({@code @file}). */
    List<String> command(Path classpathArgFile) {
        List<String> command = new ArrayList<>();
        // Own session: Ctrl-C in the terminal must not hit the servers before the launcher decides the
        // order of shutdown, and a detached server must not die with the terminal.
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(javaExecutable());
        command.add("-Xmx" + heap);
        command.addAll(jvmOptions());
        command.add("-Dsluice.watchParent=" + (mode == LaunchMode.ATTACHED));
        // The classpath (~10 KB) lives in an argument file: `ps` stays readable and the main class and
        // directory that identify our process are not buried behind it.
        command.add("@" + classpathArgFile);
        command.add(WATCHDOG_MAIN);
        command.add(mainClass());
        command.addAll(mainArgs());
        return command;
    }

    private Path writeClasspathArgFile(String classpath) {
        Path argFile = directory().resolve("classpath.args");
        writeFile(argFile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n");
        return argFile;
    }

    /**
     * A process is ours if it runs our main class for our directory: a pid alone may have been reused. The separator
     * after the directory keeps {@code .../kafka} from claiming a process of {@code .../kafka-2}.
     */
    boolean isOurCommandLine(String commandLine) {
        return commandLine.contains(mainClass()) && commandLine.contains(directory() + java.io.File.separator);
    }

    private synchronized Optional<ProcessHandle> runningProcess() {
        if (process != null && process.isAlive()) {
            return Optional.of(process.toHandle());
        }
        return new PidFile(pidFile()).liveProcess(this::isOurCommandLine);
    }

    private static boolean waitForExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting for a server to become ready", e);
        }
    }
}
