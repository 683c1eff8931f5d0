package dev.wirelab.transport;

/** Why a connection ended, as {@link ConnectionClosedException} reports it. */
public enum CloseReason {
    /** The peer closed its side in an orderly way (TCP FIN, UDP close message, memory close). */
    PEER_CLOSED,
    /** This side closed the connection. */
    LOCAL_CLOSE,
    /** The peer vanished: reset, unreachable, or silent past the idle timeout. */
    LOST,
    /** The peer broke the framing so badly the stream cannot be followed. */
    PROTOCOL_VIOLATION
}
