package dev.wirelab.lab;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * A tiny JSON writer for {@code results.json}: objects, arrays, strings, numbers, booleans, with
 * commas and indentation handled, and strings escaped per RFC 8259. The lab has no JSON library,
 * and this is all the report needs.
 */
final class CompareJson {

    private final StringBuilder out = new StringBuilder();
    /** Whether the current container already holds a value (so the next needs a comma). */
    private final ArrayDeque<Boolean> filled = new ArrayDeque<>();
    private boolean afterName;

    CompareJson beginObject() {
        value("{");
        filled.push(false);
        return this;
    }

    CompareJson endObject() {
        return end('}');
    }

    CompareJson beginArray() {
        value("[");
        filled.push(false);
        return this;
    }

    CompareJson endArray() {
        return end(']');
    }

    CompareJson name(String name) {
        separate();
        out.append(quote(name)).append(": ");
        afterName = true;
        return this;
    }

    CompareJson string(String value) {
        return value(quote(value));
    }

    CompareJson number(long value) {
        return value(Long.toString(value));
    }

    /** A finite number, or null for NaN and infinities (which JSON cannot carry). */
    CompareJson number(double value) {
        return value(Double.isFinite(value)
                ? new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString() : "null");
    }

    CompareJson bool(boolean value) {
        return value(Boolean.toString(value));
    }

    CompareJson field(String name, String value) {
        return name(name).string(value);
    }

    CompareJson field(String name, long value) {
        return name(name).number(value);
    }

    CompareJson field(String name, double value) {
        return name(name).number(value);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private CompareJson value(String text) {
        if (!afterName) {
            separate();
        }
        afterName = false;
        out.append(text);
        return this;
    }

    private void separate() {
        if (!filled.isEmpty()) {
            if (filled.peek()) {
                out.append(',');
            }
            filled.pop();
            filled.push(true);
            out.append('\n').append("  ".repeat(filled.size()));
        }
    }

    private CompareJson end(char close) {
        boolean any = filled.pop();
        if (any) {
            out.append('\n').append("  ".repeat(filled.size()));
        }
        out.append(close);
        return this;
    }

    /** The string as a JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
