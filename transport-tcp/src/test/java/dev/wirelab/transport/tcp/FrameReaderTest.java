package dev.wirelab.transport.tcp;

import dev.wirelab.transport.TrafficStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.ConnectionClosedException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP stream reader without sockets: a scripted source (pieces of bytes, pauses, the end, a
 * failure) and a fake clock that only moves when the script says time passes.
 */
@Timeout(10)
class FrameReaderTest {

    private static final Duration LINE = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofSeconds(150);

    private final Script script = new Script();
    private final Counters counters = new Counters();

    // ---------------------------------------------------------------------------------- framing

    @Test
    void aLineFedOneByteAtATimeIsOneFrame() throws IOException {
        FrameReader reader = reader(Framing.lines(1024));
        for (byte b : "hello, world\n".getBytes(StandardCharsets.UTF_8)) {
            script.bytes(new byte[] {b});
        }

        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("hello, world"));
        assertThat(script.reads).isEqualTo(13);
    }

    @Test
    void aLengthPrefixedFrameFedOneByteAtATimeIsOneFrame() throws IOException {
        Framing framing = Framing.lengthPrefixed(1024);
        FrameReader reader = reader(framing);
        for (byte b : framing.encode(Frame.ofUtf8("binary body"))) {
            script.bytes(new byte[] {b});
        }

        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("binary body"));
    }

    @Test
    void severalFramesInOneReadComeOutOneByOneInOrder() throws IOException {
        FrameReader reader = reader(Framing.lines(1024));
        script.text("one\ntwo\r\n\nthree\n");

        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("one"));
        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("two"));
        assertThat(reader.next()).isEqualTo(Frame.ofUtf8(""));
        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("three"));
        assertThat(script.reads).isEqualTo(1);
        assertThat(counters.snapshot()).isEqualTo(new TrafficStats(16, 0, 4, 0));
    }

    @Test
    void aFrameLargerThanTheReadBufferIsAssembledAcrossReads() throws IOException {
        Framing framing = Framing.lengthPrefixed(64 * 1024);
        FrameReader reader = reader(framing);
        byte[] payload = new byte[3 * FrameReader.READ_BUFFER_BYTES + 17];
        Arrays.fill(payload, (byte) 7);
        script.bytes(framing.encode(new Frame(payload)));

        assertThat(reader.next().bytes()).isEqualTo(payload);
        assertThat(script.reads).isEqualTo(4);
    }

    @Test
    void anOversizeFrameIsReportedAndTheNextFrameStillArrives() throws IOException {
        FrameReader reader = reader(Framing.lines(8));
        script.text("x".repeat(20) + "\nnext\n");

        assertThatThrownBy(reader::next)
                .isInstanceOf(FrameTooLargeException.class)
                .satisfies(e -> {
                    assertThat(((FrameTooLargeException) e).length()).isEqualTo(20);
                    assertThat(((FrameTooLargeException) e).limit()).isEqualTo(8);
                });
        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("next"));
    }

    @Test
    void framesBeforeABrokenStreamAreReturnedFirst() throws IOException {
        FrameReader reader = reader(Framing.lengthPrefixed(8));
        script.bytes(new byte[] {0, 0, 0, 1, 'a', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'b'});

        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("a"));
        assertPastTheDiscardLimit(reader, 8);
        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "length prefix");
        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "length prefix");
    }

    @Test
    void anEndlessLineIsTooLargeOnceThenBreaksTheStreamWithoutBeingBuffered() throws IOException {
        FrameReader reader = reader(Framing.lines(8));
        script.text("y".repeat(1000));

        assertPastTheDiscardLimit(reader, 8);
        int readsBeforeTheEnd = script.reads;
        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "line of more than 128 bytes");
        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "line of more than 128 bytes");
        assertThat(script.reads).as("reads after the frame passed the discard limit").isEqualTo(readsBeforeTheEnd);
    }

    // ---------------------------------------------------------------------------------- the end

    @Test
    void theEndAtAFrameBoundaryIsPeerClosedEveryTime() throws IOException {
        FrameReader reader = reader(Framing.lines(1024));
        script.text("last\n").end();

        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("last"));
        assertEnds(reader, CloseReason.PEER_CLOSED, "peer closed");
        assertEnds(reader, CloseReason.PEER_CLOSED, "peer closed");
    }

    @Test
    void theEndInsideAFrameIsAProtocolViolation() throws IOException {
        FrameReader reader = reader(Framing.lengthPrefixed(1024));
        script.bytes(new byte[] {0, 0, 0, 10, 'a', 'b'}).end();

        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "ended inside a frame");
    }

    @Test
    void aSourceFailureIsPassedOnAsIs() {
        FrameReader reader = reader(Framing.lines(1024));
        script.fail(new SocketException("Connection reset"));

        assertThatThrownBy(reader::next).isInstanceOf(SocketException.class).hasMessage("Connection reset");
    }

    // ---------------------------------------------------------------------------------- deadlines

    @Test
    void silenceForTheIdleTimeoutLosesTheConnection() {
        FrameReader reader = reader(Framing.lines(1024));

        assertEnds(reader, CloseReason.LOST, "idle for 150 s");
        assertThat(script.timeouts).containsExactly(150_000);
        assertThat(script.now).isEqualTo(IDLE.toNanos());
    }

    @Test
    void aFrameNotFinishedInTimeIsAProtocolViolation() throws IOException {
        FrameReader reader = reader(Framing.lines(1024));
        script.pause(Duration.ofSeconds(100)).text("half a li");

        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "frame not completed within 10 s of its first byte");
        assertThat(script.timeouts).as("the second read waits only for the frame deadline").containsExactly(150_000, 10_000);
        assertThat(script.now).isEqualTo(Duration.ofSeconds(110).toNanos());
    }

    @Test
    void dribblingAFrameDoesNotExtendItsDeadline() throws IOException {
        FrameReader reader = reader(Framing.lines(1024));
        script.text("a");
        for (int i = 0; i < 5; i++) {
            script.pause(Duration.ofSeconds(3)).text("b");
        }

        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "frame not completed");
        assertThat(script.now).isEqualTo(LINE.toNanos());
    }

    @Test
    void skippingAnOversizeFrameCountsAsBeingInsideAFrame() throws IOException {
        // The decoder buffers nothing while it skips, yet the frame has started: it must still end in time.
        FrameReader reader = reader(Framing.lines(8));
        script.text("z".repeat(50));

        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "frame not completed");
        assertThat(script.now).isEqualTo(LINE.toNanos());
    }

    @Test
    void skippingAnOversizeLengthPrefixedFrameCountsAsBeingInsideAFrame() throws IOException {
        FrameReader reader = reader(Framing.lengthPrefixed(8));
        script.bytes(new byte[] {0, 0, 0, 100, 1, 2, 3});

        assertEnds(reader, CloseReason.PROTOCOL_VIOLATION, "frame not completed");
    }

    @Test
    void wholeFramesSpreadOverTimeEachGetTheirOwnDeadline() throws IOException {
        FrameReader reader = reader(Framing.lines(1024));
        script.text("one\ntw").pause(Duration.ofSeconds(8)).text("o\nthr").pause(Duration.ofSeconds(8)).text("ee\n");

        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("one"));
        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("two"));
        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("three"));
        assertThat(reader.inFrame()).isFalse();
        assertEnds(reader, CloseReason.LOST, "idle");
    }

    @Test
    void aTimeoutBeforeTheDeadlineJustReadsAgain() throws IOException {
        FrameReader reader = reader(Framing.lines(1024));
        script.spuriousTimeout().text("fine\n");

        assertThat(reader.next()).isEqualTo(Frame.ofUtf8("fine"));
    }

    @Test
    void timeoutsAreNeverZeroBecauseASocketReadsZeroAsForever() {
        assertThat(FrameReader.timeoutMillis(-5_000_000_000L)).isEqualTo(1);
        assertThat(FrameReader.timeoutMillis(0)).isEqualTo(1);
        assertThat(FrameReader.timeoutMillis(1)).isEqualTo(1);
        assertThat(FrameReader.timeoutMillis(1_500_000)).isEqualTo(2);
        assertThat(FrameReader.timeoutMillis(Long.MAX_VALUE / 2)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void limitsReadNaturallyInCloseReasons() {
        assertThat(FrameReader.describe(Duration.ofSeconds(150))).isEqualTo("150 s");
        assertThat(FrameReader.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(FrameReader.describe(Duration.ofMillis(500))).isEqualTo("500 ms");
        assertThat(FrameReader.describe(Duration.ofMillis(1234))).isEqualTo("1234 ms");
    }

    // ---------------------------------------------------------------------------------- helpers

    private FrameReader reader(Framing framing) {
        return new FrameReader(script, framing, LINE, IDLE, () -> script.now, counters);
    }

    /** A frame past the discard limit (16 frames) is said to be too large, with a length over that limit. */
    private static void assertPastTheDiscardLimit(FrameReader reader, int maxFrameBytes) {
        assertThatThrownBy(reader::next)
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
                    assertThat(e.length()).isEqualTo(Framing.DISCARD_FACTOR * maxFrameBytes + 1L);
                    assertThat(e.limit()).isEqualTo(maxFrameBytes);
                });
    }

    private static void assertEnds(FrameReader reader, CloseReason reason, String detail) {
        assertThatThrownBy(reader::next)
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((ConnectionClosedException) e).reason()).isEqualTo(reason));
    }

    /**
     * A source that plays steps in order. A read takes the next piece of bytes (or as much of it as
     * fits); a pause moves the clock, or times the read out if it is longer than the read's timeout;
     * with no steps left, every read times out after its full timeout.
     */
    private static final class Script implements FrameReader.Source {
        private final Deque<Object> steps = new ArrayDeque<>();
        final List<Integer> timeouts = new ArrayList<>();
        long now;
        int reads;

        Script bytes(byte[] bytes) {
            steps.add(bytes);
            return this;
        }

        Script text(String text) {
            return bytes(text.getBytes(StandardCharsets.UTF_8));
        }

        Script pause(Duration duration) {
            steps.add(duration);
            return this;
        }

        Script end() {
            steps.add(End.END);
            return this;
        }

        Script fail(IOException failure) {
            steps.add(failure);
            return this;
        }

        Script spuriousTimeout() {
            steps.add(End.SPURIOUS_TIMEOUT);
            return this;
        }

        @Override
        public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
            assertThat(timeoutMillis).isPositive();
            timeouts.add(timeoutMillis);
            reads++;
            long timeoutNanos = Duration.ofMillis(timeoutMillis).toNanos();
            while (true) {
                Object step = steps.peekFirst();
                if (step == null) {
                    now += timeoutNanos;
                    throw new SocketTimeoutException("Read timed out");
                } else if (step instanceof byte[] bytes) {
                    steps.removeFirst();
                    int n = Math.min(length, bytes.length);
                    System.arraycopy(bytes, 0, buffer, offset, n);
                    if (n < bytes.length) {
                        steps.addFirst(Arrays.copyOfRange(bytes, n, bytes.length));
                    }
                    return n;
                } else if (step instanceof Duration pause) {
                    steps.removeFirst();
                    if (pause.toNanos() > timeoutNanos) {
                        now += timeoutNanos;
                        steps.addFirst(pause.minusNanos(timeoutNanos));
                        throw new SocketTimeoutException("Read timed out");
                    }
                    now += pause.toNanos();
                    timeoutNanos -= pause.toNanos();
                } else if (step == End.END) {
                    return -1;
                } else if (step == End.SPURIOUS_TIMEOUT) {
                    steps.removeFirst();
                    throw new SocketTimeoutException("woken early");
                } else {
                    steps.removeFirst();
                    throw (IOException) step;
                }
            }
        }
    }

    private enum End {
        END,
        SPURIOUS_TIMEOUT
    }
}
