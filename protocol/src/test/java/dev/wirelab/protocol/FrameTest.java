package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameTest {

    @Test
    void equalityAndHashCodeAreByContent() {
        Frame a = new Frame(new byte[] {1, 2, 3});
        Frame b = new Frame(new byte[] {1, 2, 3});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotSameAs(b);
        assertThat(a).isNotEqualTo(new Frame(new byte[] {1, 2, 4}))
                .isNotEqualTo(new Frame(new byte[] {1, 2}))
                .isNotEqualTo(null)
                .isNotEqualTo(new byte[] {1, 2, 3});
        assertThat(new Frame(new byte[0])).isEqualTo(Frame.ofUtf8(""));
    }

    @Test
    void toStringShowsTheLengthAndTheText() {
        assertThat(Frame.ofUtf8("hello")).hasToString("Frame[5 bytes: hello]");
        assertThat(Frame.ofUtf8("")).hasToString("Frame[0 bytes: ]");
    }

    @Test
    void toStringShowsOnlyTheFirstSixtyFourBytesOfALongFrame() {
        Frame frame = Frame.ofUtf8("a".repeat(64) + "TAIL");

        assertThat(frame.toString()).isEqualTo("Frame[68 bytes: " + "a".repeat(64) + "...]").doesNotContain("TAIL");
    }

    @Test
    void convertsToAndFromUtf8() {
        String text = "héllo 😀";
        Frame frame = Frame.ofUtf8(text);

        assertThat(frame.bytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(frame.length()).isEqualTo(11);
        assertThat(frame.toUtf8()).isEqualTo(text);
    }

    @Test
    void refusesANullArray() {
        assertThatNullPointerException().isThrownBy(() -> new Frame(null));
    }
}
