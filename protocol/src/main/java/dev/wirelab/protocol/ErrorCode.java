package dev.wirelab.protocol;

/**
 * Stable, machine-readable reasons a request was refused or a connection ended. Replies carry one
 * in {@link Reply.Failed}; codecs carry one in {@link CodecException}. The names follow
 * {@code reference/limits-and-bad-input.md}.
 */
public enum ErrorCode {
    /** The frame is not a message at all: not JSON, not a protobuf envelope, empty, trailing garbage. */
    INVALID_MESSAGE,
    /** The frame is not valid UTF-8; it is refused rather than laundered into U+FFFD. */
    INVALID_UTF8,
    /** JSON nested deeper than the configured depth. */
    TOO_DEEP,
    /** A field has the wrong type or an impossible value (a number where text belongs, a negative limit, ...). */
    INVALID_PARAMS,
    /** The command is not one this server knows (command names are exact and upper-case). */
    UNKNOWN_COMMAND,
    /** The command needs {@code data} (a name, a text) and got none. */
    MISSING_DATA,
    /** The command needs a registered user. */
    NOT_REGISTERED,
    /** This connection already has a name. */
    ALREADY_REGISTERED,
    /** Another user has this name (names are compared case-insensitively). */
    NAME_TAKEN,
    /** The name breaks the naming rules (letters, digits, {@code _} and {@code -}; starts with a letter). */
    INVALID_NAME,
    /** Wrong name or password; the same code for both, so names cannot be probed. */
    AUTH_FAILED,
    /** The text is longer than the configured maximum. */
    MESSAGE_TOO_LONG,
    /** The frame is longer than the configured maximum. */
    FRAME_TOO_LARGE,
    /** The client sends faster than its allowance. */
    RATE_LIMITED,
    /** The server is busy (for example with password hashing); try again later. */
    TRY_AGAIN,
    /** No such room. */
    UNKNOWN_ROOM,
    /** No such user online. */
    UNKNOWN_USER,
    /** The user is not in that room. */
    NOT_IN_ROOM,
    /** The history cursor names a message this room does not have. */
    UNKNOWN_MESSAGE_ID,
    /** The request is well formed but not allowed for this user. */
    FORBIDDEN,
    /** The client did not read its messages fast enough; its send queue overflowed. */
    SENDQ_EXCEEDED,
    /** The connection was idle for too long. */
    IDLE_TIMEOUT,
    /** The client did not register in time. */
    REGISTRATION_TIMEOUT,
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN,
    /** The server failed; the request may or may not have taken effect. */
    INTERNAL_ERROR,
    /** The reply named no code: a failure in the seed's shape, which has none. */
    UNSPECIFIED
}
