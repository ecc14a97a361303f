package io.sluice.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A server's pid file, plus the checks that make it safe to act on: a pid can be reused by an unrelated
 * process after a reboot or crash, so we only trust it if that process's command line is our server's.
 */
final class PidFile {

    private final Path path;

    PidFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    void write(long pid) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write pid file " + path, e);
        }
    }

    /** The pid written in the file, if the file exists and holds a number. */
    Optional<Long> read() {
        try {
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readString(path).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean exists() {
        return Files.exists(path);
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete pid file " + path, e);
        }
    }

    /** The live process named in the file, only if its command line passes {@code isOurs}. */
    Optional<ProcessHandle> liveProcess(Predicate<String> isOurs) {
        return read().flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> commandLineOf(handle).map(isOurs::test).orElse(false));
    }

    /**
     * The full command line. On Linux {@code ProcessHandle.Info.commandLine()} is cut at 4 KB, which a
     * server classpath alone exceeds, so we read /proc directly and fall back to the JDK elsewhere.
     */
    static Optional<String> commandLineOf(ProcessHandle handle) {
        Path procCmdline = Path.of("/proc", String.valueOf(handle.pid()), "cmdline");
        try {
            if (Files.isReadable(procCmdline)) {
                String raw = new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8);
                return raw.isEmpty() ? Optional.empty() : Optional.of(raw.replace('\0', ' ').strip());
            }
        } catch (IOException e) {
            // the process may have just exited; the JDK's answer is as good as any
        }
        return handle.info().commandLine();
    }
}
