package dev.wirelab.transport;

import static dev.wirelab.transport.LinkStatistics.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ImpairedTransport} over {@link MemoryTransport}: no sockets. Every time check is a lower
 * bound that follows from the model (a frame can be late, never early), so a slow machine cannot
 * make these tests fail; waiting is done by blocking receives, never by sleeping.
 */
@Timeout(30)
class ImpairedTransportTest {

    private static final Framing FRAMING = Framing.lengthPrefixed(64 * 1024);
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final MemoryTransport memory = MemoryTransport.create();
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        done.countDown();
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /** A plain memory server that keeps each accepted connection open until the test ends. */
    private Listener plainServer() throws IOException {
        Listener listener = memory.listen(ANY, FRAMING, connection -> {
            accepted.put(connection);
            done.await();
        });
        toClose.add(listener);
        return listener;
    }

    /** A client whose sends go through {@code spec}, connected to a plain server; returns (client, server side). */
    private Connection[] impairedClient(String spec) throws Exception {
        Listener listener = plainServer();
        Connection client = ImpairedTransport.wrap(memory, Impairment.parse(spec)).connect(listener.localAddress(), FRAMING);
        toClose.add(client);
        Connection server = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(server).as("accepted").isNotNull();
        return new Connection[] {client, server};
    }

    private static Frame frame(int index) {
        return Frame.ofUtf8(String.format("frame-%05d", index));
    }

    private static int index(Frame frame) {
        return Integer.parseInt(frame.toUtf8().substring("frame-".length()));
    }

    @Test
    void keepsFramesInOrderUnderJitter() throws Exception {
        Connection[] pair = impairedClient("jitter=20ms,seed=3");

        for (int i = 0; i < 300; i++) {
            pair[0].send(frame(i));
        }

        for (int i = 0; i < 300; i++) {
            assertThat(index(pair[1].receive())).isEqualTo(i);
        }
    }

    @Test
    void neverDeliversAFrameSoonerThanTheDelay() throws Exception {
        Connection[] pair = impairedClient("delay=30ms,jitter=10ms,seed=1");
        long[] sentAt = new long[20];

        for (int i = 0; i < sentAt.length; i++) {
            sentAt[i] = System.nanoTime();
            pair[0].send(frame(i));
        }

        for (int i = 0; i < sentAt.length; i++) {
            int index = index(pair[1].receive());
            long transit = System.nanoTime() - sentAt[index];
            assertThat(index).isEqualTo(i);
            assertThat(transit).as("transit of frame %d in ns", i).isGreaterThanOrEqualTo(30 * MS);
        }
    }

    @Test
    void aStalledFrameHoldsBackEveryFrameBehindIt() throws Exception {
        // A seed whose first connection stalls frame 1 of the first six, and only it.
        long seed = seedStallingOnly(1, 6, "loss=30%");
        Connection[] pair = impairedClient("loss=30%,seed=" + seed);
        long[] sentAt = new long[6];

        for (int i = 0; i < 6; i++) {
            sentAt[i] = System.nanoTime();
            pair[0].send(frame(i));
        }

        for (int i = 0; i < 6; i++) {
            assertThat(index(pair[1].receive())).isEqualTo(i);
            long arrived = System.nanoTime();
            if (i >= 1) {
                // Frame 1 is "retransmitted" one RTO (200 ms) late; frames 2..5 wait behind it.
                assertThat(arrived - sentAt[1]).as("frame %d after frame 1 was sent", i)
                        .isGreaterThanOrEqualTo(200 * MS);
            }
        }
        StreamModel.StreamStats stats = ((ImpairedConnection) pair[0]).model().stats();
        assertThat(stats.stalled()).isEqualTo(1);
        assertThat(stats.sent()).isEqualTo(6);
    }

    private static long seedStallingOnly(int stalled, int frames, String spec) {
        for (long seed = 0; ; seed++) {
            StreamModel model = new StreamModel(Impairment.parse(spec + ",seed=" + seed));
            boolean match = true;
            for (int i = 0; i < frames; i++) {
                match &= model.send(10, 0).stalled() == (i == stalled);
            }
            if (match) {
                return seed;
            }
        }
    }

    @Test
    void rateStretchesABurstToItsSizeOverTheRate() throws Exception {
        // 1 Mbit/s = 125,000 B/s; 25 frames of 1,246 + 4 (prefix) = 1,250 B take 25 x 10 ms = 250 ms.
        Connection[] pair = impairedClient("rate=1mbit");
        byte[] payload = new byte[1_246];

        long start = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            pair[0].send(new Frame(payload.clone()));
        }
        for (int i = 0; i < 25; i++) {
            assertThat(pair[1].receive().length()).isEqualTo(1_246);
        }
        long elapsed = System.nanoTime() - start;

