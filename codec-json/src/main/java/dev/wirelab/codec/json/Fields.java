package dev.wirelab.codec.json;

import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.RequestId;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Typed access to the fields of one JSON object, by folded name. A field of the wrong type fails
 * with {@link ErrorCode#INVALID_PARAMS}; every failure carries the request id of the line.
 */
final class Fields {

    private final Map<String, Node> values;
    private final RequestId id;

    Fields(Map<String, Node> values, RequestId id) {
        this.values = values;
        this.id = id;
    }

    /** The request id every error from these fields carries. */
    RequestId id() {
        return id;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A string field; absent is empty, anything but a string (null included) is an error. */
    Optional<String> text(String name) {
        Node node = values.get(name);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof Node.Text text) {
            if (!Wire.isWellFormedUtf16(text.value())) {
                // An escaped lone surrogate (backslash-u-D800) is valid JSON grammar but not text:
                // refused, as raw invalid UTF-8 is.
                throw error(ErrorCode.INVALID_UTF8, "Invalid UTF-8: field " + name + " holds an unpaired surrogate");
            }
            return Optional.of(text.value());
        }
        throw invalid("field " + name + " must be a string, not " + node.kind());
    }

    String requiredText(String name) {
        return text(name).orElseThrow(() -> missing(name));
    }

    Optional<Boolean> bool(String name) {
        Node node = values.get(name);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof Node.Bool bool) {
            return Optional.of(bool.value());
        }
        throw invalid("field " + name + " must be a boolean, not " + node.kind());
    }

    boolean requiredBool(String name) {
        return bool(name).orElseThrow(() -> missing(name));
    }

    /** A positive integer written as a plain JSON integer: no fraction, no exponent, not {@code -0}. */
    OptionalLong positiveLong(String name) {
        Node node = values.get(name);
        if (node == null) {
            return OptionalLong.empty();
        }
        long value = integer(name, node);
        if (value <= 0) {
            throw invalid("field " + name + " must be a positive integer, not " + value);
        }
        return OptionalLong.of(value);
    }

    long requiredPositiveLong(String name) {
        return positiveLong(name).orElseThrow(() -> missing(name));
    }

    OptionalInt positiveInt(String name) {
        OptionalLong value = positiveLong(name);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        if (value.getAsLong() > Integer.MAX_VALUE) {
            throw invalid("field " + name + " is out of range: " + value.getAsLong());
        }
        return OptionalInt.of((int) value.getAsLong());
    }

    int requiredPositiveInt(String name) {
        return positiveInt(name).orElseThrow(() -> missing(name));
    }

    int requiredNonNegativeInt(String name) {
        Node node = values.get(name);
        if (node == null) {
            throw missing(name);
        }
        long value = integer(name, node);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw invalid("field " + name + " is out of range: " + value);
        }
        return (int) value;
    }

    private long integer(String name, Node node) {
        if (!(node instanceof Node.Num num) || !num.integral()) {
            throw invalid("field " + name + " must be an integer, not " + node.kind());
        }
        try {
            return Long.parseLong(num.literal());
        } catch (NumberFormatException e) {
            throw invalid("field " + name + " is out of range: " + num.literal());
        }
    }

    /** An ISO-8601 instant, such as {@code 2026-11-29T14:15:29.123456789Z}. */
    Instant requiredInstant(String name) {
        String text = requiredText(name);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw invalid("field " + name + " is not an ISO-8601 instant: " + Wire.quote(text));
        }
    }

    /** An array of strings; absent is empty. */
    Optional<List<String>> texts(String name) {
        Optional<List<Node>> items = array(name);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>(items.get().size());
        for (Node item : items.get()) {
            if (!(item instanceof Node.Text text)) {
                throw invalid("field " + name + " must hold strings, not " + item.kind());
            }
            if (!Wire.isWellFormedUtf16(text.value())) {
                throw error(ErrorCode.INVALID_UTF8, "Invalid UTF-8: field " + name + " holds an unpaired surrogate");
            }
            texts.add(text.value());
        }
        return Optional.of(texts);
    }

    List<String> requiredTexts(String name) {
        return texts(name).orElseThrow(() -> missing(name));
    }

    /** An array of objects, each as its own {@code Fields} carrying the same request id. */
    List<Fields> requiredObjects(String name) {
        List<Node> items = array(name).orElseThrow(() -> missing(name));
        List<Fields> objects = new ArrayList<>(items.size());
        for (Node item : items) {
            if (!(item instanceof Node.Obj object)) {
                throw invalid("field " + name + " must hold objects, not " + item.kind());
            }
            objects.add(new Fields(object.fields(), id));
        }
        return objects;
    }

    private Optional<List<Node>> array(String name) {
        Node node = values.get(name);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof Node.Arr array) {
            return Optional.of(array.items());
        }
        throw invalid("field " + name + " must be an array, not " + node.kind());
    }

    /** A field with an impossible value: {@link ErrorCode#INVALID_PARAMS}. */
    CodecException invalid(String detail) {
        return error(ErrorCode.INVALID_PARAMS, "Validation error: " + detail);
    }

    CodecException missing(String name) {
        return invalid("field " + name + " is required");
    }

    CodecException error(ErrorCode code, String message) {
        return new CodecException(code, message, id);
    }
}
