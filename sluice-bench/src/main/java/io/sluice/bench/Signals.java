package io.sluice.bench;

/** Sends a POSIX signal to a process the bench started (SIGSTOP / SIGCONT to pause and resume a server). */
final class Signals {
    private Signals() {
    }

    static void send(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new BenchException("kill -" + signal + " " + pid + " failed with exit " + kill.exitValue());
            }
        } catch (java.io.IOException e) {
            throw new BenchException("cannot run kill -" + signal + " " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while sending SIG" + signal + " to " + pid);
        }
    }
}
