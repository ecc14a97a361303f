package io.sluice.stack;

/** How a server JVM is tied to the JVM that launches it. */
public enum LaunchMode {
    /**
     * The server lives only as long as the launcher: its stdin is a pipe the launcher holds, and a watchdog
     * in the server exits when that pipe closes, even if the launcher was killed with SIGKILL.
     * Used by {@code sluice demo} and by tests.
     */
    ATTACHED,
    /**
     * The server keeps running after the launcher exits ({@code sluice up}); stop it later from its pid
     * file ({@code sluice down}). It runs in its own session, so Ctrl-C in the terminal does not reach it.
     */
    DETACHED
}
