package dev.wirelab.protocol;

import java.util.Objects;

/** Argument checks shared by the records' compact constructors. */
final class Checks {

    private Checks() {
    }

    static String notEmpty(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
