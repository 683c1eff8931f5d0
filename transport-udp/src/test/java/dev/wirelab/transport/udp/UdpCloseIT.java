package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.ConnectionHandler;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The graceful close over real loopback sockets: everything sent before {@code close()} reaches the
 * peer's reader before its {@code PEER_CLOSED}, however many times and from however many threads
 * the connection is closed. The losses that matter are chosen by a relay, so each test fails the same
 * way every time when the rule is broken.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpCloseIT {

    private static final Framing FRAMING = Framing.lengthPrefixed(64 * 1024);

    /**
     * The chat server's QUIT: the handler's writer thread sends the last frame and closes; the
     * handler's reader wakes with {@code LOCAL_CLOSE} and returns, and the transport closes the
     * connection again. The last frame's first copy is lost, so the first close must still be
     * lingering for its repair when the second close comes; and since the server has no RTT sample
     * yet, its probe timer (about 1 s) is as long as the linger, so the repair comes from the
     * lingering close's own probe.
     */
    @Test
    void aWritersCloseStillDeliversItsLastFrameWhenTheTransportClosesAgainAsTheHandlerReturns() throws Exception {
        UdpTransport server = UdpTransport.create(impaired("delay=5ms,jitter=5ms", 12));
        UdpTransport client = UdpTransport.create(impaired("delay=5ms,jitter=5ms", 11));
        BlockingQueue<CloseReason> handlerSaw = new LinkedBlockingQueue<>();
        ConnectionHandler quitWithGoodbye = connection -> {
            assertThat(connection.receive().toUtf8()).isEqualTo("quit");
            Thread.ofVirtual().start(() -> {
                try {
                    connection.send(Frame.ofUtf8("goodbye"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    connection.close();
                }
            });
            try {
                connection.receive();
            } catch (ConnectionClosedException e) {
                handlerSaw.add(e.reason());
            }
            // Returning: the transport closes the connection a second time, while the writer's close lingers.
        };
        try (Listener listener = server.listen(loopback(), FRAMING, quitWithGoodbye);
                UdpTestRelay relay = new UdpTestRelay(listener.localAddress());
                Connection connection = client.connect(relay.address(), FRAMING)) {
            relay.drop(seen -> !seen.toServer() && seen.carriesFrames()); // the goodbye, until the handler is gone

            connection.send(Frame.ofUtf8("quit"));
            assertThat(handlerSaw.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.LOCAL_CLOSE);
            Await.until("the goodbye was lost, and the transport closed the connection again as the handler returned",
                    () -> relay.seen().stream().anyMatch(seen -> !seen.toServer() && seen.carriesFrames())
                            && server.activeHandlers() == 0);
            relay.drop(seen -> false);

            assertThat(connection.receive().toUtf8()).isEqualTo("goodbye");
            assertThat(endOf(connection)).isEqualTo(CloseReason.PEER_CLOSED);
        }
    }

    /**
     * Two threads close at once while the last frame is still unacknowledged: the one that comes
     * second returns at once, the first lingers until the frame is acknowledged (well before its
     * five-second linger) and only then says CLOSE.
     */
    @Test
    void aSecondConcurrentCloseReturnsAtOnceAndLeavesTheFirstToFinishItsLinger() throws Exception {
        Duration linger = Duration.ofSeconds(5);
        UdpOptions options = UdpOptions.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), linger);
        BlockingQueue<Object> serverSaw = new LinkedBlockingQueue<>();
        ConnectionHandler recorder = connection -> {
            try {
                while (true) {
                    serverSaw.add(connection.receive().toUtf8());
                }
            } catch (ConnectionClosedException e) {
                serverSaw.add(e.reason());
            }
        };
        try (Listener listener = UdpTransport.create(options).listen(loopback(), FRAMING, recorder);
                UdpTestRelay relay = new UdpTestRelay(listener.localAddress())) {
            UdpConnection connection = UdpTransport.create(options).connect(relay.address(), FRAMING);
            relay.drop(seen -> seen.toServer() && seen.carriesFrames());
            connection.send(Frame.ofUtf8("last words"));

            List<CompletableFuture<Long>> closes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                closes.add(CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    connection.close();
                    return System.nanoTime() - start;
                }, command -> Thread.ofVirtual().start(command)));
            }
            CompletableFuture.anyOf(closes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(connection.isReleased()).as("the first close still lingers").isFalse();
            relay.drop(seen -> false);

            List<Long> took = new ArrayList<>();
            for (CompletableFuture<Long> close : closes) {
                took.add(close.get(10, TimeUnit.SECONDS));
            }
            assertThat(serverSaw.poll(10, TimeUnit.SECONDS)).isEqualTo("last words");
            assertThat(serverSaw.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.PEER_CLOSED);
            assertThat(took).as("the linger ended when the frame was acknowledged, not at its deadline")
                    .allSatisfy(nanos -> assertThat(nanos).isLessThan(linger.toNanos() - TimeUnit.SECONDS.toNanos(1)));
            assertThat(connection.isReleased()).isTrue();
        }
    }

    /**
     * The rule end to end through seeded loss, delay and jitter both ways: twenty connections, each
     * with a writer that sends its frames and closes while the handler's own return closes again;
     * every client reads every frame, in order, then {@code PEER_CLOSED}.
     */
    @Test
    void everyFrameSentBeforeCloseIsReadBeforeTheEndThroughALossyJitteryLink() throws Exception {
        int frames = 40;
        UdpTransport server = UdpTransport.create(impaired("loss=10%,delay=5ms,jitter=5ms", 12));
        UdpTransport client = UdpTransport.create(impaired("loss=10%,delay=5ms,jitter=5ms", 11));
        ConnectionHandler burstThenClose = connection -> {
            connection.receive();
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < frames; i++) {
                        connection.send(Frame.ofUtf8("#" + i));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    connection.close();
                }
            });
            try {
                connection.receive();
            } catch (ConnectionClosedException e) {
                // the writer closed: return, and the transport closes again
            }
        };
        try (Listener listener = server.listen(loopback(), FRAMING, burstThenClose)) {
            List<CompletableFuture<List<String>>> runs = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try (Connection connection = client.connect(listener.localAddress(), FRAMING)) {
                        connection.send(Frame.ofUtf8("go"));
                        List<String> got = new ArrayList<>();
                        while (true) {
                            try {
                                got.add(connection.receive().toUtf8());
                            } catch (ConnectionClosedException e) {
                                got.add(e.reason().name());
                                return got;
                            }
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, command -> Thread.ofVirtual().start(command)));
            }

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                expected.add("#" + i);
            }
            expected.add(CloseReason.PEER_CLOSED.name());
            for (CompletableFuture<List<String>> run : runs) {
                assertThat(run.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
            }
        }
    }

    /**
     * The server's linger (200 ms) runs out while its last frame is held up on the way, so its CLOSE
     * overtakes the frame. The CLOSE says one frame was sent; the client has none, so it waits, and
     * ends PEER_CLOSED only once the frame, let through after the CLOSE, has been delivered.
     */
    @Test
    void aCloseThatOvertakesTheLastFrameWaitsForIt() throws Exception {
        try (Listener listener = UdpTransport.create(shortLinger()).listen(loopback(), FRAMING, UdpCloseIT::tailThenClose);
                UdpTestRelay relay = new UdpTestRelay(listener.localAddress());
                Connection connection = UdpTransport.create().connect(relay.address(), FRAMING)) {
            relay.hold(seen -> !seen.toServer() && seen.carriesFrames());

            connection.send(Frame.ofUtf8("go"));
            Await.until("the server gave up lingering and said CLOSE",
                    () -> !relay.fromServer(PacketHeader.Type.CLOSE).isEmpty());
            relay.releaseHeld();

            assertThat(connection.receive().toUtf8()).isEqualTo("tail");
            assertThat(endOf(connection)).isEqualTo(CloseReason.PEER_CLOSED);
        }
    }

    /**
     * The server's last frame never arrives and its linger runs out: the client is told by the
     * CLOSE that a frame is missing, waits its own linger for it, and reports the end as LOST rather
     * than as a clean PEER_CLOSED.
     */
    @Test
    void aCloseBeforeTheLastFrameGotThroughEndsAsLostNotAsACleanClose() throws Exception {
        try (Listener listener = UdpTransport.create(shortLinger()).listen(loopback(), FRAMING, UdpCloseIT::tailThenClose);
                UdpTestRelay relay = new UdpTestRelay(listener.localAddress());
                Connection connection = UdpTransport.create().connect(relay.address(), FRAMING)) {
            relay.drop(seen -> !seen.toServer() && seen.carriesFrames());

            connection.send(Frame.ofUtf8("go"));
            ConnectionClosedException end = endingOf(connection);

            assertThat(end.reason()).as(end.getMessage()).isEqualTo(CloseReason.LOST);
            assertThat(end.getMessage()).contains("the peer closed, and 1 frame it sent before that did not arrive");
            assertThat(relay.fromServer(PacketHeader.Type.CLOSE)).isNotEmpty();
        }
    }

    /** Reads one frame, answers "tail" and closes. */
    private static void tailThenClose(Connection connection) throws IOException {
        connection.receive();
        connection.send(Frame.ofUtf8("tail"));
        connection.close();
    }

    private static UdpOptions shortLinger() {
        return UdpOptions.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(200));
    }

    private static UdpOptions impaired(String spec, long seed) {
        return UdpOptions.defaults()
                .withImpairment(Impairment.parse(spec).withSeed(seed))
                .withHandshake(Duration.ofSeconds(20), Duration.ofMillis(50))
                .withClocks(java.time.InstantSource.system(), System::nanoTime, new SplittableRandom(seed));
    }

    /** How the connection ends, after any frames still queued (which fail the test). */
    private static CloseReason endOf(Connection connection) throws IOException {
        return endingOf(connection).reason();
    }

    private static ConnectionClosedException endingOf(Connection connection) throws IOException {
        try {
            Frame unexpected = connection.receive();
            throw new AssertionError("expected the end, got " + unexpected.toUtf8());
        } catch (ConnectionClosedException e) {
            return e;
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
