package dev.wirelab.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A client-chosen correlation id, echoed verbatim in the one reply to its request.
 *
 * <p>The seed protocol has no ids, so a request may carry none: {@link #NONE}. A reply to a
 * request without an id is written in the seed's exact shape by the JSON codec.
 *
 * @param value at most {@value #MAX_BYTES} bytes of UTF-8 without control characters; empty means none
 */
public record RequestId(String value) {

    /** The limit IRCv3 gives its {@code label}: long enough for a UUID plus a prefix, short enough to echo cheaply. */
    public static final int MAX_BYTES = 64;

    /** No id: the request came from a seed-style client. */
    public static final RequestId NONE = new RequestId("");

    public RequestId {
        Objects.requireNonNull(value, "value");
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("request id longer than " + MAX_BYTES + " bytes");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("request id contains a control character");
        }
    }

    public static RequestId of(String value) {
        return new RequestId(value);
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    @Override
    public String toString() {
        return isPresent() ? value : "<none>";
    }
}
