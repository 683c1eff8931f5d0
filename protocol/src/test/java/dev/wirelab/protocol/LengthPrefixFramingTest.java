package dev.wirelab.protocol;

import static dev.wirelab.protocol.FramingFixtures.complete;
import static dev.wirelab.protocol.FramingFixtures.concat;
import static dev.wirelab.protocol.FramingFixtures.decodeOneByteAtATime;
import static dev.wirelab.protocol.FramingFixtures.decodeWhole;
import static dev.wirelab.protocol.FramingFixtures.feedOneByteAtATime;
import static dev.wirelab.protocol.FramingFixtures.filled;
import static dev.wirelab.protocol.FramingFixtures.prefix;
import static dev.wirelab.protocol.FramingFixtures.randomBytes;
import static dev.wirelab.protocol.FramingFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What only the 4-byte big-endian length prefix does: hostile lengths, zero lengths, truncated prefixes. */
@Timeout(10)
class LengthPrefixFramingTest {

    private static final int MAX = 1024;

    private final Framing.LengthPrefixed framing = Framing.lengthPrefixed(MAX);

    @Test
    void encodeWritesABigEndianLengthBeforeThePayload() throws Exception {
        assertThat(framing.encode(Frame.ofUtf8("hi"))).containsExactly(0, 0, 0, 2, 'h', 'i');
        assertThat(framing.encode(new Frame(new byte[0]))).containsExactly(0, 0, 0, 0);

        byte[] payload = randomBytes(0x01_02_03, 11);
        byte[] wire = Framing.lengthPrefixed(0x01_02_03).encode(new Frame(payload));

        assertThat(Arrays.copyOf(wire, 4)).containsExactly(0x00, 0x01, 0x02, 0x03);
        assertThat(Arrays.copyOfRange(wire, 4, wire.length)).isEqualTo(payload);
    }

    @ParameterizedTest(name = "prefix {0}")
    @ValueSource(longs = {0x8000_0000L, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x0100_0000L})
    void breaksOnALengthNoFrameCanHaveWithoutBufferingIt(long length) throws Exception {
        byte[] wire = concat(prefix(length), filled(100, 'x'), framing.encode(Frame.ofUtf8("ignored")));
        FrameDecoder decoder = framing.newDecoder();

        List<Decoded> decoded = feedOneByteAtATime(decoder, Arrays.copyOf(wire, 4),
                d -> assertThat(d.bufferedBytes()).isLessThanOrEqualTo(4));
        assertThat(decoded).as("after the prefix").singleElement().isInstanceOf(Decoded.Broken.class);

        assertThat(decoder.feed(wire, 4, wire.length - 4)).as("input after the break").isEmpty();
        assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(4);
        assertThat(decoder.finish()).isEmpty();
        assertThat(decodeWhole(framing, wire)).singleElement().isInstanceOf(Decoded.Broken.class);
    }

    @Test
    void breaksOnALengthJustPastTheDiscardLimit() {
        long length = framing.discardLimit() + 1;
        FrameDecoder decoder = framing.newDecoder();

        assertThat(decoder.feed(prefix(length))).singleElement().isInstanceOf(Decoded.Broken.class)
                .extracting(broken -> ((Decoded.Broken) broken).reason()).asString().contains(Long.toString(length));
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void readsAZeroLengthFrameAsAnEmptyFrame() {
        Decoded empty = new Decoded.Complete(new Frame(new byte[0]));
        byte[] wire = concat(prefix(0), prefix(0), prefix(2), utf8("ok"), prefix(0));

        assertThat(decodeWhole(framing, wire)).containsExactly(empty, empty, complete("ok"), empty);
        assertThat(decodeOneByteAtATime(framing, wire)).containsExactly(empty, empty, complete("ok"), empty);
        assertThat(((Decoded.Complete) decodeWhole(framing, prefix(0)).get(0)).frame().length()).isZero();
    }

    @Test
    void skipsALengthAboveTheLimitButWithinTheDiscardLimitAndReadsTheNextFrame() throws Exception {
        int length = 10 * MAX;
        byte[] wire = concat(prefix(length), randomBytes(length, 3), framing.encode(Frame.ofUtf8("next")));
        FrameDecoder decoder = framing.newDecoder();

        List<Decoded> decoded = feedOneByteAtATime(decoder, wire,
                d -> assertThat(d.bufferedBytes()).isLessThanOrEqualTo(4));

        assertThat(decoded).containsExactly(new Decoded.Oversize(length), complete("next"));
        assertThat(decoder.finish()).isEmpty();
        assertThat(decodeWhole(framing, wire)).containsExactly(new Decoded.Oversize(length), complete("next"));
    }

    @ParameterizedTest(name = "{0} of 4 bytes")
    @ValueSource(ints = {1, 2, 3})
    void reportsAStreamThatEndsInsideALengthPrefixAsBroken(int fed) {
        FrameDecoder decoder = framing.newDecoder();

        assertThat(decoder.feed(prefix(5), 0, fed)).isEmpty();
        assertThat(decoder.bufferedBytes()).isEqualTo(fed);

        assertThat(decoder.finish()).containsInstanceOf(Decoded.Broken.class);
    }

    @Test
    void buffersTheBodyAsItArrives() {
        byte[] wire = concat(prefix(MAX), randomBytes(MAX, 5));
        FrameDecoder decoder = framing.newDecoder();

        decoder.feed(wire, 0, 4 + 10);
        assertThat(decoder.bufferedBytes()).isEqualTo(10);

        assertThat(decoder.feed(wire, 14, wire.length - 14)).containsExactly(
                new Decoded.Complete(new Frame(Arrays.copyOfRange(wire, 4, wire.length))));
        assertThat(decoder.bufferedBytes()).isZero();
    }

    /**
     * protobuf's {@code parseDelimitedFrom} allocates whatever the peer declares. This decoder must
     * check the length first: a hostile prefix costs at most a few small objects.
     */
    @ParameterizedTest(name = "prefix {0}")
    @ValueSource(longs = {15L * 1024 * 1024, 0x7FFF_FFFFL, 0xFFFF_FFFFL})
    void doesNotAllocateTheLengthAPeerDeclares(long length) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        Framing oneMib = Framing.lengthPrefixed(1024 * 1024);
        byte[] header = prefix(length);
        oneMib.newDecoder().feed(header.clone()); // warm up: class loading and string concatenation bootstraps

        FrameDecoder decoder = oneMib.newDecoder();
        long before = threads.getCurrentThreadAllocatedBytes();
        List<Decoded> decoded = decoder.feed(header);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(decoded).hasSizeLessThanOrEqualTo(1);
        assertThat(allocated).as("bytes allocated reading a prefix of %d", length).isLessThan(64 * 1024);
    }
}
