package dev.wirelab.protocol;

/**
 * How frames are delimited on a byte stream such as TCP. UDP needs none: one datagram is one frame.
 *
 * <pre>
 * Lines (JSON):          payload bytes ............ '\n'      ('\r\n' accepted on input)
 * LengthPrefixed (protobuf):
 *                        +--------+--------+--------+--------+---------------------+
 *                        |   length, 32-bit big-endian, >= 0  |  length bytes ...   |
 *                        +--------+--------+--------+--------+---------------------+
 * </pre>
 *
 * <p>{@link #maxFrameBytes()} bounds the payload, delimiter and prefix excluded. A frame over the
 * limit is never buffered: its bytes are skipped and reported as {@link Decoded.Oversize}, and the
 * stream stays in step; past {@link #discardLimit()} skipped bytes the decoder gives up with
 * {@link Decoded.Broken}. Both variants are pure and have nothing to do with sockets.
 */
public sealed interface Framing permits Framing.Lines, Framing.LengthPrefixed {

    /** How many times the frame limit a decoder will skip to resynchronise before giving up. */
    int DISCARD_FACTOR = 16;

    /** Newline-delimited frames, as the seed's JSON lines. */
    static Lines lines(int maxFrameBytes) {
        return new Lines(maxFrameBytes);
    }

    /** Frames behind a 4-byte big-endian length, the same for any binary codec. */
    static LengthPrefixed lengthPrefixed(int maxFrameBytes) {
        return new LengthPrefixed(maxFrameBytes);
    }

    /** A short name for reports: {@code lines} or {@code length-prefix}. */
    String name();

    /** The largest payload accepted or sent. */
    int maxFrameBytes();

    /** Bytes this framing adds to every frame on the wire. */
    int overheadBytes();

    /** A new decoder for one stream; decoders keep state and are not thread-safe. */
    FrameDecoder newDecoder();

    /**
     * The frame as it goes on the wire, delimiter or prefix included.
     *
     * @throws FrameTooLargeException if the frame is over {@link #maxFrameBytes()}
     */
    byte[] encode(Frame frame) throws FrameTooLargeException;

    /** Skipped bytes after which an oversize frame counts as an attack rather than a mistake. */
    default long discardLimit() {
        return (long) DISCARD_FACTOR * maxFrameBytes();
    }

    /** Newline-delimited frames. A payload may not contain {@code '\n'} nor end with {@code '\r'}. */
    record Lines(int maxFrameBytes) implements Framing {
        public Lines {
            Checks.positive(maxFrameBytes, "maxFrameBytes");
        }

        @Override
        public String name() {
            return "lines";
        }

        @Override
        public int overheadBytes() {
            return 1;
        }

        @Override
        public FrameDecoder newDecoder() {
            return new LineFrameDecoder(maxFrameBytes, discardLimit());
        }

        @Override
        public byte[] encode(Frame frame) throws FrameTooLargeException {
            byte[] payload = frame.bytes();
            if (payload.length > maxFrameBytes) {
                throw new FrameTooLargeException(payload.length, maxFrameBytes);
            }
            for (byte b : payload) {
                if (b == '\n') {
                    // A raw newline would split the frame in two on the peer's side: frame injection.
                    throw new IllegalArgumentException("a line frame must not contain a newline");
                }
            }
            if (payload.length > 0 && payload[payload.length - 1] == '\r') {
                // The peer would take it for half of a "\r\n" ending and drop it.
                throw new IllegalArgumentException("a line frame must not end with a carriage return");
            }
            byte[] wire = new byte[payload.length + 1];
            System.arraycopy(payload, 0, wire, 0, payload.length);
            wire[payload.length] = '\n';
            return wire;
        }
    }

    /** Frames behind a 4-byte big-endian length. */
    record LengthPrefixed(int maxFrameBytes) implements Framing {
        public LengthPrefixed {
            Checks.positive(maxFrameBytes, "maxFrameBytes");
        }

        @Override
        public String name() {
            return "length-prefix";
        }

        @Override
        public int overheadBytes() {
            return 4;
        }

        @Override
        public FrameDecoder newDecoder() {
            return new LengthPrefixFrameDecoder(maxFrameBytes, discardLimit());
        }

        @Override
        public byte[] encode(Frame frame) throws FrameTooLargeException {
            byte[] payload = frame.bytes();
            if (payload.length > maxFrameBytes) {
                throw new FrameTooLargeException(payload.length, maxFrameBytes);
            }
            byte[] wire = new byte[payload.length + 4];
            int n = payload.length;
            wire[0] = (byte) (n >>> 24);
            wire[1] = (byte) (n >>> 16);
            wire[2] = (byte) (n >>> 8);
            wire[3] = (byte) n;
            System.arraycopy(payload, 0, wire, 4, n);
            return wire;
        }
    }
}
