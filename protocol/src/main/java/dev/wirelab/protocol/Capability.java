package dev.wirelab.protocol;

/**
 * What a client asks for in {@link Request.Hello} and a server grants in {@link Reply.Negotiated}.
 * A client that never says hello has none of them: it is treated as a seed client and receives
 * exactly one reply per request and nothing unsolicited.
 */
public enum Capability {
    /** Receive {@link Event}s: room messages, private messages, presence, server notices. */
    PUSH,
    /** Join and leave rooms other than the default one. */
    ROOMS,
    /** Send and receive private messages. */
    PRIVATE_MESSAGES,
    /** Page history by message id. */
    HISTORY_PAGING
}
