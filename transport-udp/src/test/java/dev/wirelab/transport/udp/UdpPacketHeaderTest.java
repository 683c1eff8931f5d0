package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UdpPacketHeaderTest {

    private static PacketHeader.Result parse(byte[] datagram) {
        return PacketHeader.parse(datagram, datagram.length);
    }

    @Test
    void theHeaderIsSixteenBytesAndFitsTheEnginesBudget() {
        byte[] datagram = PacketHeader.encode(PacketHeader.Type.DATA, 42, new byte[0]);

        assertThat(datagram).hasSize(16);
        assertThat(PacketHeader.BYTES).isEqualTo(1200 - EngineConfig.MAX_PACKET_BYTES_DEFAULT);
    }

    @Test
    void aDatagramIsMagicVersionTypeIdChecksumThenPayload() {
        byte[] datagram = PacketHeader.encode(PacketHeader.Type.DATA, 0x0102030405060708L, new byte[] {9, 10});

        assertThat(HexFormat.of().formatHex(datagram, 0, 12)).isEqualTo("574c01040102030405060708");
        assertThat(Arrays.copyOfRange(datagram, 16, 18)).containsExactly(9, 10);
        assertThat(PacketHeader.getInt(datagram, 12)).isEqualTo(PacketHeader.checksum(datagram, datagram.length));
    }

    @Test
    void everyTypeAndIdRoundTrips() {
        for (PacketHeader.Type type : PacketHeader.Type.values()) {
            for (long id : new long[] {0, 1, -1, Long.MIN_VALUE, 0x7EADBEEFCAFEL}) {
                byte[] datagram = PacketHeader.encode(type, id, new byte[] {1, 2, 3});

                assertThat(parse(datagram)).isEqualTo(
                        new PacketHeader.Result.Ok(new PacketHeader.Parsed(type, id, 16, 3)));
            }
        }
    }

    @Test
    void everySingleBitFlipIsCaught() {
        byte[] datagram = PacketHeader.encode(PacketHeader.Type.DATA, 77, "some engine packet".getBytes());

        for (int bit = 0; bit < datagram.length * 8; bit++) {
            byte[] flipped = datagram.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));

            assertThat(parse(flipped)).as("bit %d", bit).isInstanceOf(PacketHeader.Result.Drop.class);
        }
    }

    @Test
    void shortWrongMagicUnknownTypeAndOtherVersionsAreDroppedWithTheirReason() {
        byte[] good = PacketHeader.encode(PacketHeader.Type.HELLO, 5, new byte[10]);
        byte[] magic = good.clone();
        magic[0] = 'X';
        byte[] version = good.clone();
        version[2] = 2;
        byte[] type = good.clone();
        type[3] = 99;

        assertThat(PacketHeader.parse(good, 15)).isEqualTo(new PacketHeader.Result.Drop(UdpDrop.MALFORMED));
        assertThat(parse(new byte[0])).isEqualTo(new PacketHeader.Result.Drop(UdpDrop.MALFORMED));
        assertThat(parse(magic)).isEqualTo(new PacketHeader.Result.Drop(UdpDrop.MALFORMED));
        assertThat(parse(version)).isEqualTo(new PacketHeader.Result.Drop(UdpDrop.BAD_VERSION));
        assertThat(parse(type)).isEqualTo(new PacketHeader.Result.Drop(UdpDrop.MALFORMED));
    }

    @Test
    void aTruncatedDatagramFailsItsChecksum() {
        byte[] datagram = PacketHeader.encode(PacketHeader.Type.DATA, 3, new byte[100]);

        assertThat(PacketHeader.parse(datagram, 60)).isEqualTo(new PacketHeader.Result.Drop(UdpDrop.BAD_CHECKSUM));
    }
}
