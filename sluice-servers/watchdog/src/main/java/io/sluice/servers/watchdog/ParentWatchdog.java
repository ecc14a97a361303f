package io.sluice.servers.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Front door of every server JVM that Sluice launches: {@code ParentWatchdog <real main class> [args...]}.
 *
 * <p>With {@code -Dsluice.watchParent=true} the launcher keeps the write end of this JVM's stdin pipe.
 * When the launcher dies for any reason, even SIGKILL, the kernel closes that pipe and our read sees
 * EOF. We then call {@link System#exit(int)} so that the server's own shutdown hooks (Kafka's controlled
 * shutdown, Cassandra's drain) still run. Polling the parent pid would also work, but a pipe needs no
 * timer and reacts at once.
 *
 * <p>Detached servers ({@code sluice up}) run with the property off and stdin from /dev/null.
 */
public final class ParentWatchdog {

    static final String WATCH_PARENT_PROPERTY = "sluice.watchParent";

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchdog <main class> [args...]");
            System.exit(2);
        }
        if (Boolean.getBoolean(WATCH_PARENT_PROPERTY)) {
            startWatching(System.in);
        }
        runMain(args[0], Arrays.copyOfRange(args, 1, args.length));
    }

    static Thread startWatching(InputStream parentPipe) {
        Thread watcher = new Thread(() -> {
            waitForEof(parentPipe);
            System.err.println("[sluice watchdog] parent process is gone (stdin closed); shutting down");
            System.exit(0);
        }, "sluice-parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }

    /** Returns when the stream ends or breaks; bytes the parent may write are ignored. */
    static void waitForEof(InputStream in) {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // keep draining: only EOF means the parent has gone
            }
        } catch (IOException e) {
            // a broken pipe means the same as EOF: nobody holds the other end any more
        }
    }

    private static void runMain(String mainClassName, String[] mainArgs) throws Throwable {
        Class<?> mainClass = Class.forName(mainClassName, true, ParentWatchdog.class.getClassLoader());
        Method main = mainClass.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) mainArgs);
        } catch (InvocationTargetException e) {
            // rethrow the server's own failure so the JVM reports it exactly as without the watchdog
            throw e.getCause();
        }
    }
}
