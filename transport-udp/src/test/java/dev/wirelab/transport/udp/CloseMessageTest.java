package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.transport.Delivery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloseMessageTest {

    private static final long ID = 0x0123_4567_89AB_CDEFL;

    private static Optional<List<ReliableEngine.StreamCount>> parse(byte[] datagram) {
        PacketHeader.Parsed header = ((PacketHeader.Result.Ok) PacketHeader.parse(datagram, datagram.length)).parsed();
        assertThat(header.type()).isEqualTo(PacketHeader.Type.CLOSE);
        assertThat(header.connectionId()).isEqualTo(ID);
        return CloseMessage.parse(datagram, header.payloadOffset(), header.payloadLength());
    }

    /** A CLOSE whose payload is {@code body}, checksum and all. */
    private static byte[] withBody(int... body) {
        byte[] bytes = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            bytes[i] = (byte) body[i];
        }
        return PacketHeader.encode(PacketHeader.Type.CLOSE, ID, bytes);
    }

    @Test
    void theCountsOfEveryReliableStreamGoThereAndBack() {
        List<ReliableEngine.StreamCount> counts = List.of(
                new ReliableEngine.StreamCount(0, Delivery.RELIABLE, 0),
                new ReliableEngine.StreamCount(0, Delivery.RELIABLE_ORDERED, 1_000_000),
                new ReliableEngine.StreamCount(255, Delivery.RELIABLE, Varint.MAX));

        byte[] datagram = CloseMessage.encode(ID, counts);

        assertThat(parse(datagram)).contains(counts);
    }

    @Test
    void aConnectionThatSentOneOrderedFrameSaysSoInFourBytes() {
        byte[] datagram = CloseMessage.encode(ID, List.of(new ReliableEngine.StreamCount(0, Delivery.RELIABLE_ORDERED, 1)));

        assertThat(Arrays.copyOfRange(datagram, PacketHeader.BYTES, datagram.length)).containsExactly(1, 0, 3, 1);
    }

    @Test
    void anEmptyPayloadPromisesNothing() {
        assertThat(parse(CloseMessage.encode(ID, List.of()))).contains(List.of());
        assertThat(parse(PacketHeader.encode(PacketHeader.Type.CLOSE, ID, new byte[0]))).contains(List.of());
    }

    @Test
    void aPayloadThatDoesNotParseIsNotACountAtAll() {
        assertThat(parse(withBody(1, 0, 0, 5))).as("UNRELIABLE").isEmpty();
        assertThat(parse(withBody(1, 0, 1, 5))).as("SEQUENCED").isEmpty();
        assertThat(parse(withBody(1, 0, 7, 5))).as("no such delivery").isEmpty();
        assertThat(parse(withBody(2, 0, 3, 5))).as("truncated").isEmpty();
        assertThat(parse(withBody(1, 0, 3, 0x40))).as("truncated varint").isEmpty();
        assertThat(parse(withBody(1, 0, 3, 5, 9))).as("trailing bytes").isEmpty();
        assertThat(parse(withBody(0x42, 0x01))).as("more counts than streams").isEmpty();
    }

    @Test
    void moreCountsThanStreamsAreAProgrammingError() {
        List<ReliableEngine.StreamCount> tooMany = new ArrayList<>();
        for (int i = 0; i <= CloseMessage.MAX_COUNTS; i++) {
            tooMany.add(new ReliableEngine.StreamCount(i % 256, Delivery.RELIABLE, 1));
        }

        assertThatThrownBy(() -> CloseMessage.encode(ID, tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReliableEngine.StreamCount(0, Delivery.SEQUENCED, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
