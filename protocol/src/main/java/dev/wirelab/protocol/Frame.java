package dev.wirelab.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One delimited unit on the wire: a line without its newline, a length-prefixed body without its
 * prefix, or one datagram's payload. Transports move frames without looking inside.
 *
 * <p>The frame owns its array and does not copy it: whoever builds a frame must not change the
 * array afterwards. Equality is by content, as a record holding an array must define it.
 *
 * @param bytes the payload
 */
public record Frame(byte[] bytes) {

    public Frame {
        Objects.requireNonNull(bytes, "bytes");
    }

    /** A frame holding {@code text} as UTF-8; handy in tests and for line protocols. */
    public static Frame ofUtf8(String text) {
        return new Frame(text.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes as UTF-8 text, invalid sequences replaced; for logs and tests, never for decoding. */
    public String toUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame frame && Arrays.equals(bytes, frame.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        int shown = Math.min(bytes.length, 64);
        String head = new String(bytes, 0, shown, StandardCharsets.UTF_8);
        return "Frame[" + bytes.length + " bytes: " + head + (shown < bytes.length ? "..." : "") + "]";
    }
}
