package dev.wirelab.protocol;

import java.util.List;
import java.util.Optional;

/**
 * Cuts frames out of a byte stream fed to it in pieces of any size: one byte at a time, or many
 * frames in one read. One decoder serves one stream, from one thread.
 *
 * <p>It buffers at most one frame's worth of bytes ({@link Framing#maxFrameBytes()} plus a
 * delimiter), whatever the peer sends. After it has reported {@link Decoded.Broken} it ignores
 * further input.
 */
public interface FrameDecoder {

    /** Feeds bytes; returns what they completed, in stream order (often nothing). */
    List<Decoded> feed(byte[] bytes, int offset, int length);

    /** Feeds a whole array. */
    default List<Decoded> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** The stream has ended: reports a frame left unfinished, if any. */
    Optional<Decoded> finish();

    /** Bytes held for a frame not yet complete. */
    int bufferedBytes();

    /**
     * Whether a frame has started and not yet ended: bytes are buffered, or an oversize frame is
     * being skipped (then {@link #bufferedBytes()} is 0). Readers time frames with it (slowloris).
     */
    boolean inFrame();
}
