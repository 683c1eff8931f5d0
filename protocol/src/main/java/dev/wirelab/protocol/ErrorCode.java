package dev.wirelab.protocol;

/**
 * Stable, machine-readable reasons a request was refused or a connection ended. Replies carry one
 * in {@link Reply.Failed}; codecs carry one in {@link CodecException}.
 *
 * <p>The names follow the codes proposed in {@code reference/limits-and-bad-input.md} (its feature
 * table, §2 and the bad-input cases of §5) except where this table says otherwise. Every code the
 * reference proposes for wirelab, and what wirelab uses instead:
 *
 * <table>
 *   <caption>Reference code to wirelab code</caption>
 *   <tr><th>reference</th><th>wirelab</th><th>why it differs</th></tr>
 *   <tr><td>{@code INVALID_JSON}</td><td>{@link #INVALID_MESSAGE}</td><td>one code for "this frame is not
 *       a message" in every codec (the protobuf codec has no JSON); it also covers a byte order mark,
 *       which case 9 files under {@code INVALID_UTF8}, and {@code NaN} or {@code Infinity} in a numeric
 *       field, which case 12 files under {@code INVALID_PARAMS}: neither is JSON (RFC 8259 §8.1, §6), so the
 *       line fails to parse before any field is looked at</td></tr>
 *   <tr><td>{@code EMPTY}</td><td>{@link #INVALID_MESSAGE}</td><td>an empty or blank line is answered like
 *       any other line that is not a message, as the seed answers it, so a seed client still gets exactly
 *       one reply per line; no client needs to act differently on it</td></tr>
 *   <tr><td>{@code INVALID_UTF8}</td><td>{@link #INVALID_UTF8}</td><td>same (but see the byte order mark
 *       above)</td></tr>
 *   <tr><td>{@code TOO_DEEP}</td><td>{@link #TOO_DEEP}</td><td>same</td></tr>
 *   <tr><td>{@code INVALID_PARAMS}</td><td>{@link #INVALID_PARAMS}</td><td>same (but see {@code NaN}
 *       above)</td></tr>
 *   <tr><td>{@code UNKNOWN_COMMAND}</td><td>{@link #UNKNOWN_COMMAND}</td><td>same</td></tr>
 *   <tr><td>{@code NOT_REGISTERED}</td><td>{@link #NOT_REGISTERED}</td><td>same</td></tr>
 *   <tr><td>{@code ALREADY_REGISTERED}</td><td>{@link #ALREADY_REGISTERED}</td><td>same</td></tr>
 *   <tr><td>{@code NAME_TAKEN}</td><td>{@link #NAME_TAKEN}</td><td>same</td></tr>
 *   <tr><td>{@code INVALID_NICK}</td><td>{@link #INVALID_NAME}</td><td>wirelab says "name" everywhere
 *       ({@code REGISTER}'s data, {@code Limits.maxNameLength}); "nick" is IRC's word</td></tr>
 *   <tr><td>{@code AUTH_FAILED}</td><td>{@link #AUTH_FAILED}</td><td>same</td></tr>
 *   <tr><td>{@code TRY_AGAIN}</td><td>{@link #TRY_AGAIN}</td><td>same</td></tr>
 *   <tr><td>{@code MESSAGE_TOO_LONG}</td><td>{@link #MESSAGE_TOO_LONG}</td><td>same</td></tr>
 *   <tr><td>{@code FRAME_TOO_LARGE}</td><td>{@link #FRAME_TOO_LARGE}</td><td>same</td></tr>
 *   <tr><td>{@code RATE_LIMITED}</td><td>{@link #RATE_LIMITED}</td><td>same</td></tr>
 *   <tr><td>{@code SENDQ_EXCEEDED}</td><td>{@link #SENDQ_EXCEEDED}</td><td>same</td></tr>
 *   <tr><td>{@code UNKNOWN_MSGID}</td><td>{@link #UNKNOWN_MESSAGE_ID}</td><td>spelled out, as
 *       {@link MessageId} is</td></tr>
 *   <tr><td>{@code FORBIDDEN}</td><td>{@link #FORBIDDEN}</td><td>same</td></tr>
 * </table>
 *
 * <p>Codes the reference only quotes from other protocols have no code of their own here: IRCv3's
 * {@code INVALID_TARGET} is {@link #UNKNOWN_ROOM} or {@link #UNKNOWN_USER}, {@code ACCOUNT_EXISTS} is
 * {@link #NAME_TAKEN}, {@code BAD_ACCOUNT_NAME} is {@link #INVALID_NAME}, {@code WEAK_PASSWORD} and
 * {@code UNACCEPTABLE_PASSWORD} are {@link #INVALID_PARAMS} (a password outside 8-128 characters);
 * Matrix's {@code M_LIMIT_EXCEEDED} is {@link #RATE_LIMITED}; IRC's 417 {@code ERR_INPUTTOOLONG} is
 * {@link #FRAME_TOO_LARGE}. Codes with no reference name: {@link #MISSING_DATA} (the seed's "requires
 * data"), {@link #UNKNOWN_ROOM}, {@link #UNKNOWN_USER}, {@link #NOT_IN_ROOM}, {@link #IDLE_TIMEOUT},
 * {@link #REGISTRATION_TIMEOUT}, {@link #SERVER_SHUTTING_DOWN}, {@link #INTERNAL_ERROR} and
 * {@link #UNSPECIFIED}. {@code docs/protocol-json.md} §6 gives the same table with the decoding cases.
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
