package dev.wirelab.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.Decoded;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameDecoder;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link Codec} must do, written once. A codec's test extends this class and supplies
 * {@link #codec()}; see {@code JsonCodecTest} and {@code ProtobufCodecTest}.
 */
@Timeout(30)
public abstract class CodecContract {

    /** The codec under test, configured with {@code Limits.DEFAULTS}. */
    protected abstract Codec codec();

    @Test
    void everyMessageTypeHasARoundTripSample() {
        assertThat(ChatMessage.class.isSealed()).as("ChatMessage must be sealed for its types to be listed").isTrue();
        // Throws, naming the type, if a leaf of the hierarchy is not a record.
        Set<Class<?>> types = SampleMessages.recordTypes();
        assertThat(types).as("record types found by walking ChatMessage's permitted subclasses")
                .isNotEmpty()
                .hasSizeGreaterThanOrEqualTo(SampleMessages.KNOWN_RECORD_TYPES)
                .allSatisfy(type -> assertThat(type.isRecord()).as("%s is a record", type.getName()).isTrue());
        // The samples roundTripsEveryMessage uses, so each type is round-tripped by this codec.
        SampleMessages.assertEveryTypeSampled(SampleMessages.all());
    }

    @ParameterizedTest
    @MethodSource("dev.wirelab.testkit.SampleMessages#all")
    void roundTripsEveryMessage(ChatMessage message) {
        Frame frame = codec().encode(message);

        assertThat(codec().decode(frame)).isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("dev.wirelab.testkit.SampleMessages#all")
    void framesSurviveTheCodecsOwnFraming(ChatMessage message) throws Exception {
        Frame frame = codec().encode(message);
        FrameDecoder decoder = codec().framing().newDecoder();

        List<Decoded> decoded = decoder.feed(codec().framing().encode(frame));

        assertThat(decoded).containsExactly(new Decoded.Complete(frame));
    }

    @Test
    void rejectsAnEmptyFrame() {
        assertThatThrownBy(() -> codec().decode(new Frame(new byte[0])))
                .isInstanceOfSatisfying(CodecException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE));
    }

    @Test
    void decodesTheNextFrameAfterGarbage() {
        Frame valid = codec().encode(new Request.Echo(RequestId.of("after"), "still here"));
        Frame garbage = new Frame(new byte[] {(byte) 0xFF, 0x00, 0x7B, 0x22, (byte) 0xC3, 0x28});

        assertThatThrownBy(() -> codec().decode(garbage)).isInstanceOf(CodecException.class);
        assertThat(codec().decode(valid)).isEqualTo(new Request.Echo(RequestId.of("after"), "still here"));
    }

    @ParameterizedTest
    @MethodSource("dev.wirelab.testkit.SampleMessages#all")
    void truncatedFramesFailOnlyWithCodecException(ChatMessage message) {
        byte[] bytes = codec().encode(message).bytes();

        for (int cut = 0; cut < bytes.length; cut++) {
            Frame truncated = new Frame(Arrays.copyOf(bytes, cut));
            Throwable thrown = catchThrowable(() -> codec().decode(truncated));
            assertThat(thrown).as("decoding the first %d of %d bytes", cut, bytes.length)
                    .satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(CodecException.class));
        }
    }

    @Test
    void randomBytesFailOnlyWithCodecException() {
        Random random = new Random(20261129L);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            Throwable thrown = catchThrowable(() -> codec().decode(new Frame(bytes)));
            assertThat(thrown).as("decoding %s", Arrays.toString(bytes))
                    .satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(CodecException.class));
        }
    }

    @Test
    void mutatedFramesFailOnlyWithCodecException() {
        Random random = new Random(42L);
        for (ChatMessage message : SampleMessages.all()) {
            byte[] bytes = codec().encode(message).bytes();
            for (int i = 0; i < 50 && bytes.length > 0; i++) {
                byte[] mutated = bytes.clone();
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                Throwable thrown = catchThrowable(() -> codec().decode(new Frame(mutated)));
                assertThat(thrown).as("decoding a mutation of %s", message)
                        .satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(CodecException.class));
            }
        }
    }
}
