package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The engine's packet format: what {@link ReliableEngine} puts inside the socket layer's DATA
 * datagrams. Encoding writes into one packet-sized buffer; decoding never throws and never
 * allocates more than the packet's own size, whatever the bytes.
 *
 * <h2>Packet</h2>
 * All integers marked (v) are QUIC varints ({@link Varint}); the others are big-endian.
 * <pre>
 *  0               1
 * +---------------+-------------------------+==================+---------------+
 * | version = 1   | packet number (v)       | frames ...       | CRC32C (32)   |
 * +---------------+-------------------------+==================+---------------+
 * </pre>
 * <ul>
 *   <li><b>version</b>: 1. A packet with another version is dropped as bad.</li>
 *   <li><b>packet number</b>: 0, 1, 2, ... per direction, never reused: a retransmission goes into a
 *       new packet, so every acknowledgement gives a clean RTT sample (QUIC).</li>
 *   <li><b>CRC32C</b>: over everything before it. A corrupted packet is dropped as bad, so a flipped
 *       bit becomes a loss instead of wrong data or a false acknowledgement.</li>
 *   <li>At least one frame; at most one ACK frame.</li>
 * </ul>
 *
 * <h2>Frames</h2>
 * <pre>
 * PING (ack-eliciting, keepalive and probe)
 * +------+
 * | 0x01 |
 * +------+
 *
 * ACK (not ack-eliciting)
 * +------+-------------+---------------+-----------------+---------------+
 * | 0x02 | largest (v) | ack delay (v) | window msgs (v) | window B (v)  |
 * +------+-------------+---------------+-----------------+---------------+
 * | extra range count (v) | first range (v) | [gap (v), range (v)] ...   |
 * +-----------------------+-----------------+----------------------------+
 *
 * DATA (ack-eliciting)
 * +-----------+---------+---------+------------------------------+------------+=========+
 * | 0x10|D|F  | channel | seq (v) | frag index (16), count (16)  | length (v) | payload |
 * |           |  (8)    |         | only when F is set           |            |         |
 * +-----------+---------+---------+------------------------------+------------+=========+
 *   D (bits 0-1): 0 UNRELIABLE, 1 SEQUENCED, 2 RELIABLE, 3 RELIABLE_ORDERED;  F (0x04): fragmented
 * </pre>
 * <ul>
 *   <li>ACK, as QUIC's: {@code largest} acknowledged packet; {@code ack delay} in microseconds
 *       between receiving it and sending this ACK; the receiver's windows (how many messages past
 *       the first missing one a channel accepts, and how many bytes of buffer are free); then the
 *       ranges, largest first: {@code first range} packets below {@code largest} are acknowledged
 *       too, then each {@code gap} is the number of unacknowledged packets minus 1 below the
 *       previous range, and each {@code range} the number of acknowledged packets minus 1.</li>
 *   <li>DATA: one message, or one fragment of it. {@code seq} numbers messages per channel and per
 *       delivery mode (each pair is its own sequence space); every fragment of a message carries the
 *       message's {@code seq}, its index and the fragment count.</li>
 * </ul>
 */
final class PacketCodec {

    static final int VERSION = 1;
    static final int CRC_BYTES = 4;
    /** Version, the longest packet number, CRC. */
    static final int PACKET_OVERHEAD_MAX = 1 + 8 + CRC_BYTES;
    /** Room kept beside a full-size fragment for an ACK with a range or two. */
    static final int ACK_RESERVE = 32;
    /** Type, channel, the longest seq, fragment index and count, a 2-byte length. */
    static final int DATA_HEADER_MAX = 1 + 1 + 8 + 4 + 2;
    /** Most ACK ranges a decoded ACK may have. */
    static final int MAX_DECODED_RANGES = 256;
    /** Smallest decodable packet: version, a 1-byte packet number, one PING, CRC. */
    static final int MIN_PACKET_BYTES = 1 + 1 + 1 + CRC_BYTES;

    static final int TYPE_PING = 0x01;
    static final int TYPE_ACK = 0x02;
    static final int TYPE_DATA = 0x10;
    static final int FLAG_FRAGMENTED = 0x04;

    private PacketCodec() {
    }

