package dev.wirelab.transport.udp;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the
 * length (1, 2, 4 or 8 bytes), the rest is the value, big-endian.
 *
 * <pre>
 *   00xxxxxx                         0 ..         63
 *   01xxxxxx xxxxxxxx                0 ..     16 383
 *   10xxxxxx + 3 bytes               0 .. 1 073 741 823
 *   11xxxxxx + 7 bytes               0 .. 2^62 - 1
 * </pre>
 */
final class Varint {

    /** The largest value a varint holds. */
    static final long MAX = (1L << 62) - 1;

    private Varint() {
    }

    /** Bytes {@code value} takes. */
    static int size(long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("varint out of range: " + value);
        }
        if (value < 64) {
            return 1;
        }
        if (value < 16384) {
            return 2;
        }
        if (value < (1L << 30)) {
            return 4;
        }
        return 8;
    }

    /** Writes {@code value} at {@code pos}; returns the position after it. */
    static int write(byte[] buf, int pos, long value) {
        int size = size(value);
        long prefix = switch (size) {
            case 1 -> 0L;
            case 2 -> 1L;
            case 4 -> 2L;
            default -> 3L;
        };
        long v = value | (prefix << (size * 8 - 2));
        for (int i = size - 1; i >= 0; i--) {
            buf[pos + i] = (byte) v;
            v >>>= 8;
        }
        return pos + size;
    }

    /**
     * A cursor over received bytes that never throws: every read returns -1 (never a valid value)
     * once the bytes run out, and stays failed.
     */
    static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;
        private boolean failed;

        Reader(byte[] buf, int offset, int end) {
            this.buf = buf;
            this.pos = offset;
            this.end = end;
        }

        int position() {
            return pos;
        }

        int remaining() {
            return end - pos;
        }

        boolean failed() {
            return failed;
        }

        /** A varint, or -1 if truncated. */
        long varint() {
            if (failed || pos >= end) {
                return fail();
            }
            int first = buf[pos] & 0xFF;
            int size = 1 << (first >>> 6);
            if (end - pos < size) {
                return fail();
            }
            long v = first & 0x3F;
            for (int i = 1; i < size; i++) {
                v = (v << 8) | (buf[pos + i] & 0xFF);
            }
            pos += size;
            return v;
        }

        /** One unsigned byte, or -1. */
        int u8() {
            if (failed || pos >= end) {
                return (int) fail();
            }
            return buf[pos++] & 0xFF;
        }

        /** One unsigned big-endian 16-bit value, or -1. */
        int u16() {
            if (failed || end - pos < 2) {
                return (int) fail();
            }
            int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        /** A copy of the next {@code length} bytes, or an empty array and a failed reader. */
        byte[] bytes(long length) {
            if (failed || length < 0 || length > end - pos) {
                fail();
                return new byte[0];
            }
            byte[] out = new byte[(int) length];
            System.arraycopy(buf, pos, out, 0, out.length);
            pos += out.length;
            return out;
        }

        private long fail() {
            failed = true;
            return -1;
        }
    }
}
