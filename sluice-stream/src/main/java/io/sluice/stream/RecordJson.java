package io.sluice.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JsonToStructs;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.objects.Invoke;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A record's JSON read once, from its bytes, into the row Spark's {@code from_json} makes of it, with the strict
 * verdict ({@link StrictJson}) and the UTF-8 verdict ({@link Utf8Check}) beside it.
 *
 * <p>Why: a record used to be walked three times (the UTF-8 check, the strict token pass, then {@code from_json}, which
 * decodes the bytes to characters and parses those), and {@code from_json}'s generic converters were the largest part
 * of a task's CPU. Here a record that fits its schema plainly (an object of the declared fields, each null or of its
 * declared JSON kind, nothing after it, well-formed UTF-8) is parsed by one Jackson pass over the bytes, without a
 * copy. Any other record, or any doubt (a duplicate key, a number too large, a type this reader does not handle), goes
 * to Spark's own {@code from_json} and the strict pass, exactly as before, so a row gets the same values and the same
 * verdict either way; {@code RecordJsonTest} compares the two on every kind of record.
 *
 * <p>The result is a struct of the schema's fields, then {@link #CORRUPT} (from_json's raw text of a record it could
 * not read), {@link #STRICT} (the strict pass's detail) and {@link #VALID_UTF8}.
 */
public final class RecordJson implements Serializable {
    private static final long serialVersionUID = 1L;
    /** from_json puts the raw text of a record it could not parse here, instead of silently returning nulls. */
    static final String CORRUPT = "_sluice_corrupt_record";
    static final String STRICT = "_sluice_strict";
    static final String VALID_UTF8 = "_sluice_valid_utf8";
    /** A value this reader leaves to Spark; never part of a row. */
    private static final Object UNFIT = new Object();

    private final StructType fromJsonType;
    private final StructType resultType;
    private final int fields;
    private final StrictJson strict;
    private final Struct root;
    /** Spark's own parser for the records the fast path leaves; it keeps mutable state, so one per thread. */
    private transient volatile ThreadLocal<JsonToStructs> fromJson;

    RecordJson(StructType schema, Set<String> numbersAsText) {
        this.fromJsonType = schema.asNullable().add(CORRUPT, DataTypes.StringType, true);
        this.resultType = fromJsonType.add(STRICT, DataTypes.StringType, true).add(VALID_UTF8, DataTypes.BooleanType, true);
        this.fields = schema.fields().length;
        this.strict = new StrictJson(schema, numbersAsText);
        this.root = new Struct(schema, "", numbersAsText);
    }

    /** The record read from {@code text} (a STRING column of the raw bytes); null text gives null. */
    Column parse(Column text) {
        Expression call = new Invoke(Literal.fromObject(this), "parse", resultType,
                CollectionConverters.asScala(List.of(text.expr())).toList(),
                CollectionConverters.asScala(List.<AbstractDataType>of()).toList(), true, true, true);
        return new Column(call);
    }

    /** Called by Spark's generated code for each non-null text. */
    public InternalRow parse(UTF8String text) {
        byte[] bytes;
        int offset;
        if (text.getBaseObject() instanceof byte[] array) {
            bytes = array;
            offset = Math.toIntExact(text.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET);
        } else {
            bytes = text.getBytes();
            offset = 0;
        }
        int length = text.numBytes();
        boolean validUtf8 = Utf8Check.valid(bytes, offset, length);
        Object[] values = plain(bytes, offset, length, validUtf8);
        return values != null ? new GenericInternalRow(values) : bySpark(text, bytes, offset, length, validUtf8);
    }

    /** The row's values read in one pass, or null when the record is left to Spark. */
    Object[] plain(byte[] bytes, int offset, int length, boolean validUtf8) {
        if (!validUtf8 || !plainStart(bytes, offset, length)) {
            return null;
        }
        Object[] values = fast(bytes, offset, length);
        if (values != null) {
            values[fields + 2] = Boolean.TRUE;
        }
        return values;
    }

    /**
     * Jackson guesses the encoding of bytes from their first four (a BOM, or zero bytes for UTF-16/32), where Spark reads
     * the text as UTF-8 characters; such a start is left to Spark.
     */
    private static boolean plainStart(byte[] bytes, int offset, int length) {
        if (length >= 3 && (bytes[offset] & 0xFF) == 0xEF && (bytes[offset + 1] & 0xFF) == 0xBB
                && (bytes[offset + 2] & 0xFF) == 0xBF) {
            return false;
        }
        for (int i = offset; i < offset + Math.min(4, length); i++) {
            if (bytes[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** The row's values (with room for the three extra fields), or null when the record is not plain. */
    private Object[] fast(byte[] bytes, int offset, int length) {
        try (JsonParser parser = StrictJson.FACTORY.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Object[] values = new Object[fields + 3];
            if (!root.readFields(new Input(parser, bytes, offset, offset + length), values) || parser.nextToken() != null) {
                return null;
            }
            return values;
        } catch (IOException | RuntimeException notPlain) {
            return null;
        }
    }

    private InternalRow bySpark(UTF8String text, byte[] bytes, int offset, int length, boolean validUtf8) {
        // When from_json finds no JSON token at all it gives null; the text is then JSON whitespace, valid UTF-8, and
        // the strict pass (which wants an object) has nothing to say either.
        InternalRow record = (InternalRow) fromJson().get().nullSafeEval(text);
        if (record == null) {
            return null;
        }
        Object[] values = new Object[fields + 3];
        StructField[] declared = fromJsonType.fields();
        for (int i = 0; i < declared.length; i++) {
            values[i] = record.get(i, declared[i].dataType()); // the parser reuses its row: take the values out
        }
        String detail = strict.check(bytes, offset, length);
        values[fields + 1] = detail == null ? null : UTF8String.fromString(detail);
        values[fields + 2] = validUtf8;
        return new GenericInternalRow(values);
    }

    private ThreadLocal<JsonToStructs> fromJson() {
        ThreadLocal<JsonToStructs> local = fromJson;
        if (local == null) {
            synchronized (this) {
                local = fromJson;
                if (local == null) {
                    local = ThreadLocal.withInitial(this::sparkParser);
                    fromJson = local;
                }
            }
        }
        return local;
    }

    /** Exactly the from_json of the Dataset API, with the session's time zone as Spark's analyser would give it. */
    private JsonToStructs sparkParser() {
        scala.collection.immutable.Map<String, String> options = scala.collection.immutable.Map$.MODULE$.from(
                CollectionConverters.asScala(Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT)));
        return new JsonToStructs(fromJsonType, options, new BoundReference(0, DataTypes.StringType, true),
                Option.apply(SQLConf.get().sessionLocalTimeZone()));
    }

    /** The parser over one record, and the record: {@code bytes} from {@code offset} (where the parser starts) to {@code end}. */
    private record Input(JsonParser parser, byte[] bytes, int offset, int end) {

        /**
         * The current string's text as a view of the record's bytes, when those bytes are its text: ASCII between
         * double quotes, no escape. Null otherwise, and the text is then decoded as usual. Most texts are such, and
         * this spares Jackson's decode to characters and the copy back to bytes. The view is valid as long as the
         * record's bytes are, the same contract as any text Spark reads from an UnsafeRow: Spark writes the parsed
         * row into its output row before the next record. Jackson still skips the string when it moves on, checking
         * it as always.
         */
        UTF8String asciiInPlace() {
            long token = parser.getTokenLocation().getByteOffset();
            if (token < 0) {
                return null;
            }
            int start = offset + (int) token + 1; // after the opening quote
            if (bytes[start - 1] != '"') {
                return null; // a single-quoted string: Jackson's own reading
            }
            for (int i = start; i < end; i++) {
                byte c = bytes[i];
                if (c == '"') {
                    return UTF8String.fromAddress(bytes, Platform.BYTE_ARRAY_OFFSET + start, i - start);
                }
                if (c == '\\' || c < 0x20) { // an escape, a control character, or (negative) a non-ASCII byte
                    return null;
                }
            }
            return null;
        }
    }

    /** One declared type's plain JSON form: a reader returns the value, or {@link #UNFIT} for anything else. */
    private abstract static class Value implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The value that starts at {@code token}; JSON null is null for every type, as in from_json. */
        final Object read(Input in, JsonToken token) throws IOException {
            return token == JsonToken.VALUE_NULL ? null : readPresent(in, token);
        }

        abstract Object readPresent(Input in, JsonToken token) throws IOException;

        static Value of(DataType type, String path, Set<String> numbersAsText) {
            if (type instanceof StringType) {
                return new Text(numbersAsText.contains(path));
            }
            if (type instanceof IntegerType) {
                return new Scalar(ScalarKind.INT);
            }
            if (type instanceof LongType) {
                return new Scalar(ScalarKind.LONG);
            }
            if (type instanceof DoubleType) {
                return new Scalar(ScalarKind.DOUBLE);
            }
            if (type instanceof FloatType) {
                return new Scalar(ScalarKind.FLOAT);
            }
            if (type instanceof BooleanType) {
                return new Scalar(ScalarKind.BOOLEAN);
            }
            if (type instanceof StructType struct) {
                return new Struct(struct, path, numbersAsText);
            }
            if (type instanceof ArrayType array) {
                return new Array(of(array.elementType(), path + "[*]", numbersAsText));
            }
            return new Scalar(ScalarKind.LEFT_TO_SPARK);
        }
    }

    /** STRING: JSON text, or (in {@code record.numbers_as_text}) an integer, written as from_json writes it. */
    private static final class Text extends Value {
        private static final long serialVersionUID = 1L;
        private final boolean numbersAsText;

        Text(boolean numbersAsText) {
            this.numbersAsText = numbersAsText;
        }

        @Override
        Object readPresent(Input in, JsonToken token) throws IOException {
            JsonParser parser = in.parser();
            if (token == JsonToken.VALUE_STRING) {
                UTF8String inPlace = in.asciiInPlace();
                return inPlace != null ? inPlace : utf8(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            }
            if (numbersAsText && token == JsonToken.VALUE_NUMBER_INT) {
                // from_json copies the token through a JsonGenerator, which writes an integer's canonical digits
                return UTF8String.fromString(parser.getNumberValue().toString());
            }
            return UNFIT;
        }
    }

    /**
     * The UTF-8 of the parser's characters. Text is mostly ASCII, whose characters are its bytes: those are copied once,
     * without the String that {@code getText()} would make and {@code UTF8String.fromString} would encode again.
     */
    static UTF8String utf8(char[] chars, int offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            if (c >= 0x80) {
                return UTF8String.fromString(new String(chars, offset, length));
            }
            bytes[i] = (byte) c;
        }
        return UTF8String.fromBytes(bytes);
    }

    private enum ScalarKind { INT, LONG, DOUBLE, FLOAT, BOOLEAN, LEFT_TO_SPARK }

    /** The tokens from_json turns into each scalar type without a doubt. */
    private static final class Scalar extends Value {
        private static final long serialVersionUID = 1L;
        private final ScalarKind kind;

        Scalar(ScalarKind kind) {
            this.kind = kind;
        }

        @Override
        Object readPresent(Input in, JsonToken token) throws IOException {
            JsonParser parser = in.parser();
            boolean integer = token == JsonToken.VALUE_NUMBER_INT;
            boolean number = integer || token == JsonToken.VALUE_NUMBER_FLOAT;
            return switch (kind) {
                case INT -> integer && parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : UNFIT;
                case LONG -> integer && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? parser.getLongValue() : UNFIT;
                case DOUBLE -> number ? parser.getDoubleValue() : UNFIT;
                case FLOAT -> number ? parser.getFloatValue() : UNFIT;
                case BOOLEAN -> token == JsonToken.VALUE_TRUE ? Boolean.TRUE : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : UNFIT;
                case LEFT_TO_SPARK -> UNFIT;
            };
        }
    }

    /** STRUCT: an object; fields not declared are skipped, as from_json skips them. */
    private static final class Struct extends Value {
        private static final long serialVersionUID = 1L;
        private final String[] names;
        /** Field name to position, first declaration wins; rebuilt after deserialisation (see {@link #indexOf}). */
        private transient Map<String, Integer> index;
        private final Value[] values;

        Struct(StructType type, String path, Set<String> numbersAsText) {
            StructField[] declared = type.fields();
            names = type.fieldNames();
            index = indexOf(names);
            values = new Value[declared.length];
            for (int i = 0; i < declared.length; i++) {
                String child = path.isEmpty() ? declared[i].name() : path + "." + declared[i].name();
                values[i] = Value.of(declared[i].dataType(), child, numbersAsText);
            }
        }

        /**
         * Keys interned, as Jackson interns the field names it reads: a lookup then finds its key by identity instead
         * of comparing the characters (it still compares them if a parser does not intern).
         */
        private static Map<String, Integer> indexOf(String[] names) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                index.putIfAbsent(names[i].intern(), i);
            }
            return index;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            index = indexOf(names);
        }

        @Override
        Object readPresent(Input in, JsonToken token) throws IOException {
            if (token != JsonToken.START_OBJECT) {
                return UNFIT;
            }
            Object[] row = new Object[values.length];
            return readFields(in, row) ? new GenericInternalRow(row) : UNFIT;
        }

        /** Reads an object's fields (its START_OBJECT already read) into {@code row}; false if one is not plain. */
        boolean readFields(Input in, Object[] row) throws IOException {
            JsonParser parser = in.parser();
            boolean[] seen = new boolean[values.length];
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                Integer i = index.get(name);
                if (i == null) {
                    parser.skipChildren();
                    continue;
                }
                // A repeated key: from_json and the strict pass each have their own answer; leave it to them.
                if (seen[i]) {
                    return false;
                }
                seen[i] = true;
                Object value = values[i].read(in, token);
                if (value == UNFIT) {
                    return false;
                }
                row[i] = value;
            }
            return parser.currentToken() == JsonToken.END_OBJECT;
        }
    }

    /** ARRAY: a JSON array of plain elements. */
    private static final class Array extends Value {
        private static final long serialVersionUID = 1L;
        private final Value element;

        Array(Value element) {
            this.element = element;
        }

        @Override
        Object readPresent(Input in, JsonToken token) throws IOException {
            if (token != JsonToken.START_ARRAY) {
                return UNFIT;
            }
            ArrayList<Object> items = new ArrayList<>();
            JsonToken next;
            while ((next = in.parser().nextToken()) != JsonToken.END_ARRAY) {
                if (next == null) {
                    return UNFIT;
                }
                Object item = element.read(in, next);
                if (item == UNFIT) {
                    return UNFIT;
                }
                items.add(item);
            }
            return new GenericArrayData(items.toArray());
        }
    }
}