    /**
     * A decoded ACK frame.
     *
     * @param ranges         acknowledged ranges, largest first, disjoint and descending
     * @param ackDelayMicros the peer's delay between receiving {@code largest()} and sending this
     * @param windowMessages how far past the first missing message a channel of the peer accepts
     * @param windowBytes    bytes of buffer the peer has free
     */
    record AckFrame(List<AckRanges.Range> ranges, long ackDelayMicros, long windowMessages, long windowBytes) {
        AckFrame {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("an ACK frame has at least one range");
            }
        }

        long largest() {
            return ranges.get(0).largest();
        }
    }

    /**
     * A decoded DATA frame: a whole message ({@code fragmentCount == 1}) or one fragment of it.
     *
     * @param delivery      the message's delivery mode
     * @param channel       its channel
     * @param seq           its number in the (channel, delivery) sequence space
     * @param fragmentIndex this fragment's index, 0-based
     * @param fragmentCount how many fragments the message has
     * @param payload       this fragment's bytes
     */
    record DataFrame(Delivery delivery, int channel, long seq, int fragmentIndex, int fragmentCount, byte[] payload) {
        DataFrame {
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(payload, "payload");
            if (fragmentCount < 1 || fragmentIndex < 0 || fragmentIndex >= fragmentCount) {
                throw new IllegalArgumentException("fragment " + fragmentIndex + " of " + fragmentCount);
            }
        }

        boolean fragmented() {
            return fragmentCount > 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DataFrame d && d.delivery == delivery && d.channel == channel && d.seq == seq
                    && d.fragmentIndex == fragmentIndex && d.fragmentCount == fragmentCount
                    && Arrays.equals(d.payload, payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(delivery, channel, seq, fragmentIndex, fragmentCount) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Data[" + delivery + " ch" + channel + " #" + seq + " " + fragmentIndex + "/" + fragmentCount
                    + " " + payload.length + "B]";
        }
    }

    /**
     * A decoded packet.
     *
     * @param number its packet number
     * @param ack    its ACK frame, if any
     * @param data   its DATA frames, in packet order
     * @param ping   whether it holds a PING frame
     */
    record Packet(long number, Optional<AckFrame> ack, List<DataFrame> data, boolean ping) {
        Packet {
            Objects.requireNonNull(ack, "ack");
            data = List.copyOf(data);
        }

        /** Whether the receiver must acknowledge it (it holds anything but an ACK). */
        boolean ackEliciting() {
            return ping || !data.isEmpty();
        }
    }

    /** What {@link #decode} made of some bytes. */
    sealed interface Decoded {
        /** A well-formed packet. */
        record Ok(Packet packet) implements Decoded {
        }

        /** Bytes that are not a packet this engine accepts, and why. */
        record Bad(String reason) implements Decoded {
        }
    }

    // ------------------------------------------------------------------------------------ decoding

    /**
     * Decodes one packet. Never throws on any content; the returned frames own their bytes.
     *
     * @param channels the receiver's channel count: DATA on a higher channel makes the packet bad
     */
    static Decoded decode(byte[] buf, int offset, int length, int channels) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            return new Decoded.Bad("bounds");
        }
        if (length < MIN_PACKET_BYTES) {
            return new Decoded.Bad("truncated");
        }
        int end = offset + length - CRC_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(buf, offset, end - offset);
        int stored = ((buf[end] & 0xFF) << 24) | ((buf[end + 1] & 0xFF) << 16) | ((buf[end + 2] & 0xFF) << 8)
                | (buf[end + 3] & 0xFF);
        if ((int) crc.getValue() != stored) {
            return new Decoded.Bad("checksum");
        }
        if ((buf[offset] & 0xFF) != VERSION) {
            return new Decoded.Bad("version " + (buf[offset] & 0xFF));
        }
        Varint.Reader r = new Varint.Reader(buf, offset + 1, end);
        long number = r.varint();
        if (number < 0) {
            return new Decoded.Bad("packet number");
        }
        Optional<AckFrame> ack = Optional.empty();
        List<DataFrame> data = new ArrayList<>();
        boolean ping = false;
        boolean any = false;
        while (r.remaining() > 0) {
            int type = r.u8();
            any = true;
            if (type == TYPE_PING) {
                ping = true;
            } else if (type == TYPE_ACK) {
                if (ack.isPresent()) {
                    return new Decoded.Bad("two ACK frames");
                }
                Decoded.Bad[] bad = new Decoded.Bad[1];
                ack = decodeAck(r, bad);
                if (ack.isEmpty()) {
                    return bad[0];
                }
            } else if ((type & 0xF8) == TYPE_DATA) {
                int channel = r.u8();
                long seq = r.varint();
                int index = 0;
                int count = 1;
                if ((type & FLAG_FRAGMENTED) != 0) {
                    index = r.u16();
                    count = r.u16();
                }
                long len = r.varint();
                if (r.failed()) {
                    return new Decoded.Bad("truncated DATA frame");
                }
                if (channel >= channels) {
                    return new Decoded.Bad("channel " + channel + " of " + channels);
                }
                if (count < 1 || index >= count) {
                    return new Decoded.Bad("fragment " + index + " of " + count);
                }
                byte[] payload = r.bytes(len);
                if (r.failed()) {
                    return new Decoded.Bad("DATA length " + len + " beyond the packet");
                }
                data.add(new DataFrame(delivery(type & 0x03), channel, seq, index, count, payload));
            } else {
                return new Decoded.Bad("unknown frame type 0x" + Integer.toHexString(type));
            }
        }
        if (!any) {
            return new Decoded.Bad("no frames");
        }
        return new Decoded.Ok(new Packet(number, ack, data, ping));
    }

    private static Optional<AckFrame> decodeAck(Varint.Reader r, Decoded.Bad[] bad) {
        long largest = r.varint();
        long delay = r.varint();
        long windowMessages = r.varint();
        long windowBytes = r.varint();
        long extra = r.varint();
        long first = r.varint();
        if (r.failed()) {
            bad[0] = new Decoded.Bad("truncated ACK frame");
            return Optional.empty();
        }
        if (extra >= MAX_DECODED_RANGES) {
            bad[0] = new Decoded.Bad("ACK with " + extra + " extra ranges");
            return Optional.empty();
        }
        if (first > largest) {
            bad[0] = new Decoded.Bad("ACK first range below zero");
            return Optional.empty();
        }
        List<AckRanges.Range> ranges = new ArrayList<>((int) extra + 1);
        long smallest = largest - first;
        ranges.add(new AckRanges.Range(smallest, largest));
        for (long i = 0; i < extra; i++) {
            long gap = r.varint();
            long length = r.varint();
            if (r.failed()) {
                bad[0] = new Decoded.Bad("truncated ACK range");
                return Optional.empty();
            }
            long high = smallest - gap - 2;
            long low = high - length;
            if (high < 0 || low < 0) {
                bad[0] = new Decoded.Bad("ACK range below zero");
                return Optional.empty();
            }
            ranges.add(new AckRanges.Range(low, high));
            smallest = low;
        }
        return Optional.of(new AckFrame(ranges, delay, windowMessages, windowBytes));
    }

    static Delivery delivery(int code) {
        return switch (code) {
            case 0 -> Delivery.UNRELIABLE;
            case 1 -> Delivery.SEQUENCED;
            case 2 -> Delivery.RELIABLE;
            default -> Delivery.RELIABLE_ORDERED;
        };
    }

    static int code(Delivery delivery) {
        return switch (delivery) {
            case UNRELIABLE -> 0;
            case SEQUENCED -> 1;
            case RELIABLE -> 2;
            case RELIABLE_ORDERED -> 3;
        };
    }

    /** Bytes a DATA frame with this header and payload length takes. */
    static int dataFrameBytes(long seq, boolean fragmented, int payloadLength) {
        return 1 + 1 + Varint.size(seq) + (fragmented ? 4 : 0) + Varint.size(payloadLength) + payloadLength;
    }

    // ------------------------------------------------------------------------------------ encoding

    /** Builds one packet in a buffer of the packet size limit. Not reusable after {@link #finish()}. */
    static final class Writer {
        private final byte[] buf;
        private final int limit;
        private int pos;
        private boolean ackEliciting;
        private boolean hasAck;
        private int frames;

        Writer(int maxPacketBytes, long packetNumber) {
            this.buf = new byte[maxPacketBytes];
            this.limit = maxPacketBytes - CRC_BYTES;
            buf[0] = (byte) VERSION;
            pos = Varint.write(buf, 1, packetNumber);
        }

        int remaining() {
            return limit - pos;
        }

        boolean ackEliciting() {
            return ackEliciting;
        }

        boolean hasAck() {
            return hasAck;
        }

        boolean isEmpty() {
            return frames == 0;
        }

        void writePing() {
            if (remaining() < 1) {
                throw new IllegalStateException("no room for PING");
            }
            buf[pos++] = (byte) TYPE_PING;
            ackEliciting = true;
            frames++;
        }

        /**
         * Writes an ACK with as many of {@code ranges} (largest first) as fit in {@code budget} bytes.
         *
         * @return whether it was written (false if not even the first range fits)
         */
        boolean writeAck(List<AckRanges.Range> ranges, long ackDelayMicros, long windowMessages, long windowBytes,
                int budget) {
            if (ranges.isEmpty()) {
                return false;
            }
            int room = Math.min(budget, remaining());
            AckRanges.Range top = ranges.get(0);
            int base = 1 + Varint.size(top.largest()) + Varint.size(ackDelayMicros) + Varint.size(windowMessages)
                    + Varint.size(windowBytes) + Varint.size(top.largest() - top.smallest());
            if (base + 1 > room) {
                return false;
            }
            int count = 1;
            int pairs = 0;
            long smallest = top.smallest();
            for (int i = 1; i < ranges.size(); i++) {
                AckRanges.Range next = ranges.get(i);
                int add = Varint.size(smallest - next.largest() - 2) + Varint.size(next.largest() - next.smallest());
                if (base + Varint.size(count) + pairs + add > room) {
                    break;
                }
                pairs += add;
                count++;
                smallest = next.smallest();
            }
            buf[pos++] = (byte) TYPE_ACK;
            pos = Varint.write(buf, pos, top.largest());
            pos = Varint.write(buf, pos, ackDelayMicros);
            pos = Varint.write(buf, pos, windowMessages);
            pos = Varint.write(buf, pos, windowBytes);
            pos = Varint.write(buf, pos, count - 1);
            pos = Varint.write(buf, pos, top.largest() - top.smallest());
            smallest = top.smallest();
            for (int i = 1; i < count; i++) {
                AckRanges.Range next = ranges.get(i);
                pos = Varint.write(buf, pos, smallest - next.largest() - 2);
                pos = Varint.write(buf, pos, next.largest() - next.smallest());
                smallest = next.smallest();
            }
            hasAck = true;
            frames++;
            return true;
        }

        /** Writes one DATA frame; the caller has checked {@link #dataFrameBytes} against {@link #remaining()}. */
        void writeData(Delivery delivery, int channel, long seq, int fragmentIndex, int fragmentCount,
                byte[] payload, int payloadOffset, int payloadLength) {
            boolean fragmented = fragmentCount > 1;
            if (dataFrameBytes(seq, fragmented, payloadLength) > remaining()) {
                throw new IllegalStateException("no room for a DATA frame of " + payloadLength + " bytes");
            }
            buf[pos++] = (byte) (TYPE_DATA | code(delivery) | (fragmented ? FLAG_FRAGMENTED : 0));
            buf[pos++] = (byte) channel;
            pos = Varint.write(buf, pos, seq);
            if (fragmented) {
                buf[pos++] = (byte) (fragmentIndex >>> 8);
                buf[pos++] = (byte) fragmentIndex;
                buf[pos++] = (byte) (fragmentCount >>> 8);
                buf[pos++] = (byte) fragmentCount;
            }
            pos = Varint.write(buf, pos, payloadLength);
            System.arraycopy(payload, payloadOffset, buf, pos, payloadLength);
            pos += payloadLength;
            ackEliciting = true;
            frames++;
        }

        /** Appends the CRC and returns the packet's bytes. */
        byte[] finish() {
            CRC32C crc = new CRC32C();
            crc.update(buf, 0, pos);
            int v = (int) crc.getValue();
            buf[pos] = (byte) (v >>> 24);
            buf[pos + 1] = (byte) (v >>> 16);
            buf[pos + 2] = (byte) (v >>> 8);
            buf[pos + 3] = (byte) v;
            return Arrays.copyOf(buf, pos + CRC_BYTES);
        }
    }
}
