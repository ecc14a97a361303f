package io.sluice.stream;

import io.sluice.config.ConfigException;

/** The checkpoint directory belongs to another pipeline or topic; the message says what changed and what to do. */
public final class CheckpointMismatchException extends ConfigException {
    public CheckpointMismatchException(String message) {
        super(message);
    }
}
