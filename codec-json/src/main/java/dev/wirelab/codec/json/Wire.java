package dev.wirelab.codec.json;

import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JSON-lines vocabulary in one place: field names, command names, reply and event kinds, the
 * seed's reply texts and the time formats. Encoder and decoder both read from here, so a name can
 * only be spelt one way.
 */
final class Wire {

    private Wire() {
    }

    // Field names, as written. On input they match case-insensitively (see fold()).
    static final String COMMAND = "command";
    static final String DATA = "data";
    static final String FROM = "from";
    static final String ID = "id";
    static final String CAPABILITIES = "capabilities";
    static final String PASSWORD = "password";
    static final String TO = "to";
    static final String ROOM = "room";
    static final String BEFORE = "before";
    static final String AFTER = "after";
    static final String LIMIT = "limit";
    static final String SUCCESS = "success";
    static final String MESSAGE = "message";
    static final String REPLY = "reply";
    static final String VERSION = "version";
    static final String SERVER = "server";
    static final String NAME = "name";
    static final String MSGID = "msgid";
    static final String TIME = "time";
    static final String MEMBERS = "members";
    static final String USERS = "users";
    static final String ROOMS = "rooms";
    static final String MESSAGES = "messages";
    static final String COMPLETE = "complete";
    static final String CODE = "code";
    static final String EVENT = "event";
    static final String USER = "user";
    static final String CHANGE = "change";
    static final String TEXT = "text";

    /**
     * Every top-level field any message reads. The parser keeps the values of these and skips
     * everything else unread, so unknown fields cost no memory beyond the frame.
     */
    static final Set<String> KNOWN_FIELDS = Set.of(COMMAND, DATA, FROM, ID, CAPABILITIES, PASSWORD, TO, ROOM,
            BEFORE, AFTER, LIMIT, SUCCESS, MESSAGE, REPLY, VERSION, SERVER, NAME, MSGID, TIME, MEMBERS, USERS,
            ROOMS, MESSAGES, COMPLETE, CODE, EVENT, USER, CHANGE, TEXT);

    // The seed's reply texts (reference/seed-protocol.md), then wirelab's own. The welcome line is
    // an Info whose text the server chooses, so it is not here.
    static final String ECHO_RESPONSE = "Echo response";
    static final String MESSAGE_BROADCASTED = "Message broadcasted";
    static final String REGISTERED_PREFIX = "Registration successful. Welcome, ";
    static final String ONLINE_USERS = "Online users";
    static final String RECENT_MESSAGES = "Recent messages";
    static final String NO_MESSAGES_YET = "No messages yet";
    static final String SERVER_TIME = "Server time";
    static final String GOODBYE = "Goodbye!";
    static final String LOGGED_IN_PREFIX = "Login successful. Welcome back, ";
    static final String NEGOTIATED = "Capabilities negotiated";
    static final String PRIVATE_SENT_PREFIX = "Private message sent to ";
    static final String JOINED_PREFIX = "Joined ";
    static final String LEFT_PREFIX = "Left ";
    static final String ROOMS_TEXT = "Rooms";
    static final String PONG = "Pong";
    /** How the seed joins list items in {@code data}. */
    static final String LIST_SEPARATOR = ", ";

    /** The clock time in a seed history line, {@code [14:15:29] Alice: Hello}. */
    static final DateTimeFormatter HISTORY_LINE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    /**
     * Folds a field name for matching. The seed's Go server matches names case-insensitively, so
     * wirelab does too; {@link Locale#ROOT} keeps the result independent of the JVM's locale
     * (a Turkish default would otherwise turn {@code ID} into {@code ıd}).
     */
    static String fold(String fieldName) {
        return fieldName.toLowerCase(Locale.ROOT);
    }

    /** The request commands; the wire name is the constant's name, matched exactly. */
    enum Command {
        HELLO, REGISTER, LOGIN, MESSAGE, JOIN, LEAVE, LIST_USERS, LIST_ROOMS, LIST_MESSAGES, ECHO, TIME, PING, QUIT;

        private static final Map<String, Command> BY_NAME = index(values(), Command::name);

        static Optional<Command> byWireName(String name) {
            return Optional.ofNullable(BY_NAME.get(name));
        }
    }

    /** The {@code reply} field of the extended reply form. */
    enum ReplyKind {
        INFO, NEGOTIATED, REGISTERED, LOGGED_IN, POSTED, SENT_PRIVATE, JOINED, LEFT, USERS, ROOMS, HISTORY, ECHOED,
        SERVER_TIME, PONG, GOODBYE, FAILED;

        private static final Map<String, ReplyKind> BY_NAME = index(values(), ReplyKind::wireName);

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<ReplyKind> byWireName(String name) {
            return Optional.ofNullable(BY_NAME.get(name));
        }
    }

    /** The {@code event} field of a pushed event. */
    enum EventKind {
        MESSAGE, PRIVATE, PRESENCE, CLOSING;

        private static final Map<String, EventKind> BY_NAME = index(values(), EventKind::wireName);

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<EventKind> byWireName(String name) {
            return Optional.ofNullable(BY_NAME.get(name));
        }
    }

    private static <E extends Enum<E>> Map<String, E> index(E[] values, Function<E, String> wireName) {
        return Arrays.stream(values).collect(Collectors.toUnmodifiableMap(wireName, Function.identity()));
    }

    /**
     * Quotes untrusted text for an error message: at most 64 characters, control characters
     * shown as {@code ?}. Keeps a reply to a hostile frame short and free of line breaks, while a
     * normal command name comes back exactly as the seed quotes it.
     */
    static String quote(String untrusted) {
        return quote(untrusted, 64);
    }

    /** As {@link #quote(String)}, for longer texts such as Jackson's description of a syntax error. */
    static String quoteLong(String untrusted) {
        return quote(untrusted == null ? "" : untrusted, 200);
    }

    private static String quote(String untrusted, int max) {
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), max) + 3);
        int count = 0;
        for (int i = 0; i < untrusted.length(); i += Character.charCount(untrusted.codePointAt(i))) {
            if (count == max) {
                return out.append("...").toString();
            }
            int codePoint = untrusted.codePointAt(i);
            boolean printable = !Character.isISOControl(codePoint)
                    && Character.getType(codePoint) != Character.SURROGATE;
            out.appendCodePoint(printable ? codePoint : '?');
            count++;
        }
        return out.toString();
    }

    /** True when every surrogate in {@code text} is half of a pair, so the text has a UTF-8 form. */
    static boolean isWellFormedUtf16(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The length of {@code text} in UTF-8, without encoding it. Assumes well-formed UTF-16. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
