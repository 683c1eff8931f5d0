package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.wirelab.transport.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class PacketCodecTest {

    private static final int CHANNELS = 8;

    private static AckRanges.Range r(long smallest, long largest) {
        return new AckRanges.Range(smallest, largest);
    }

    private static PacketCodec.Packet decodeOk(byte[] packet) {
        PacketCodec.Decoded d = PacketCodec.decode(packet, 0, packet.length, CHANNELS);
        assertThat(d).isInstanceOf(PacketCodec.Decoded.Ok.class);
        return ((PacketCodec.Decoded.Ok) d).packet();
    }

    private static String badReason(byte[] packet) {
        PacketCodec.Decoded d = PacketCodec.decode(packet, 0, packet.length, CHANNELS);
        assertThat(d).isInstanceOf(PacketCodec.Decoded.Bad.class);
        return ((PacketCodec.Decoded.Bad) d).reason();
    }

    /** Body bytes with a correct CRC32C appended, so the parser itself is exercised. */
    private static byte[] withCrc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        int v = (int) crc.getValue();
        byte[] out = Arrays.copyOf(body, body.length + 4);
        out[body.length] = (byte) (v >>> 24);
        out[body.length + 1] = (byte) (v >>> 16);
        out[body.length + 2] = (byte) (v >>> 8);
        out[body.length + 3] = (byte) v;
        return out;
    }

    private static byte[] samplePacket() {
        PacketCodec.Writer w = new PacketCodec.Writer(1184, 300);
        w.writeAck(List.of(r(90, 100), r(50, 80), r(3, 3)), 1234, 128, 65_000, 1000);
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        w.writeData(Delivery.RELIABLE_ORDERED, 3, 17, 0, 1, text, 0, text.length);
        w.writeData(Delivery.UNRELIABLE, 0, 70_000, 2, 5, new byte[] {9, 8, 7}, 0, 3);
        w.writePing();
        return w.finish();
    }

    @Test
    void varintsRoundTripAtEveryLengthBoundary() {
        long[] values = {0, 63, 64, 16_383, 16_384, (1L << 30) - 1, 1L << 30, Varint.MAX};
        int[] sizes = {1, 1, 2, 2, 4, 4, 8, 8};
        for (int i = 0; i < values.length; i++) {
            byte[] buf = new byte[8];
            int end = Varint.write(buf, 0, values[i]);
            assertThat(end).isEqualTo(sizes[i]).isEqualTo(Varint.size(values[i]));
            assertThat(new Varint.Reader(buf, 0, end).varint()).isEqualTo(values[i]);
        }
    }

    @Test
    void aTruncatedVarintReadsAsMinusOneAndFailsTheReader() {
        byte[] buf = new byte[8];
        Varint.write(buf, 0, 1L << 40);
        Varint.Reader reader = new Varint.Reader(buf, 0, 5);

        assertThat(reader.varint()).isEqualTo(-1);
        assertThat(reader.failed()).isTrue();
        assertThat(reader.u8()).isEqualTo(-1);
    }

    @Test
    void aPacketWithEveryFrameTypeRoundTrips() {
        PacketCodec.Packet p = decodeOk(samplePacket());

        assertThat(p.number()).isEqualTo(300);
        assertThat(p.ping()).isTrue();
        assertThat(p.ackEliciting()).isTrue();
        assertThat(p.ack()).hasValueSatisfying(a -> {
            assertThat(a.ranges()).containsExactly(r(90, 100), r(50, 80), r(3, 3));
            assertThat(a.largest()).isEqualTo(100);
            assertThat(a.ackDelayMicros()).isEqualTo(1234);
            assertThat(a.windowMessages()).isEqualTo(128);
            assertThat(a.windowBytes()).isEqualTo(65_000);
        });
        assertThat(p.data()).containsExactly(
                new PacketCodec.DataFrame(Delivery.RELIABLE_ORDERED, 3, 17, 0, 1,
                        "hello".getBytes(StandardCharsets.UTF_8)),
                new PacketCodec.DataFrame(Delivery.UNRELIABLE, 0, 70_000, 2, 5, new byte[] {9, 8, 7}));
    }

    @Test
    void everyDeliveryModeSurvivesTheWire() {
        for (Delivery d : Delivery.values()) {
            PacketCodec.Writer w = new PacketCodec.Writer(256, 0);
            w.writeData(d, 7, 1, 0, 1, new byte[0], 0, 0);
            assertThat(decodeOk(w.finish()).data().get(0).delivery()).isEqualTo(d);
        }
    }

    @Test
    void anAckOnlyPacketIsNotAckEliciting() {
        PacketCodec.Writer w = new PacketCodec.Writer(256, 5);
        w.writeAck(List.of(r(0, 4)), 0, 1, 1, 256);

        PacketCodec.Packet p = decodeOk(w.finish());

        assertThat(p.ackEliciting()).isFalse();
        assertThat(p.ack()).isPresent();
    }

    @Test
    void anAckKeepsTheLargestRangesThatFitItsBudget() {
        List<AckRanges.Range> many = new java.util.ArrayList<>();
        for (long n = 1_000; n >= 0; n -= 10) {
            many.add(r(n, n + 1));
        }
        PacketCodec.Writer w = new PacketCodec.Writer(1184, 0);

        assertThat(w.writeAck(many, 0, 128, 1 << 20, 40)).isTrue();
        int used = 1184 - 4 - 2 - w.remaining();

        PacketCodec.AckFrame ack = decodeOk(w.finish()).ack().orElseThrow();
        assertThat(used).isLessThanOrEqualTo(40);
        assertThat(ack.ranges()).isNotEmpty().isEqualTo(many.subList(0, ack.ranges().size()));
        assertThat(ack.ranges().size()).isLessThan(many.size());
    }

    @Test
    void anAckThatCannotFitEvenOneRangeIsNotWritten() {
        PacketCodec.Writer w = new PacketCodec.Writer(256, 0);

        assertThat(w.writeAck(List.of(r(0, 1L << 40)), 0, 1, 1, 5)).isFalse();
        assertThat(w.isEmpty()).isTrue();
    }

    @Test
    void everyTruncationOfAValidPacketIsBadAndNeverThrows() {
        byte[] packet = samplePacket();
        for (int len = 0; len < packet.length; len++) {
            byte[] cut = Arrays.copyOf(packet, len);
            assertThat(PacketCodec.decode(cut, 0, len, CHANNELS)).isInstanceOf(PacketCodec.Decoded.Bad.class);
            byte[] recrc = withCrc(Arrays.copyOf(packet, Math.max(0, len - 4)));
            assertThatCode(() -> PacketCodec.decode(recrc, 0, recrc.length, CHANNELS)).doesNotThrowAnyException();
        }
    }

    @Test
    void everySingleBitFlipIsCaughtByTheChecksum() {
        byte[] packet = samplePacket();
        for (int bit = 0; bit < packet.length * 8; bit++) {
            byte[] flipped = packet.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(PacketCodec.decode(flipped, 0, flipped.length, CHANNELS))
                    .isInstanceOf(PacketCodec.Decoded.Bad.class);
        }
    }

    @Test
    void seededRandomGarbageWithAndWithoutAValidChecksumNeverThrows() {
        SplittableRandom random = new SplittableRandom(42);
        int ok = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[random.nextInt(0, 64)];
            random.nextBytes(body);
            if (body.length > 0 && random.nextBoolean()) {
                body[0] = 1; // the right version, so the frame parser runs
            }
            byte[] raw = body;
            byte[] crc = withCrc(body);
            assertThatCode(() -> PacketCodec.decode(raw, 0, raw.length, CHANNELS)).doesNotThrowAnyException();
            assertThatCode(() -> PacketCodec.decode(crc, 0, crc.length, CHANNELS)).doesNotThrowAnyException();
            if (PacketCodec.decode(crc, 0, crc.length, CHANNELS) instanceof PacketCodec.Decoded.Ok) {
                ok++;
            }
        }
        assertThat(ok).as("some random bodies parse, so the parser was exercised").isPositive();
    }

    @Test
    void aHugeLengthFieldIsBadWithoutAllocatingIt() {
        byte[] body = new byte[1 + 1 + 1 + 1 + 1 + 8];
        body[0] = 1; // version
        body[1] = 0; // packet number 0
        body[2] = (byte) PacketCodec.TYPE_DATA; // UNRELIABLE, unfragmented
        body[3] = 0; // channel
        body[4] = 0; // seq
        Varint.write(body, 5, Varint.MAX); // length 2^62 - 1

        assertThat(badReason(withCrc(body))).contains("beyond the packet");
    }

    @Test
    void packetsTheEngineCannotUseAreBadWithAReason() {
        assertThat(badReason(new byte[0])).isEqualTo("truncated");
        assertThat(badReason(withCrc(new byte[] {2, 0, PacketCodec.TYPE_PING}))).startsWith("version");
        assertThat(badReason(withCrc(new byte[] {1, 0}))).isEqualTo("truncated");
        assertThat(badReason(withCrc(new byte[] {1, 0, 0x7f}))).startsWith("unknown frame type");
        assertThat(badReason(withCrc(new byte[] {1, 0, PacketCodec.TYPE_DATA, 8, 0, 0}))).startsWith("channel 8");
        assertThat(badReason(withCrc(new byte[] {1, 0, PacketCodec.TYPE_DATA | PacketCodec.FLAG_FRAGMENTED, 0, 0,
                0, 3, 0, 3, 0}))).startsWith("fragment 3 of 3");
        assertThat(badReason(withCrc(new byte[] {1, 0, PacketCodec.TYPE_DATA | PacketCodec.FLAG_FRAGMENTED, 0, 0,
                0, 0, 0, 0, 0}))).startsWith("fragment 0 of 0");
        // ACK: largest 5, delay 0, windows 0 0, no extra range, first range 6 (> largest)
        assertThat(badReason(withCrc(new byte[] {1, 0, PacketCodec.TYPE_ACK, 5, 0, 0, 0, 0, 6})))
                .contains("below zero");
        // ACK: largest 5, first range 0, one extra range with gap 4: 5 - 0 - 4 - 2 < 0
        assertThat(badReason(withCrc(new byte[] {1, 0, PacketCodec.TYPE_ACK, 5, 0, 0, 0, 1, 0, 4, 0})))
                .contains("below zero");
        byte[] twoAcks = {1, 0, PacketCodec.TYPE_ACK, 5, 0, 0, 0, 0, 0, PacketCodec.TYPE_ACK, 5, 0, 0, 0, 0, 0};
        assertThat(badReason(withCrc(twoAcks))).isEqualTo("two ACK frames");
    }

    @Test
    void anAckClaimingTooManyRangesIsBad() {
        byte[] body = new byte[16];
        body[0] = 1;
        body[1] = 0;
        body[2] = (byte) PacketCodec.TYPE_ACK;
        int pos = 3;
        pos = Varint.write(body, pos, 100);
        pos = Varint.write(body, pos, 0);
        pos = Varint.write(body, pos, 0);
        pos = Varint.write(body, pos, 0);
        pos = Varint.write(body, pos, 1_000_000);
        Varint.write(body, pos, 0);

        assertThat(badReason(withCrc(Arrays.copyOf(body, pos + 1)))).contains("extra ranges");
    }

    @Test
    void offsetsAndLengthsOutsideTheArrayAreBadNotExceptions() {
        byte[] packet = samplePacket();

        assertThat(PacketCodec.decode(packet, -1, 10, CHANNELS)).isInstanceOf(PacketCodec.Decoded.Bad.class);
        assertThat(PacketCodec.decode(packet, 5, packet.length, CHANNELS)).isInstanceOf(PacketCodec.Decoded.Bad.class);
        assertThat(PacketCodec.decode(packet, 0, -3, CHANNELS)).isInstanceOf(PacketCodec.Decoded.Bad.class);
    }

    @Test
    void aPacketInsideALargerBufferDecodesFromItsOffset() {
        byte[] packet = samplePacket();
        byte[] framed = new byte[packet.length + 20];
        System.arraycopy(packet, 0, framed, 16, packet.length);

        PacketCodec.Decoded d = PacketCodec.decode(framed, 16, packet.length, CHANNELS);

        assertThat(d).isInstanceOf(PacketCodec.Decoded.Ok.class);
    }
}
