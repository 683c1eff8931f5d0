package dev.wirelab.protocol;

import static dev.wirelab.protocol.FramingFixtures.complete;
import static dev.wirelab.protocol.FramingFixtures.completes;
import static dev.wirelab.protocol.FramingFixtures.concat;
import static dev.wirelab.protocol.FramingFixtures.decodeOneByteAtATime;
import static dev.wirelab.protocol.FramingFixtures.decodeWhole;
import static dev.wirelab.protocol.FramingFixtures.decodeWithCuts;
import static dev.wirelab.protocol.FramingFixtures.encodeAll;
import static dev.wirelab.protocol.FramingFixtures.everyByteValue;
import static dev.wirelab.protocol.FramingFixtures.feedOneByteAtATime;
import static dev.wirelab.protocol.FramingFixtures.feedWithCuts;
import static dev.wirelab.protocol.FramingFixtures.filled;
import static dev.wirelab.protocol.FramingFixtures.prefix;
import static dev.wirelab.protocol.FramingFixtures.randomBytes;
import static dev.wirelab.protocol.FramingFixtures.randomCuts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract both {@link Framing}s keep, written once and run for lines and for the length
 * prefix: any fragmentation of the stream gives the same frames, oversize frames are skipped
 * without being buffered, runaway frames break the stream, and a stream that ends inside a frame
 * is reported.
 */
@Timeout(10)
class FramingTest {

    private static final int MAX = 1024;

    static Stream<Framing> framings() {
        return Stream.of(Framing.lines(MAX), Framing.lengthPrefixed(MAX));
    }

    /**
     * Frames each framing must carry intact: empty frames, one of exactly the limit, and awkward
     * content (multi-byte UTF-8 for lines; every byte value, newlines, NULs and a fake prefix for
     * the length prefix).
     */
    static List<Frame> sampleFrames(Framing framing) {
        return switch (framing) {
            case Framing.Lines lines -> List.of(
                    Frame.ofUtf8("{\"command\":\"ECHO\",\"data\":\"hi\"}"),
                    Frame.ofUtf8(""),
                    exactlyTheLimitOfUtf8(lines.maxFrameBytes()),
                    Frame.ofUtf8("héllo wörld 😀 ✓ 你好 \uD834\uDD1E"),
                    Frame.ofUtf8("\ttabs\tand spaces  "),
                    Frame.ofUtf8(""),
                    Frame.ofUtf8("🎉"));
            case Framing.LengthPrefixed prefixed -> List.of(
                    new Frame(everyByteValue()),
                    new Frame(new byte[0]),
                    new Frame(randomBytes(prefixed.maxFrameBytes(), 7)),
                    new Frame(new byte[] {'\n', '\r', 0, '\n'}),
                    new Frame(prefix(5)),
                    new Frame(new byte[0]),
                    Frame.ofUtf8("😀"));
        };
    }

    /** Exactly {@code max} bytes of UTF-8 ending in 4-byte emoji, so the limit falls after a code point. */
    private static Frame exactlyTheLimitOfUtf8(int max) {
        Frame frame = Frame.ofUtf8("a".repeat(max - 40) + "😀".repeat(10));
        assertThat(frame.length()).isEqualTo(max);
        return frame;
    }

    /** A terminated frame of {@code length} payload bytes, too large to encode, as a peer could send it. */
    private static byte[] oversizeWire(Framing framing, long length) {
        byte[] payload = filled(Math.toIntExact(length), 'x');
        return switch (framing) {
            case Framing.Lines lines -> concat(payload, new byte[] {'\n'});
            case Framing.LengthPrefixed prefixed -> concat(prefix(length), payload);
        };
    }

    /** The start of a frame that never ends within the discard limit. */
    private static byte[] runawayWire(Framing framing) {
        int skipped = Math.toIntExact(framing.discardLimit() + 1);
        return switch (framing) {
            case Framing.Lines lines -> filled(skipped, 'x');
            case Framing.LengthPrefixed prefixed -> concat(prefix(skipped), filled(skipped, 'x'));
        };
    }

    private static List<Decoded> expected(Framing framing) {
        return completes(sampleFrames(framing));
    }

    private static byte[] sampleWire(Framing framing) throws FrameTooLargeException {
        return encodeAll(framing, sampleFrames(framing));
    }

