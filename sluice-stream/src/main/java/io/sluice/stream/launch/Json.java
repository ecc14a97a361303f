package io.sluice.stream.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The progress file's and the checkpoint fingerprint's JSON, through Jackson's untyped tree: objects become ordered
 * {@code Map}s, arrays {@code List}s, numbers {@code Number}s. Only the API that Jackson 2.x has kept stable is used,
 * because this class runs in two JVMs with different Jackson versions: the job's (Spark's own) and the CLI's.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /**
     * Parses one JSON value: Map (ordered), List, String, Number, Boolean or null.
     *
     * @throws IllegalArgumentException if the text is not exactly one JSON value
     */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The string as a JSON string literal, quotes included. */
    public static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a string as JSON", e); // a String always can
        }
    }
}
