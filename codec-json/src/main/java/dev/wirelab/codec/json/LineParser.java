package dev.wirelab.codec.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wirelab.protocol.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one line, which must be exactly one JSON object, token by token from Jackson's streaming
 * parser. It keeps the top-level fields in {@link Wire#KNOWN_FIELDS} and skips the rest without
 * recursion, checking as it goes:
 *
 * <ul>
 *   <li>nesting depth, counted here rather than left to Jackson so that "too deep" can be told
 *       apart from Jackson's other limits ({@link ErrorCode#TOO_DEEP});</li>
 *   <li>duplicate field names in any object, compared after {@link Wire#fold case folding}; these
 *       are remembered rather than thrown, so the whole line is read and the request id, wherever
 *       it stands, can go with the error;</li>
 *   <li>nothing but whitespace after the object.</li>
 * </ul>
 *
 * <p>One instance reads one line, on one thread.
 */
final class LineParser {

    /** Containers below a top-level field that are still built into nodes: an array of objects. */
    private static final int KEPT_LEVELS = 2;

    private final JsonParser parser;
    private final int maxDepth;
    private int depth;
    private final Map<String, Node> fields = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private String duplicate;

    /**
     * @param parser   a parser over exactly one line
     * @param maxDepth the deepest nesting allowed; the top-level object is depth 1
     */
    LineParser(JsonParser parser, int maxDepth) {
        this.parser = parser;
        this.maxDepth = maxDepth;
    }

    /** Reads the line; returns the kept top-level fields by folded name. */
    Map<String, Node> read() throws IOException, Malformed {
        JsonToken first = next();
        if (first == null) {
            throw new Malformed(ErrorCode.INVALID_MESSAGE, "Invalid message format: empty line");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new Malformed(ErrorCode.INVALID_MESSAGE,
                    "Invalid message format: expected a JSON object, got " + describe(first));
        }
        for (JsonToken token = next(); token != JsonToken.END_OBJECT; token = next()) {
            String name = Wire.fold(parser.getText());
            JsonToken value = next();
            if (!seen.add(name)) {
                noteDuplicate(name);
                // Neither copy is trusted, above all not a duplicated id.
                fields.remove(name);
                skip(value);
            } else if (Wire.KNOWN_FIELDS.contains(name)) {
                fields.put(name, value(value, KEPT_LEVELS));
            } else {
                skip(value);
            }
        }
        JsonToken after = next();
        if (after != null) {
            throw new Malformed(ErrorCode.INVALID_MESSAGE,
                    "Invalid message format: " + describe(after) + " after the JSON object");
        }
        return Collections.unmodifiableMap(fields);
    }

    /** The top-level fields read so far; after a failure, what was read before it. */
    Map<String, Node> fieldsSoFar() {
        return Collections.unmodifiableMap(fields);
    }

    /** The first duplicated field name, if any: the line is invalid even though it parsed. */
    Optional<String> duplicate() {
        return Optional.ofNullable(duplicate);
    }

    private void noteDuplicate(String name) {
        if (duplicate == null) {
            duplicate = name;
        }
    }

    private JsonToken next() throws IOException, Malformed {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            depth++;
            if (depth > maxDepth) {
                throw new Malformed(ErrorCode.TOO_DEEP,
                        "Invalid message format: nested deeper than " + maxDepth + " levels");
            }
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
            depth--;
        }
        return token;
    }

    private Node value(JsonToken token, int levels) throws IOException, Malformed {
        if (token == null) {
            throw new Malformed(ErrorCode.INVALID_MESSAGE, "Invalid message format: unexpected end of line");
        }
        return switch (token) {
            case VALUE_STRING -> new Node.Text(parser.getText());
            case VALUE_NUMBER_INT -> new Node.Num(parser.getText(), true);
            case VALUE_NUMBER_FLOAT -> new Node.Num(parser.getText(), false);
            case VALUE_TRUE -> new Node.Bool(true);
            case VALUE_FALSE -> new Node.Bool(false);
            case VALUE_NULL -> new Node.Null();
            case START_ARRAY -> levels == 0 ? skipped(token) : array(levels - 1);
            case START_OBJECT -> levels == 0 ? skipped(token) : object(levels - 1);
            default -> throw new Malformed(ErrorCode.INVALID_MESSAGE,
                    "Invalid message format: unexpected " + describe(token));
        };
    }

    private Node array(int levels) throws IOException, Malformed {
        List<Node> items = new ArrayList<>();
        for (JsonToken token = next(); token != JsonToken.END_ARRAY; token = next()) {
            items.add(value(token, levels));
        }
        return new Node.Arr(List.copyOf(items));
    }

    private Node object(int levels) throws IOException, Malformed {
        Map<String, Node> members = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (JsonToken token = next(); token != JsonToken.END_OBJECT; token = next()) {
            String name = Wire.fold(parser.getText());
            Node value = value(next(), levels);
            if (names.add(name)) {
                members.put(name, value);
            } else {
                noteDuplicate(name);
            }
        }
        return new Node.Obj(Collections.unmodifiableMap(members));
    }

    private Node skipped(JsonToken start) throws IOException, Malformed {
        skip(start);
        return new Node.Opaque();
    }

    /**
     * Skips one value. Containers are walked with an explicit stack, not recursion, so nesting is
     * bounded by {@code maxDepth} alone and never by the thread's stack.
     */
    private void skip(JsonToken start) throws IOException, Malformed {
        if (start != JsonToken.START_OBJECT && start != JsonToken.START_ARRAY) {
            return;
        }
        // One entry per open container: the names seen in an object, null for an array.
        List<Set<String>> open = new ArrayList<>();
        open.add(start == JsonToken.START_OBJECT ? new HashSet<>() : null);
        while (!open.isEmpty()) {
            JsonToken token = next();
            if (token == null) {
                throw new Malformed(ErrorCode.INVALID_MESSAGE, "Invalid message format: unexpected end of line");
            }
            switch (token) {
                case START_OBJECT -> open.add(new HashSet<>());
                case START_ARRAY -> open.add(null);
                case END_OBJECT, END_ARRAY -> open.remove(open.size() - 1);
                case FIELD_NAME -> {
                    Set<String> names = open.get(open.size() - 1);
                    if (names != null && !names.add(Wire.fold(parser.getText()))) {
                        noteDuplicate(Wire.fold(parser.getText()));
                    }
                }
                default -> {
                    // A scalar: Jackson has already checked its syntax.
                }
            }
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "another JSON object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }
}
