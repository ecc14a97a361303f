package io.sluice.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What Spark's {@code from_json} lets through without a word, found in one streaming pass over the value's bytes
 * (Jackson tokens only: no tree, no strings built for skipped values):
 *
 * <ul>
 *   <li>anything after the record's object: {@code from_json} reads the first value and ignores the rest, so the
 *       second record of {@code {..}{..}} vanished;</li>
 *   <li>a value that is not text where {@code record.schema} declares STRING, at any depth (inside STRUCTs, ARRAY
 *       elements, MAP values): {@code from_json} would store an object, array, number or boolean as its JSON text.</li>
 * </ul>
 *
 * Everything else stays {@code from_json}'s judgement: a value that is not one JSON object, or is broken inside its
 * first object, gives null here (RecordParser calls it malformed), and a value that cannot be read as a declared
 * non-text type (text where INT is declared, a string where a STRUCT is) is its schema mismatch.
 */
final class StrictJson implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The parser features Spark's {@code from_json} reads with by default (JSONOptions: single quotes and NaN/Infinity
     * allowed, everything else strict), so both passes agree on where the first object ends.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final Node root;

    /** @param numbersAsText paths of STRING fields that accept a JSON number too ({@code record.numbers_as_text}) */
    StrictJson(StructType schema, Set<String> numbersAsText) {
        this.root = Node.of(schema, "", numbersAsText);
    }

    String check(byte[] value) {
        return value == null ? null : check(value, 0, value.length);
    }

    /** As {@link #check(byte[])}, for the {@code length} bytes at {@code offset}. */
    String check(byte[] value, int offset, int length) {
        try (JsonParser parser = FACTORY.createParser(value, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String mismatch = root.check(parser, JsonToken.START_OBJECT, null);
            return afterTheObject(parser, mismatch);
        } catch (IOException brokenInsideTheObject) {
            return null;
        }
    }

    /** Called once the first object is read completely: what follows it decides before any type mismatch in it. */
    private static String afterTheObject(JsonParser parser, String mismatch) {
        try {
            if (parser.nextToken() != null) {
                return RecordParser.MULTIPLE_VALUES;
            }
        } catch (IOException notAJsonValue) {
            return RecordParser.TRAILING_DATA;
        }
        return mismatch == null ? null : RecordParser.TYPE_MISMATCH + ":" + mismatch;
    }

    private enum Kind { TEXT, STRUCT, ARRAY, MAP, UNCHECKED }

    /**
     * One declared type, with its path precomputed (so a row builds no strings): {@code name.first}, {@code tags[*]}
     * for the elements of an ARRAY, {@code attributes.*} for the values of a MAP. Paths come from the schema, never
     * from the data, so the reasons they end up in stay a small, fixed set.
     */
    private static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final Node UNCHECKED = new Node(Kind.UNCHECKED, "", false, Map.of(), null);

        final Kind kind;
        final String path;
        final boolean numbersAsText;
        final Map<String, Node> fields;
        final Node element;

        private Node(Kind kind, String path, boolean numbersAsText, Map<String, Node> fields, Node element) {
            this.kind = kind;
            this.path = path;
            this.numbersAsText = numbersAsText;
            this.fields = fields;
            this.element = element;
        }

        /** Subtrees without a STRING in them are left to from_json and skipped whole. */
        static Node of(DataType type, String path, Set<String> numbersAsText) {
            if (type instanceof StringType) {
                return new Node(Kind.TEXT, path, numbersAsText.contains(path), Map.of(), null);
            }
            if (type instanceof StructType struct) {
                Map<String, Node> fields = new HashMap<>();
                for (StructField field : struct.fields()) {
                    Node child = of(field.dataType(), path.isEmpty() ? field.name() : path + "." + field.name(), numbersAsText);
                    if (child.kind != Kind.UNCHECKED) {
                        fields.put(field.name(), child);
                    }
                }
                return fields.isEmpty() ? UNCHECKED : new Node(Kind.STRUCT, path, false, fields, null);
            }
            if (type instanceof ArrayType array) {
                return container(Kind.ARRAY, path, of(array.elementType(), path + "[*]", numbersAsText));
            }
            if (type instanceof MapType map) {
                return container(Kind.MAP, path, of(map.valueType(), path + ".*", numbersAsText));
            }
            return UNCHECKED;
        }

        private static Node container(Kind kind, String path, Node element) {
            return element.kind == Kind.UNCHECKED ? UNCHECKED : new Node(kind, path, false, Map.of(), element);
        }

        /**
         * Reads the value that starts at {@code token} (to its end token) and returns the first mismatch path in
         * document order, or {@code found} when one was found before. A shape from_json rejects itself (a string
         * where a STRUCT is declared) is skipped: that is its schema mismatch.
         */
        String check(JsonParser parser, JsonToken token, String found) throws IOException {
            switch (kind) {
                case TEXT -> {
                    if (found == null && !isText(token)) {
                        found = path;
                    }
                }
                case STRUCT -> {
                    if (token == JsonToken.START_OBJECT) {
                        String name;
                        while ((name = parser.nextFieldName()) != null) {
                            found = fields.getOrDefault(name, UNCHECKED).check(parser, parser.nextToken(), found);
                        }
                        return found;
                    }
                }
                case ARRAY -> {
                    if (token == JsonToken.START_ARRAY) {
                        JsonToken next;
                        while ((next = parser.nextToken()) != JsonToken.END_ARRAY && next != null) {
                            found = element.check(parser, next, found);
                        }
                        return found;
                    }
                }
                case MAP -> {
                    if (token == JsonToken.START_OBJECT) {
                        while (parser.nextFieldName() != null) {
                            found = element.check(parser, parser.nextToken(), found);
                        }
                        return found;
                    }
                }
                default -> {
                }
            }
            parser.skipChildren(); // a no-op unless the token opens an object or array
            return found;
        }

        private boolean isText(JsonToken token) {
            return token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NULL
                    || numbersAsText && (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT);
        }
    }
}
