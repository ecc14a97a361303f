package io.sluice.config;

/** Root of Sluice's error types; callers decide retries and quarantine by subtype, never by message. */
public class SluiceException extends RuntimeException {
    public SluiceException(String message) {
        super(message);
    }

    public SluiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
