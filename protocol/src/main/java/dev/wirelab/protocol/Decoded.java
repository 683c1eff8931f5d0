package dev.wirelab.protocol;

import java.util.Objects;

/** What a {@link FrameDecoder} found in the bytes fed to it. */
public sealed interface Decoded {

    /** A whole frame. */
    record Complete(Frame frame) implements Decoded {
        public Complete {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /**
     * A frame over the limit was skipped without being buffered; the stream is still in step, so
     * the peer can be told and the connection kept.
     *
     * @param length the skipped frame's length in bytes
     */
    record Oversize(long length) implements Decoded {
    }

    /**
     * The stream cannot be followed any more (a negative length, a frame past the discard limit, or
     * the stream ended inside a frame). The connection must be closed.
     *
     * @param reason what went wrong, for the log and the peer
     */
    record Broken(String reason) implements Decoded {
        public Broken {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
