package dev.wirelab.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a 4-byte big-endian length, checks it against the limit, and only then allocates the body.
 * (protobuf's {@code parseDelimitedFrom} checks nothing and would allocate what the peer asks.)
 */
final class LengthPrefixFrameDecoder implements FrameDecoder {

    private static final int HEADER_BYTES = 4;
    private static final byte[] EMPTY = new byte[0];

    private final int maxFrameBytes;
    private final long discardLimit;
    private final byte[] header = new byte[HEADER_BYTES];
    private int headerFilled;
    /** The body being filled, or null while reading a header. */
    private byte[] body;
    private int bodyFilled;
    private long discardRemaining;
    private long discardLength;
    private boolean broken;

    LengthPrefixFrameDecoder(int maxFrameBytes, long discardLimit) {
        this.maxFrameBytes = maxFrameBytes;
        this.discardLimit = discardLimit;
    }

    @Override
    public List<Decoded> feed(byte[] bytes, int offset, int length) {
        List<Decoded> out = new ArrayList<>(2);
        int i = offset;
        int end = offset + length;
        while (i < end && !broken) {
            if (discardRemaining > 0) {
                int n = (int) Math.min(discardRemaining, end - i);
                discardRemaining -= n;
                i += n;
                if (discardRemaining == 0) {
                    out.add(new Decoded.Oversize(discardLength));
                }
            } else if (body == null) {
                int n = Math.min(HEADER_BYTES - headerFilled, end - i);
                System.arraycopy(bytes, i, header, headerFilled, n);
                headerFilled += n;
                i += n;
                if (headerFilled == HEADER_BYTES) {
                    headerFilled = 0;
                    startFrame(out);
                }
            } else {
                int n = Math.min(body.length - bodyFilled, end - i);
                System.arraycopy(bytes, i, body, bodyFilled, n);
                bodyFilled += n;
                i += n;
                if (bodyFilled == body.length) {
                    out.add(new Decoded.Complete(new Frame(body)));
                    body = null;
                }
            }
        }
        return out;
    }

    private void startFrame(List<Decoded> out) {
        long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFFL) << 16)
                | ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
        if (length > Integer.MAX_VALUE || length > discardLimit) {
            broken = true;
            out.add(new Decoded.Broken("length prefix " + length + " is beyond any frame this peer may send"));
        } else if (length > maxFrameBytes) {
            discardLength = length;
            discardRemaining = length;
        } else if (length == 0) {
            out.add(new Decoded.Complete(new Frame(EMPTY.clone())));
        } else {
            body = new byte[(int) length];
            bodyFilled = 0;
        }
    }

    @Override
    public Optional<Decoded> finish() {
        if (broken || (headerFilled == 0 && body == null && discardRemaining == 0)) {
            return Optional.empty();
        }
        broken = true;
        String where = headerFilled > 0 ? "inside a length prefix (" + headerFilled + " of 4 bytes)"
                : body != null ? "inside a frame (" + bodyFilled + " of " + body.length + " bytes)"
                : "inside an oversize frame being skipped";
        return Optional.of(new Decoded.Broken("stream ended " + where));
    }

    @Override
    public boolean inFrame() {
        return !broken && (headerFilled > 0 || body != null || discardRemaining > 0);
    }

    @Override
    public int bufferedBytes() {
        return headerFilled + (body == null ? 0 : bodyFilled);
    }
}
