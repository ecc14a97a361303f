package io.sluice.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * A secret config value (Kafka's {@code ConfigDef.Type.PASSWORD} and its {@code Password} class are the model).
 * {@link #toString()} is {@value #HIDDEN}, so a secret printed by accident — in a log line, an error message, a
 * config dump — shows nothing; only {@link #value()} gives the secret, and only code handing it to a client calls it.
 */
public final class Password implements Serializable {
    public static final String HIDDEN = "[hidden]";
    private static final long serialVersionUID = 1L;

    private final String value;

    public Password(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself: pass it to a client library, never to a log or a message. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Password other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
