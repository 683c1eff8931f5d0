package dev.wirelab.codec.json;

import java.util.List;
import java.util.Map;

/**
 * A JSON value the codec kept from a line: only the fields it reads are kept, and only as deep as
 * any message needs (an array of objects of scalars). Numbers stay as their literal, so a huge
 * number costs nothing until a field that wants a number looks at it.
 */
sealed interface Node {

    /** A JSON string, unescaped. */
    record Text(String value) implements Node {
    }

    /**
     * A JSON number.
     *
     * @param literal  the number as written, at most {@code maxJsonNumberLength} characters
     * @param integral true for a plain integer literal (no fraction, no exponent)
     */
    record Num(String literal, boolean integral) implements Node {
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements Node {
    }

    /** {@code null}. */
    record Null() implements Node {
    }

    /** An array. */
    record Arr(List<Node> items) implements Node {
    }

    /**
     * An object.
     *
     * @param fields values by folded field name
     */
    record Obj(Map<String, Node> fields) implements Node {
    }

    /** A container nested deeper than any field the codec reads; checked for syntax and skipped. */
    record Opaque() implements Node {
    }

    /** What this is, for an error message: {@code "field limit must be an integer, not a string"}. */
    default String kind() {
        return switch (this) {
            case Text text -> "a string";
            case Num num -> num.integral() ? "an integer" : "a number with a fraction or exponent";
            case Bool bool -> "a boolean";
            case Null nothing -> "null";
            case Arr array -> "an array";
            case Obj object -> "an object";
            case Opaque opaque -> "a nested value";
        };
    }
}
