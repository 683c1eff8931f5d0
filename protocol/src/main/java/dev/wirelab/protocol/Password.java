package dev.wirelab.protocol;

import java.util.Objects;

/**
 * A password as the client sent it. {@link #toString()} never shows it, so it cannot leak into
 * logs through a record's generated {@code toString}.
 *
 * @param value the password; empty means none was given
 */
public record Password(String value) {

    /** No password: a seed-style REGISTER that only names the user. */
    public static final Password NONE = new Password("");

    public Password {
        Objects.requireNonNull(value, "value");
    }

    public static Password of(String value) {
        return new Password(value);
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    @Override
    public String toString() {
        return isPresent() ? "Password[***]" : "Password[none]";
    }
}
