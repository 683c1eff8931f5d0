package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The payload of a CLOSE datagram, behind a {@link PacketHeader}: how many reliable messages the
 * closing side was offered on each reliable stream ({@link ReliableEngine#reliableOffered()}), so
 * the peer can tell whether it has everything sent before the close. Pure.
 *
 * <pre>
 * CLOSE   (either side; header id = the connection id)
 *         +-----------+---------------------------------------------------------+
 *         | count     | count x ( channel (1) | delivery (1) | messages (varint)) |
 *         | (varint)  |                                                         |
 *         +-----------+---------------------------------------------------------+
 * </pre>
 *
 * <p>{@code delivery} is the engine's code ({@code RELIABLE} or {@code RELIABLE_ORDERED}); a
 * stream nothing reliable was sent on is left out, so a connection that only ever used channel 0
 * says at most two counts. An empty payload (or one that does not parse) promises nothing: the
 * receiver ends at once, as if every count were met.
 */
final class CloseMessage {

    /** Counts a CLOSE may carry: two reliable modes on every channel. */
    static final int MAX_COUNTS = 2 * EngineConfig.CHANNELS_MAX;

    private CloseMessage() {
    }

    /** A CLOSE datagram for {@code connectionId} carrying {@code offered}. */
    static byte[] encode(long connectionId, List<ReliableEngine.StreamCount> offered) {
        if (offered.size() > MAX_COUNTS) {
            throw new IllegalArgumentException("too many stream counts: " + offered.size());
        }
        int size = Varint.size(offered.size());
        for (ReliableEngine.StreamCount c : offered) {
            size += 2 + Varint.size(c.messages());
        }
        byte[] body = new byte[size];
        int pos = Varint.write(body, 0, offered.size());
        for (ReliableEngine.StreamCount c : offered) {
            body[pos++] = (byte) c.channel();
            body[pos++] = (byte) PacketCodec.code(c.delivery());
            pos = Varint.write(body, pos, c.messages());
        }
        return PacketHeader.encode(PacketHeader.Type.CLOSE, connectionId, body);
    }

    /**
     * The counts a CLOSE payload carries: an empty list for an empty payload, nothing for one that
     * does not parse (a count over {@link #MAX_COUNTS}, a channel over 255, an unreliable or unknown
     * delivery, a truncated or over-long payload).
     */
    static Optional<List<ReliableEngine.StreamCount>> parse(byte[] datagram, int offset, int length) {
        if (length == 0) {
            return Optional.of(List.of());
        }
        Varint.Reader r = new Varint.Reader(datagram, offset, offset + length);
        long count = r.varint();
        if (count < 0 || count > MAX_COUNTS) {
            return Optional.empty();
        }
        List<ReliableEngine.StreamCount> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            int channel = r.u8();
            int code = r.u8();
            long messages = r.varint();
            if (r.failed() || (code != PacketCodec.code(Delivery.RELIABLE)
                    && code != PacketCodec.code(Delivery.RELIABLE_ORDERED))) {
                return Optional.empty();
            }
            out.add(new ReliableEngine.StreamCount(channel, PacketCodec.delivery(code), messages));
        }
        return r.remaining() == 0 ? Optional.of(out) : Optional.empty();
    }
}
