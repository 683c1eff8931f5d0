package dev.wirelab.protocol;

import static dev.wirelab.protocol.FramingFixtures.complete;
import static dev.wirelab.protocol.FramingFixtures.concat;
import static dev.wirelab.protocol.FramingFixtures.decodeOneByteAtATime;
import static dev.wirelab.protocol.FramingFixtures.decodeWhole;
import static dev.wirelab.protocol.FramingFixtures.decodeWithCuts;
import static dev.wirelab.protocol.FramingFixtures.feedOneByteAtATime;
import static dev.wirelab.protocol.FramingFixtures.filled;
import static dev.wirelab.protocol.FramingFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only newline-delimited framing does: CR handling, empty and multi-line input, frame injection. */
@Timeout(10)
class LineFramingTest {

    private static final int MAX = 1024;

    private final Framing.Lines framing = Framing.lines(MAX);

    @Test
    void crlfLineEndsGiveTheSameFramesAsLf() {
        List<String> lines = List.of("{\"command\":\"REGISTER\",\"data\":\"ana\"}", "", "héllo 😀", "x".repeat(MAX), "last");
        byte[] lf = utf8(String.join("\n", lines) + "\n");
        byte[] crlf = utf8(String.join("\r\n", lines) + "\r\n");
        List<Decoded> expected = lines.stream().map(FramingFixtures::complete).toList();

        assertThat(decodeWhole(framing, lf)).containsExactlyElementsOf(expected);
        assertThat(decodeWhole(framing, crlf)).containsExactlyElementsOf(expected);
        assertThat(decodeOneByteAtATime(framing, crlf)).containsExactlyElementsOf(expected);
        for (int cut = 0; cut <= crlf.length; cut++) {
            assertThat(decodeWithCuts(framing, crlf, cut)).as("split at %d", cut).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void keepsACarriageReturnThatDoesNotEndTheLine() {
        byte[] wire = utf8("a\rb\n\rstart\nmiddle\r\rend\ntwo\r\r\n");
        List<Decoded> expected = List.of(complete("a\rb"), complete("\rstart"), complete("middle\r\rend"), complete("two\r"));

        assertThat(decodeWhole(framing, wire)).containsExactlyElementsOf(expected);
        assertThat(decodeOneByteAtATime(framing, wire)).containsExactlyElementsOf(expected);
    }

    @Test
    void acceptsALineOfExactlyTheLimitEndingInCrlf() {
        byte[] payload = filled(MAX, 'x');
        byte[] wire = concat(payload, utf8("\r\n"));
        FrameDecoder decoder = framing.newDecoder();

        List<Decoded> decoded = feedOneByteAtATime(decoder, wire,
                d -> assertThat(d.bufferedBytes()).isLessThanOrEqualTo(MAX + 1));

        assertThat(decoded).containsExactly(new Decoded.Complete(new Frame(payload)));
        assertThat(decodeWhole(framing, wire)).containsExactly(new Decoded.Complete(new Frame(payload)));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {MAX + 1, 3 * MAX})
    void reportsAnOversizeLineByTheSameLengthWhetherItEndsInCrlfOrLf(int length) {
        byte[] payload = filled(length, 'x');
        List<Decoded> expected = List.of(new Decoded.Oversize(length), complete("next"));

        byte[] lf = concat(payload, utf8("\nnext\n"));
        byte[] crlf = concat(payload, utf8("\r\nnext\r\n"));

        assertThat(decodeWhole(framing, lf)).as("LF, fed whole").containsExactlyElementsOf(expected);
        assertThat(decodeOneByteAtATime(framing, lf)).as("LF, one byte at a time").containsExactlyElementsOf(expected);
        assertThat(decodeWhole(framing, crlf)).as("CRLF, fed whole").containsExactlyElementsOf(expected);
        assertThat(decodeOneByteAtATime(framing, crlf)).as("CRLF, one byte at a time").containsExactlyElementsOf(expected);
    }

    @Test
    void readsAnEmptyLineAsAZeroLengthFrame() {
        Decoded empty = new Decoded.Complete(new Frame(new byte[0]));

        assertThat(decodeWhole(framing, utf8("\n"))).containsExactly(empty);
        assertThat(decodeWhole(framing, utf8("\r\n"))).containsExactly(empty);
        assertThat(decodeWhole(framing, utf8("a\n\n\r\nb\n"))).containsExactly(complete("a"), empty, empty, complete("b"));
    }

    @Test
    void readsEachPhysicalLineOfPrettyPrintedJsonAsItsOwnFrame() {
        byte[] wire = utf8("{\n  \"command\": \"ECHO\",\n  \"data\": \"hi\"\n}\n{\"command\":\"TIME\"}\n");
        List<Decoded> expected = List.of(complete("{"), complete("  \"command\": \"ECHO\","), complete("  \"data\": \"hi\""),
                complete("}"), complete("{\"command\":\"TIME\"}"));

        assertThat(decodeWhole(framing, wire)).containsExactlyElementsOf(expected);
        assertThat(decodeOneByteAtATime(framing, wire)).containsExactlyElementsOf(expected);
    }

    @Test
    void encodeAppendsOneNewlineAndNothingElse() throws Exception {
        assertThat(framing.encode(Frame.ofUtf8("hi 😀"))).isEqualTo(utf8("hi 😀\n"));
        assertThat(framing.encode(new Frame(new byte[0]))).isEqualTo(utf8("\n"));
    }

    @ParameterizedTest(name = "frame {index}")
    @ValueSource(strings = {"a\nb", "\n", "ends with a newline\n", "{\"data\":\"x\"}\n{\"command\":\"QUIT\"}"})
    void encodeRefusesAFrameContainingANewlineSoNoFrameCanBeInjected(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> framing.encode(Frame.ofUtf8(text)))
                .withMessageContaining("newline");
    }

    /**
     * The decoder drops one CR before the LF, so a frame whose last byte is CR would arrive one byte
     * short. NDJSON forbids raw CRs in a value; the framing has to refuse such a frame rather than
     * change it in transit.
     */
    @ParameterizedTest(name = "frame {index}")
    @ValueSource(strings = {"{\"data\":\"x\"}\r", "\r", "text\r\r"})
    void aFrameEndingInACarriageReturnIsRefusedRatherThanCutShort(String text) throws Exception {
        Frame frame = Frame.ofUtf8(text);

        Throwable thrown = catchThrowable(() -> framing.encode(frame));

        if (thrown == null) {
            assertThat(decodeWhole(framing, framing.encode(frame))).as("encoded, so it must arrive unchanged")
                    .containsExactly(new Decoded.Complete(frame));
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void givesUpOnALineWithoutANewlineOnlyOnceItPassesTheDiscardLimit() {
        assertThat(framing.discardLimit()).isEqualTo(16 * 1024);
        byte[] sixteenKib = filled(16 * 1024, 'x');

        FrameDecoder decoder = framing.newDecoder();
        List<Decoded> decoded = feedOneByteAtATime(decoder, sixteenKib,
                d -> assertThat(d.bufferedBytes()).isLessThanOrEqualTo(MAX + 1));
        assertThat(decoded).as("16 KiB without a newline").isEmpty();

        assertThat(decoder.feed(utf8("x"))).singleElement().isInstanceOf(Decoded.Broken.class);
        assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(MAX + 1);
        assertThat(decoder.feed(utf8("\nok\n"))).isEmpty();
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void givesUpOnALineWithoutANewlineWhenItArrivesInLargeReads() {
        FrameDecoder decoder = framing.newDecoder();
        List<Decoded> decoded = new ArrayList<>();

        decoded.addAll(decoder.feed(utf8("ok\n")));
        for (int read = 0; read < 16; read++) {
            decoded.addAll(decoder.feed(filled(1024, 'x')));
            assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(MAX + 1);
        }
        assertThat(decoded).containsExactly(complete("ok"));

        assertThat(decoder.feed(filled(1024, 'x'))).singleElement().isInstanceOf(Decoded.Broken.class);
        assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(MAX + 1);
    }

    @Test
    void reportsAStreamThatEndsInsideALineEvenIfOnlyACarriageReturnIsPending() {
        FrameDecoder decoder = framing.newDecoder();

        assertThat(decoder.feed(utf8("done\n\r"))).containsExactly(complete("done"));

        assertThat(decoder.finish()).containsInstanceOf(Decoded.Broken.class);
    }
}