        assertThat(elapsed).as("25 x 1,250 B at 125,000 B/s, in ns").isBetween(250 * MS, 5_000 * MS);
        assertThat(((ImpairedConnection) pair[0]).model().stats().bytes()).isEqualTo(25 * 1_250);
    }

    @Test
    void aResetClosesTheConnectionAsLost() throws Exception {
        Connection[] pair = impairedClient("reset=100%");

        pair[0].send(frame(0)); // accepted; the connection dies when it would have gone out

        assertThatThrownBy(pair[0]::receive).isInstanceOfSatisfying(ConnectionClosedException.class,
                e -> assertThat(e.reason()).isEqualTo(CloseReason.LOST));
        assertThatThrownBy(() -> pair[0].send(frame(1))).isInstanceOfSatisfying(ConnectionClosedException.class,
                e -> assertThat(e.reason()).isEqualTo(CloseReason.LOST));
        // The peer sees the connection end without the frame; through the SPI a reset cannot be
        // told apart from a close (the relay sends a real RST).
        assertThatThrownBy(pair[1]::receive).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void theSameSeedStallsTheSameFramesOfTheFirstConnection() throws Exception {
        Impairment impairment = Impairment.parse("loss=20%,seed=77");
        StreamModel expected = new StreamModel(impairment);
        boolean[] expectedStalls = new boolean[200];
        for (int i = 0; i < expectedStalls.length; i++) {
            expectedStalls[i] = expected.send(10, 0).stalled();
        }
        for (int run = 0; run < 2; run++) {
            Listener listener = plainServer();
            ImpairedTransport transport = ImpairedTransport.wrap(memory, impairment);
            try (Connection client = transport.connect(listener.localAddress(), FRAMING)) {
                StreamModel model = ((ImpairedConnection) client).model();
                boolean[] stalls = new boolean[expectedStalls.length];
                for (int i = 0; i < stalls.length; i++) {
                    stalls[i] = model.send(10, 0).stalled(); // the model is the connection's own
                }
                assertThat(stalls).isEqualTo(expectedStalls);
            }
        }
    }

    @Test
    void noImpairmentPassesEverythingThroughAtOnce() throws Exception {
        Listener listener = plainServer();
        Connection client = ImpairedTransport.wrap(memory, Impairment.NONE).connect(listener.localAddress(), FRAMING);
        toClose.add(client);
        Connection server = accepted.poll(10, TimeUnit.SECONDS);

        assertThat(client).isNotInstanceOf(ImpairedConnection.class); // the delegate's own: nothing in between
        for (int i = 0; i < 1_000; i++) {
            client.send(frame(i));
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(index(server.receive())).isEqualTo(i);
        }
    }

    @Test
    void ignoresDuplicationReorderingAndCorruptionOnAStream() throws Exception {
        Connection[] pair = impairedClient("dup=50%,reorder=50%,corrupt=50%,seed=2");

        assertThat(pair[0]).isNotInstanceOf(ImpairedConnection.class);
        for (int i = 0; i < 500; i++) {
            pair[0].send(frame(i));
        }
        for (int i = 0; i < 500; i++) {
            assertThat(pair[1].receive()).isEqualTo(frame(i));
        }
    }

    @Test
    void closeStillDeliversWhatWasSentThenEnds() throws Exception {
        Connection[] pair = impairedClient("delay=50ms");

        for (int i = 0; i < 3; i++) {
            pair[0].send(frame(i));
        }
        pair[0].close();

        assertThatThrownBy(() -> pair[0].send(frame(3))).isInstanceOfSatisfying(ConnectionClosedException.class,
                e -> assertThat(e.reason()).isEqualTo(CloseReason.LOCAL_CLOSE));
        for (int i = 0; i < 3; i++) {
            assertThat(index(pair[1].receive())).isEqualTo(i);
        }
        assertThatThrownBy(pair[1]::receive).isInstanceOfSatisfying(ConnectionClosedException.class,
                e -> assertThat(e.reason()).isEqualTo(CloseReason.PEER_CLOSED));
    }

    @Test
    void aHandlerThatReturnsStillGetsItsLastFramesOut() throws Exception {
        ImpairedTransport transport = ImpairedTransport.wrap(memory, Impairment.parse("delay=40ms"));
        Listener listener = transport.listen(ANY, FRAMING, connection -> {
            connection.send(Frame.ofUtf8("bye"));
            // returning closes the connection; the delayed "bye" must still arrive
        });
        toClose.add(listener);

        long start = System.nanoTime(); // before connecting: the handler sends at once
        try (Connection client = memory.connect(listener.localAddress(), FRAMING)) {
            assertThat(client.receive()).isEqualTo(Frame.ofUtf8("bye"));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(40 * MS);
            assertThatThrownBy(client::receive).isInstanceOf(ConnectionClosedException.class);
        }
    }

    @Test
    void refusesAnOversizeFrameAtOnceAsTheDelegateWould() throws Exception {
        Connection[] pair = impairedClient("delay=10ms");

        assertThatThrownBy(() -> pair[0].send(new Frame(new byte[64 * 1024 + 1])))
                .isInstanceOf(FrameTooLargeException.class);
        pair[0].send(frame(1));
        assertThat(index(pair[1].receive())).isEqualTo(1);
    }

    @Test
    void receivesAndReportsTrafficThroughTheDelegate() throws Exception {
        Connection[] pair = impairedClient("delay=5ms");

        pair[1].send(frame(7));
        assertThat(index(pair[0].receive())).isEqualTo(7);
        pair[0].send(frame(8));
        assertThat(index(pair[1].receive())).isEqualTo(8);

        assertThat(pair[0].stats().framesIn()).as("the delegate's counters").isEqualTo(1);
        assertThat(pair[0].stats().bytesIn()).isEqualTo(4 + "frame-00007".length());
        assertThat(pair[0].guarantees(Delivery.UNRELIABLE).delivery()).isEqualTo(Delivery.RELIABLE_ORDERED);
        assertThat(ImpairedTransport.wrap(memory, Impairment.parse("delay=5ms")).name()).isEqualTo("memory");
    }
}
