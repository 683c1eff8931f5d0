package dev.wirelab.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Splits a stream at {@code '\n'}, dropping one {@code '\r'} before it (NDJSON accepts both). */
final class LineFrameDecoder implements FrameDecoder {

    private static final int INITIAL_CAPACITY = 256;

    private final int maxFrameBytes;
    private final long discardLimit;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int size;
    /** Bytes of an oversize line skipped so far; negative when not skipping. */
    private long discarded = -1;
    /** Whether the last byte skipped was a '\r'. */
    private boolean skippedCr;
    private boolean broken;

    LineFrameDecoder(int maxFrameBytes, long discardLimit) {
        this.maxFrameBytes = maxFrameBytes;
        this.discardLimit = discardLimit;
    }

    @Override
    public List<Decoded> feed(byte[] bytes, int offset, int length) {
        List<Decoded> out = new ArrayList<>(2);
        int i = offset;
        int end = offset + length;
        while (i < end && !broken) {
            int newline = indexOfNewline(bytes, i, end);
            int pieceEnd = newline < 0 ? end : newline;
            int piece = pieceEnd - i;
            if (discarded < 0 && size + piece > maxFrameBytes + 1) {
                // Over the limit even if the last byte is a '\r': stop buffering, start skipping.
                discarded = size;
                skippedCr = size > 0 && buffer[size - 1] == '\r';
                size = 0;
                buffer = new byte[INITIAL_CAPACITY];
            }
            if (discarded >= 0) {
                discarded += piece;
                if (piece > 0) {
                    skippedCr = bytes[pieceEnd - 1] == '\r';
                }
                if (discarded > discardLimit) {
                    // Checked before the newline, so the outcome does not depend on how reads are cut.
                    broken = true;
                    out.add(new Decoded.Broken("line of more than " + discardLimit + " bytes"));
                } else if (newline >= 0) {
                    // The '\r' of a "\r\n" ending is not part of the line.
                    out.add(new Decoded.Oversize(skippedCr ? discarded - 1 : discarded));
                    discarded = -1;
                    skippedCr = false;
                }
            } else {
                append(bytes, i, piece);
                if (newline >= 0) {
                    out.add(completeLine());
                }
            }
            i = newline < 0 ? end : newline + 1;
        }
        return out;
    }

    private Decoded completeLine() {
        int frameLength = size;
        if (frameLength > 0 && buffer[frameLength - 1] == '\r') {
            frameLength--;
        }
        size = 0;
        if (frameLength > maxFrameBytes) {
            return new Decoded.Oversize(frameLength);
        }
        return new Decoded.Complete(new Frame(Arrays.copyOf(buffer, frameLength)));
    }

    private void append(byte[] bytes, int from, int count) {
        if (size + count > buffer.length) {
            int capacity = Math.max(size + count, Math.min(buffer.length * 2, maxFrameBytes + 1));
            buffer = Arrays.copyOf(buffer, capacity);
        }
        System.arraycopy(bytes, from, buffer, size, count);
        size += count;
    }

    private static int indexOfNewline(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Optional<Decoded> finish() {
        if (broken || (size == 0 && discarded < 0)) {
            return Optional.empty();
        }
        long pending = discarded >= 0 ? discarded : size;
        broken = true;
        return Optional.of(new Decoded.Broken("stream ended inside a line (" + pending + " bytes without a newline)"));
    }

    @Override
    public boolean inFrame() {
        return !broken && (size > 0 || discarded >= 0);
    }

    @Override
    public int bufferedBytes() {
        return size;
    }
}
