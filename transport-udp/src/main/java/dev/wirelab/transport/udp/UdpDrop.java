package dev.wirelab.transport.udp;

/**
 * Why a received datagram was dropped without a reply. The UDP transport answers no bad datagram
 * at all (no error message, so it can never be drawn into a loop or used as a reflector), so these
 * counts, read through {@link UdpTransport#counters()}, are the only trace that one arrived.
 */
public enum UdpDrop {
    /** Filled the receive buffer of {@code udpMaxDatagramBytes + 1}: larger than the limit, cut by the kernel. */
    OVERSIZE,
    /** Shorter than the header, wrong magic, unknown type, or a payload that does not fit its type. */
    MALFORMED,
    /** Right magic, another protocol version. */
    BAD_VERSION,
    /** The checksum does not match: corrupted on the way. */
    BAD_CHECKSUM,
    /** A type this side never accepts: a COOKIE or ACCEPT sent to a server, a HELLO sent to a client. */
    UNEXPECTED_TYPE,
    /** A HELLO shorter than the minimum: answering it could amplify a spoofed request. */
    HELLO_NOT_PADDED,
    /** A HELLO that would have earned a COOKIE or a repeated ACCEPT, over the per-source or global rate. */
    RATE_LIMITED,
    /** A cookie whose time bucket is neither the current nor the previous one. */
    STALE_COOKIE,
    /** A cookie that does not verify: forged, damaged, or minted for another address or nonce. */
    BAD_COOKIE,
    /** A valid cookie HELLO for a handshake already done: a replay (or a late copy). */
    REPLAYED_HELLO,
    /** A HELLO reaching a socket whose listener was closed, or a server at its connection limit. */
    NOT_ACCEPTING,
    /** DATA or CLOSE naming a connection id this side does not know. */
    UNKNOWN_CONNECTION,
    /** DATA or CLOSE for a connection that ended a moment ago (late or duplicated datagrams). */
    CLOSED_CONNECTION,
    /** A known connection id from another address (migration is not supported). */
    WRONG_ADDRESS,
    /** A client datagram before its handshake finished: a COOKIE or ACCEPT with another nonce, or early DATA. */
    BEFORE_ACCEPT
}
