package dev.wirelab.protocol;

import java.io.IOException;

/**
 * A frame is larger than the limit in force. When a peer sent it on a stream, the frame's bytes
 * were skipped without being buffered and the stream is still in step, so the connection stays
 * usable, unless the frame ran past {@link Framing#discardLimit()} without an end: then this is the
 * last frame-level news, the reader may still send a reply, and the next receive ends the connection.
 * When the local side tried to send it, nothing was sent.
 */
public final class FrameTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long length;
    private final int limit;

    public FrameTooLargeException(long length, int limit) {
        super("frame of " + length + " bytes exceeds the limit of " + limit + " bytes");
        this.length = length;
        this.limit = limit;
    }

    /** The frame's length in bytes, as far as it was counted. */
    public long length() {
        return length;
    }

    /** The limit it broke. */
    public int limit() {
        return limit;
    }
}
