package dev.wirelab.codec.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bytes themselves: how small a chat message is, and the frame {@code docs/protocol-protobuf.md} dissects. */
@Timeout(30)
class WireFormatTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private final ProtobufCodec codec = ProtobufCodec.create(Limits.DEFAULTS);

    @Test
    void aRoomPostWithoutAnIdTakesFewerThanThirtyBytes() {
        Frame frame = codec.encode(new Request.Post(RequestId.NONE, "lobby", "hello, world"));

        // 2 bytes of body tag and length, 2 + 5 for the room, 2 + 12 for the text.
        assertThat(frame.length()).isLessThan(30).isEqualTo(23);
    }

    /** The annotated dump in {@code docs/protocol-protobuf.md}; change both together. */
    @Test
    void thePostInTheProtocolDocIsExactlyTheseBytesOnTheWire() throws Exception {
        Request.Post post = new Request.Post(RequestId.of("r-42"), "lobby", "hello, world");

        byte[] wire = codec.framing().encode(codec.encode(post));

        assertThat(HEX.formatHex(wire)).isEqualTo(String.join(" ",
                "00 00 00 1d",                                      // length prefix: 29 bytes follow
                "0a 04 72 2d 34 32",                                // request_id (1) = "r-42"
                "6a 15",                                            // post (13), 21 bytes
                "0a 05 6c 6f 62 62 79",                             //   room (1) = "lobby"
                "12 0c 68 65 6c 6c 6f 2c 20 77 6f 72 6c 64"));      //   text (2) = "hello, world"
        assertThat(codec.decode(new Frame(Arrays.copyOfRange(wire, 4, wire.length)))).isEqualTo(post);
    }
}
