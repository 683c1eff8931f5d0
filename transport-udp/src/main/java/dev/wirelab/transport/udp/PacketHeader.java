package dev.wirelab.transport.udp;

import java.util.zip.CRC32C;

/**
 * The outer header every wirelab datagram starts with, and the checks a datagram must pass before
 * anything else looks at it. Pure: no sockets, no state.
 *
 * <pre>
 *  0        1        2        3        4                                  12                 16
 * +--------+--------+--------+--------+-----------------------------------+------------------+----------
 * |  0x57  |  0x4C  |version |  type  |   connection id, 64-bit BE        | CRC-32C, 32-bit  | payload
 * |  'W'   |  'L'   |  = 1   |        |   (the client's nonce before      | BE, over bytes   | ...
 * |        |        |        |        |    ACCEPT; the server's id after) | 0-11 and 16-end  |
 * +--------+--------+--------+--------+-----------------------------------+------------------+----------
 * </pre>
 *
 * <p>The checksum catches what the in-process impairment corrupts (a real network's UDP checksum
 * would have dropped such a datagram in the kernel), so a corrupted datagram becomes a lost one
 * and never reaches the reliability engine. It is not a defence against an attacker: the
 * connection id and the cookie are.
 */
final class PacketHeader {

    /** Header bytes in front of every payload: what the engine's packet budget must leave room for. */
    static final int BYTES = 16;
    static final byte MAGIC_0 = 0x57;
    static final byte MAGIC_1 = 0x4C;
    static final byte VERSION = 1;

    private static final int TYPE_OFFSET = 3;
    private static final int ID_OFFSET = 4;
    private static final int CRC_OFFSET = 12;

    /** What a datagram is for; the number is its type byte. */
    enum Type {
        /** Client to server: asks for a cookie, or (carrying one) for a connection. Always padded. */
        HELLO(1),
        /** Server to client: the stateless cookie, only in reply to a padded HELLO without a valid one. */
        COOKIE(2),
        /** Server to client: the connection exists; the header carries its id. */
        ACCEPT(3),
        /** Either way, after ACCEPT: one reliability-engine packet. */
        DATA(4),
        /** Either way: the sender has closed the connection. Never answered. */
        CLOSE(5);

        private final byte code;

        Type(int code) {
            this.code = (byte) code;
        }

        byte code() {
            return code;
        }

        static Type of(byte code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            return null;
        }
    }

    /** A datagram that passed the header checks: its type, id, and where the payload lies in the buffer. */
    record Parsed(Type type, long connectionId, int payloadOffset, int payloadLength) {
    }

    private PacketHeader() {
    }

    /** A datagram: the header for {@code type} and {@code connectionId}, then {@code payload}, checksummed. */
    static byte[] encode(Type type, long connectionId, byte[] payload) {
        return encode(type, connectionId, payload, 0, payload.length, 0);
    }

    /**
     * A datagram of {@code payloadLength} bytes of {@code payload} followed by {@code padding} zero
     * bytes, behind the header for {@code type} and {@code connectionId}.
     */
    static byte[] encode(Type type, long connectionId, byte[] payload, int payloadOffset, int payloadLength,
            int padding) {
        byte[] datagram = new byte[BYTES + payloadLength + padding];
        datagram[0] = MAGIC_0;
        datagram[1] = MAGIC_1;
        datagram[2] = VERSION;
        datagram[TYPE_OFFSET] = type.code();
        putLong(datagram, ID_OFFSET, connectionId);
        System.arraycopy(payload, payloadOffset, datagram, BYTES, payloadLength);
        putInt(datagram, CRC_OFFSET, checksum(datagram, datagram.length));
        return datagram;
    }

    /**
     * Checks the first {@code length} bytes of {@code datagram}.
     *
     * @return the parsed header, or the reason to drop the datagram in silence
     */
    static Result parse(byte[] datagram, int length) {
        if (length < BYTES) {
            return new Result.Drop(UdpDrop.MALFORMED);
        }
        if (datagram[0] != MAGIC_0 || datagram[1] != MAGIC_1) {
            return new Result.Drop(UdpDrop.MALFORMED);
        }
        if (datagram[2] != VERSION) {
            return new Result.Drop(UdpDrop.BAD_VERSION);
        }
        Type type = Type.of(datagram[TYPE_OFFSET]);
        if (type == null) {
            return new Result.Drop(UdpDrop.MALFORMED);
        }
        if (getInt(datagram, CRC_OFFSET) != checksum(datagram, length)) {
            return new Result.Drop(UdpDrop.BAD_CHECKSUM);
        }
        return new Result.Ok(new Parsed(type, getLong(datagram, ID_OFFSET), BYTES, length - BYTES));
    }

    /** What {@link #parse} found. */
    sealed interface Result {
        record Ok(Parsed parsed) implements Result {
        }

        record Drop(UdpDrop reason) implements Result {
        }
    }

    static int checksum(byte[] datagram, int length) {
        CRC32C crc = new CRC32C();
        crc.update(datagram, 0, CRC_OFFSET);
        crc.update(datagram, BYTES, length - BYTES);
        return (int) crc.getValue();
    }

    static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    static long getLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    static int getInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | bytes[offset + 3] & 0xFF;
    }
}
