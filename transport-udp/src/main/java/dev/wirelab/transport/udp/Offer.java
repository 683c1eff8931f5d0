package dev.wirelab.transport.udp;

/**
 * What {@link ReliableEngine#send} did with a message: expected outcomes are values, not
 * exceptions (as Aeron's {@code Publication.offer} codes).
 */
public enum Offer {
    /** The engine took the message and will send it (and, for a reliable mode, repair it until acknowledged). */
    ACCEPTED,
    /**
     * The send buffer is full: too many messages or bytes are queued or unacknowledged, usually
     * because the congestion window or the peer's receive window holds them back. Nothing was
     * taken; try again after the engine has received acknowledgements.
     */
    BACK_PRESSURED,
    /** The message is larger than {@link EngineConfig#maxMessageBytes()}; it can never be sent. */
    TOO_LARGE
}
