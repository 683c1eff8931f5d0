package dev.wirelab.transport;

import java.io.EOFException;
import java.util.Objects;

/**
 * The connection has ended; {@link #reason()} says how. Thrown by {@code receive()} once every frame
 * that arrived before the end has been read, and by {@code send()} after the end.
 */
public final class ConnectionClosedException extends EOFException {

    private static final long serialVersionUID = 1L;

    private final CloseReason reason;

    public ConnectionClosedException(CloseReason reason, String detail) {
        super(detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public CloseReason reason() {
        return reason;
    }
}
