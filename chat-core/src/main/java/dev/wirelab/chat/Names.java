package dev.wirelab.chat;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for user and room names. ASCII only, so look-alike letters from other scripts cannot
 * impersonate a user (ergo folds case as ASCII for the same reason), and case folded with
 * {@link Locale#ROOT}, so a JVM with a Turkish default locale still finds {@code TITLE} and
 * {@code title} equal.
 */
final class Names {

    private static final Pattern USER = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private Names() {
    }

    static boolean validUser(String name, int maxLength) {
        return name.length() <= maxLength && USER.matcher(name).matches();
    }

    static boolean validRoom(String name, int maxLength) {
        return name.length() <= maxLength && ROOM.matcher(name).matches();
    }

    /** The key two names are compared by. */
    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
