package io.sluice.cli;

/** What `./sluice` exit codes mean; scripts (cron, Airflow) decide retries from these. */
public final class ExitCodes {
    /** Done as asked. */
    public static final int OK = 0;
    /** The run failed: a server, the stream job or a check did not do what it should. */
    public static final int FAILED = 1;
    /** Wrong usage or an invalid pipeline file: fix the input, retrying will not help. */
    public static final int BAD_INPUT = 2;
    /** The local stack could not start or stop: port taken, stale process, server crashed. */
    public static final int STACK = 3;
    /**
     * Kafka, Cassandra or the source (its API, token endpoint or MQTT broker) refused the credentials, also after one
     * token refresh (see ConnectionRefusedException.Kind).
     */
    public static final int AUTH_FAILED = 4;
    /** A server's TLS certificate is not trusted by the configured truststore, or does not match its address. */
    public static final int TLS_UNTRUSTED = 5;
    /**
     * Stopped by Ctrl-C (SIGINT) after an orderly stop. The JVM sets this code (128 + 2) once the shutdown hooks, which
     * run the stop, have finished; see {@link io.sluice.cli.run.SignalStop}.
     */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (e.g. {@code kill}, systemd, Kubernetes) after an orderly stop: 128 + 15, set by the JVM. */
    public static final int TERMINATED = 143;

    private ExitCodes() {
    }
}
