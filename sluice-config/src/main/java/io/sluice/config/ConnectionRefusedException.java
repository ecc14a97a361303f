package io.sluice.config;

/**
 * A server refused Sluice's credentials or Sluice refused the server's certificate. Retrying cannot help: a key of
 * the pipeline file must change, and the message (one sentence) names the server, the user and that key. Each kind
 * has its own exit code, documented in the README ("Exit codes").
 */
public class ConnectionRefusedException extends SluiceException {
    public enum Kind {
        /** Wrong user name or password. */
        AUTHENTICATION(4),
        /** The server's certificate is not signed by a trusted CA, or does not match its address. */
        UNTRUSTED_CERTIFICATE(5);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public ConnectionRefusedException(Kind kind, String sentence, Throwable cause) {
        super(sentence, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind.exitCode();
    }

    /** The first one in {@code error}'s cause chain, or null. */
    public static ConnectionRefusedException findIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionRefusedException refused) {
                return refused;
            }
        }
        return null;
    }
}