    // --- fragmentation ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void decodesAStreamFedOneFramePerRead(Framing framing) throws Exception {
        FrameDecoder decoder = framing.newDecoder();
        List<Decoded> decoded = new ArrayList<>();
        for (Frame frame : sampleFrames(framing)) {
            decoded.addAll(decoder.feed(framing.encode(frame)));
        }

        assertThat(decoded).containsExactlyElementsOf(expected(framing));
        assertThat(decoder.bufferedBytes()).isZero();
        assertThat(decoder.finish()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void decodesAStreamFedAllInOneRead(Framing framing) throws Exception {
        byte[] wire = sampleWire(framing);

        assertThat(decodeWhole(framing, wire)).containsExactlyElementsOf(expected(framing));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void readsOnlyTheGivenRangeOfTheArray(Framing framing) throws Exception {
        byte[] wire = sampleWire(framing);
        byte[] padded = concat(filled(7, '\n'), wire, filled(5, '\n'));

        FrameDecoder decoder = framing.newDecoder();

        assertThat(decoder.feed(padded, 7, wire.length)).containsExactlyElementsOf(expected(framing));
        assertThat(decoder.feed(padded, 3, 0)).isEmpty();
        assertThat(decoder.feed(new byte[0])).isEmpty();
        assertThat(decoder.finish()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void decodesAStreamFedOneByteAtATime(Framing framing) throws Exception {
        byte[] wire = sampleWire(framing);
        FrameDecoder decoder = framing.newDecoder();

        List<Decoded> decoded = feedOneByteAtATime(decoder, wire,
                d -> assertThat(d.bufferedBytes()).isLessThanOrEqualTo(framing.maxFrameBytes() + 1));

        assertThat(decoded).containsExactlyElementsOf(expected(framing));
        assertThat(decoder.bufferedBytes()).isZero();
        assertThat(decoder.finish()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void decodesAStreamSplitIntoTwoReadsAtEveryOffset(Framing framing) throws Exception {
        byte[] wire = sampleWire(framing);
        List<Decoded> expected = expected(framing);

        for (int cut = 0; cut <= wire.length; cut++) {
            assertThat(decodeWithCuts(framing, wire, cut)).as("split at %d of %d", cut, wire.length)
                    .containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void decodesAStreamFedInRandomSizedChunks(Framing framing) throws Exception {
        byte[] wire = sampleWire(framing);
        List<Decoded> expected = expected(framing);
        int[] maxChunks = {2, 5, 17, 300, 3 * MAX};

        for (long seed = 0; seed < 100; seed++) {
            int maxChunk = maxChunks[(int) (seed % maxChunks.length)];
            int[] cuts = randomCuts(new Random(seed), wire.length, maxChunk);
            assertThat(decodeWithCuts(framing, wire, cuts)).as("seed %d, cuts %s", seed, Arrays.toString(cuts))
                    .containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void decodedFramesDoNotShareTheArrayTheyWereReadFrom(Framing framing) throws Exception {
        byte[] wire = sampleWire(framing);
        FrameDecoder decoder = framing.newDecoder();

        List<Decoded> decoded = decoder.feed(wire);
        Arrays.fill(wire, (byte) '?');

        assertThat(decoded).containsExactlyElementsOf(expected(framing));
    }

    // --- encode -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void roundTripsEveryFrameThroughEncodeAndDecode(Framing framing) throws Exception {
        for (Frame frame : sampleFrames(framing)) {
            byte[] wire = framing.encode(frame);

            assertThat(wire).as("%s", frame).hasSize(frame.length() + framing.overheadBytes());
            assertThat(decodeWhole(framing, wire)).as("%s", frame).containsExactly(new Decoded.Complete(frame));
            assertThat(decodeOneByteAtATime(framing, wire)).as("%s", frame).containsExactly(new Decoded.Complete(frame));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void encodeRefusesAFrameOverTheLimit(Framing framing) throws Exception {
        Frame tooLarge = new Frame(filled(MAX + 1, 'x'));

        assertThatExceptionOfType(FrameTooLargeException.class)
                .isThrownBy(() -> framing.encode(tooLarge))
                .satisfies(e -> {
                    assertThat(e.length()).isEqualTo(MAX + 1);
                    assertThat(e.limit()).isEqualTo(MAX);
                    assertThat(e.getMessage()).contains(Integer.toString(MAX + 1), Integer.toString(MAX));
                });
        assertThat(framing.encode(new Frame(filled(MAX, 'x')))).hasSize(MAX + framing.overheadBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void discardLimitIsSixteenTimesTheFrameLimit(Framing framing) {
        assertThat(framing.maxFrameBytes()).isEqualTo(MAX);
        assertThat(framing.discardLimit()).isEqualTo(16L * MAX);
    }

    @Test
    void framingsRefuseANonPositiveLimit() {
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.lines(0));
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.lines(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.lengthPrefixed(0));
        assertThatIllegalArgumentException().isThrownBy(() -> Framing.lengthPrefixed(-1));
    }

    @Test
    void framingsHaveShortNamesAndTheirOverhead() {
        assertThat(Framing.lines(MAX).name()).isEqualTo("lines");
        assertThat(Framing.lines(MAX).overheadBytes()).isEqualTo(1);
        assertThat(Framing.lengthPrefixed(MAX).name()).isEqualTo("length-prefix");
        assertThat(Framing.lengthPrefixed(MAX).overheadBytes()).isEqualTo(4);
    }

    @Test
    void decodedResultsRefuseNulls() {
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new Decoded.Complete(null));
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new Decoded.Broken(null));
    }

    // --- oversize -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void skipsATerminatedFrameOneByteOverTheLimitAndDecodesTheNextOne(Framing framing) throws Exception {
        byte[] wire = concat(framing.encode(Frame.ofUtf8("before")), oversizeWire(framing, MAX + 1),
                framing.encode(Frame.ofUtf8("after")));
        List<Decoded> expected = List.of(complete("before"), new Decoded.Oversize(MAX + 1), complete("after"));

        FrameDecoder decoder = framing.newDecoder();
        List<Decoded> oneByteAtATime = feedOneByteAtATime(decoder, wire,
                d -> assertThat(d.bufferedBytes()).isLessThanOrEqualTo(MAX + 1));

        assertThat(oneByteAtATime).containsExactlyElementsOf(expected);
        assertThat(decoder.finish()).isEmpty();
        for (int cut = 0; cut <= wire.length; cut++) {
            assertThat(decodeWithCuts(framing, wire, cut)).as("split at %d", cut).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void skipsAFrameManyTimesTheLimitWithoutBufferingIt(Framing framing) throws Exception {
        byte[] wire = concat(oversizeWire(framing, 5L * MAX), framing.encode(Frame.ofUtf8("next")));
        List<Decoded> expected = List.of(new Decoded.Oversize(5L * MAX), complete("next"));

        FrameDecoder decoder = framing.newDecoder();
        List<Decoded> oneByteAtATime = feedOneByteAtATime(decoder, wire,
                d -> assertThat(d.bufferedBytes()).isLessThanOrEqualTo(MAX + 1));

        assertThat(oneByteAtATime).containsExactlyElementsOf(expected);
        assertThat(decodeWhole(framing, wire)).containsExactlyElementsOf(expected);
        assertThat(decodeWithCuts(framing, wire, 3, MAX, MAX + 2, 4 * MAX)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void skipsAFrameOfExactlyTheDiscardLimit(Framing framing) throws Exception {
        long length = framing.discardLimit();
        byte[] wire = concat(oversizeWire(framing, length), framing.encode(Frame.ofUtf8("next")));
        List<Decoded> expected = List.of(new Decoded.Oversize(length), complete("next"));

        assertThat(decodeWhole(framing, wire)).containsExactlyElementsOf(expected);
        assertThat(decodeOneByteAtATime(framing, wire)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void breaksOnATerminatedFrameJustPastTheDiscardLimitHoweverItIsFed(Framing framing) throws Exception {
        byte[] wire = concat(framing.encode(Frame.ofUtf8("before")), oversizeWire(framing, framing.discardLimit() + 1),
                framing.encode(Frame.ofUtf8("after")));

        Map<String, List<Decoded>> byFeeding = Map.of(
                "fed whole", decodeWhole(framing, wire),
                "fed one byte at a time", decodeOneByteAtATime(framing, wire));
        byFeeding.forEach((feeding, decoded) -> {
            assertThat(decoded).as(feeding).hasSize(2);
            assertThat(decoded.get(0)).as(feeding).isEqualTo(complete("before"));
            assertThat(decoded.get(1)).as(feeding).isInstanceOf(Decoded.Broken.class);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void givesUpOnARunawayFrameWithoutBufferingItAndIgnoresWhatFollows(Framing framing) throws Exception {
        byte[] runaway = runawayWire(framing);
        FrameDecoder decoder = framing.newDecoder();
        List<Decoded> decoded = new ArrayList<>();
        int brokenAfter = -1;

        for (int i = 0; i < runaway.length; i++) {
            decoded.addAll(decoder.feed(new byte[] {runaway[i]}));
            assertThat(decoder.bufferedBytes()).as("after byte %d", i + 1).isLessThanOrEqualTo(MAX + 1);
            if (brokenAfter < 0 && !decoded.isEmpty()) {
                brokenAfter = i + 1;
            }
        }

        assertThat(decoded).singleElement().isInstanceOf(Decoded.Broken.class);
        assertThat((long) brokenAfter).as("bytes fed when the decoder gave up")
                .isLessThanOrEqualTo(framing.overheadBytes() + framing.discardLimit() + 1);
        assertThat(decoder.feed(framing.encode(Frame.ofUtf8("ignored")))).isEmpty();
        assertThat(decoder.feed(sampleWire(framing))).isEmpty();
        assertThat(decoder.finish()).isEmpty();
        assertThat(decodeWhole(framing, runaway)).singleElement().isInstanceOf(Decoded.Broken.class);
    }

    // --- end of stream ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void finishAfterACompleteStreamReportsNothing(Framing framing) throws Exception {
        FrameDecoder decoder = framing.newDecoder();
        decoder.feed(sampleWire(framing));

        assertThat(decoder.finish()).isEmpty();
        assertThat(framing.newDecoder().finish()).as("a stream with no bytes at all").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void finishInsideAFrameReportsTheStreamAsBroken(Framing framing) throws Exception {
        byte[] wire = framing.encode(Frame.ofUtf8("hello"));

        for (int fed = 1; fed < wire.length; fed++) {
            FrameDecoder decoder = framing.newDecoder();
            assertThat(decoder.feed(wire, 0, fed)).as("%d of %d bytes", fed, wire.length).isEmpty();
            assertThat(decoder.bufferedBytes()).as("%d of %d bytes", fed, wire.length).isLessThanOrEqualTo(fed);

            assertThat(decoder.finish()).as("%d of %d bytes", fed, wire.length)
                    .containsInstanceOf(Decoded.Broken.class);
            assertThat(decoder.finish()).as("a second finish").isEmpty();
            assertThat(decoder.feed(wire)).as("input after the end").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void finishWhileSkippingAnOversizeFrameReportsTheStreamAsBroken(Framing framing) {
        byte[] wire = oversizeWire(framing, 3L * MAX);
        FrameDecoder decoder = framing.newDecoder();

        assertThat(decoder.feed(wire, 0, 2 * MAX)).isEmpty();

        assertThat(decoder.finish()).containsInstanceOf(Decoded.Broken.class)
                .hasValueSatisfying(broken -> assertThat(((Decoded.Broken) broken).reason()).isNotBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void finishAfterEveryPrefixOfTheSampleStreamAgreesWithWhereTheFrameBoundariesAre(Framing framing)
            throws Exception {
        List<Frame> frames = sampleFrames(framing);
        List<Integer> boundaries = new ArrayList<>(List.of(0));
        for (Frame frame : frames) {
            boundaries.add(boundaries.get(boundaries.size() - 1) + frame.length() + framing.overheadBytes());
        }
        byte[] wire = sampleWire(framing);

        IntStream.rangeClosed(0, wire.length).forEach(fed -> {
            FrameDecoder decoder = framing.newDecoder();
            List<Decoded> decoded = feedWithCuts(decoder, Arrays.copyOf(wire, fed));
            int whole = (int) boundaries.stream().filter(b -> b > 0 && b <= fed).count();
            assertThat(decoded).as("%d bytes fed", fed).containsExactlyElementsOf(completes(frames.subList(0, whole)));
            if (boundaries.contains(fed)) {
                assertThat(decoder.finish()).as("%d bytes fed, at a boundary", fed).isEmpty();
            } else {
                assertThat(decoder.finish()).as("%d bytes fed, inside a frame", fed)
                        .containsInstanceOf(Decoded.Broken.class);
            }
        });
    }
}
