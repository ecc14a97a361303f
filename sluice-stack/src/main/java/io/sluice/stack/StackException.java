package io.sluice.stack;

/**
 * Base of every problem the local stack reports. Messages are plain sentences meant for the person at
 * the terminal: what went wrong, and what to do about it.
 */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
