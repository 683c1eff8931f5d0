package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Delivery;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transport over a bad network made in-process and seeded: every datagram each side sends
 * goes through its own {@link Impairment}, so the same seeds give the same losses on every run.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpImpairedIT {

    private static final Framing FRAMING = Framing.lengthPrefixed(64 * 1024);

    private static UdpOptions impaired(String spec, long seed) {
        return UdpOptions.defaults()
                .withImpairment(Impairment.parse(spec).withSeed(seed))
                .withHandshake(Duration.ofSeconds(20), Duration.ofMillis(50))
                .withClocks(java.time.InstantSource.system(), System::nanoTime, new SplittableRandom(seed));
    }

    @Test
    void twoConnectionsThroughTwentyPercentLossBothWaysLoseDuplicateAndReorderNothing() throws Exception {
        UdpTransport server = UdpTransport.create(impaired("loss=20%", 1));
        UdpTransport client = UdpTransport.create(impaired("loss=20%", 2));
        int frames = 2000;
        try (Listener listener = server.listen(loopback(), FRAMING, UdpImpairedIT::echo)) {
            List<CompletableFuture<List<String>>> runs = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int connection = c;
                runs.add(CompletableFuture.supplyAsync(() -> exchange(client, listener, connection, frames),
                        command -> Thread.ofVirtual().start(command)));
            }

            for (int c = 0; c < 2; c++) {
                List<String> echoed = runs.get(c).get(50, TimeUnit.SECONDS);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < frames; i++) {
                    expected.add("c" + c + " #" + i);
                }
                assertThat(echoed).containsExactlyElementsOf(expected);
            }
        }
        assertThat(client.counters().datagramsOut()).as("the loss made the engine resend")
                .isGreaterThan(client.counters().connectionsOpened());
        Await.until("the closed connections' engines report their retransmits and losses",
                () -> client.counters().retransmits() > 0 && client.counters().packetsLost() > 0
                        && server.counters().retransmits() > 0);
        assertThat(client.counters().spuriousRetransmits()).isLessThanOrEqualTo(client.counters().retransmits());
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyEngineProfileDeliversEverythingInOrderThroughFivePercentLoss(String profile) throws Exception {
        UdpTransport server = UdpTransport.create(impaired("loss=5%", 5).withProfile(profile));
        UdpTransport client = UdpTransport.create(impaired("loss=5%", 6).withProfile(profile));
        try (Listener listener = server.listen(loopback(), FRAMING, UdpImpairedIT::echo)) {
            List<String> echoed = exchange(client, listener, 0, 300);

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add("c0 #" + i);
            }
            assertThat(echoed).containsExactlyElementsOf(expected);
        }
    }

    static List<String> profiles() {
        return EngineConfig.profileNames();
    }

    @Test
    void delayJitterReorderDuplicatesAndCorruptionChangeNothingDelivered() throws Exception {
        String spec = "loss=5%,delay=2ms,jitter=3ms,reorder=5%,duplicate=5%,corrupt=5%";
        UdpTransport server = UdpTransport.create(impaired(spec, 3));
        UdpTransport client = UdpTransport.create(impaired(spec, 4));
        try (Listener listener = server.listen(loopback(), FRAMING, UdpImpairedIT::echo)) {
            List<String> echoed = exchange(client, listener, 0, 500);

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                expected.add("c0 #" + i);
            }
            assertThat(echoed).containsExactlyElementsOf(expected);
        }
        assertThat(server.counters().dropped(UdpDrop.BAD_CHECKSUM) + client.counters().dropped(UdpDrop.BAD_CHECKSUM))
                .as("corrupted datagrams caught by the checksum, never delivered").isPositive();
    }

    @Test
    void aPeerThatDiesWithoutCloseIsLostAfterTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofMillis(600);
        UdpOptions quick = UdpOptions.defaults().withTimeouts(Duration.ofMillis(100), idle, Duration.ofMillis(100));
        UdpTransport server = UdpTransport.create(quick);
        BlockingQueue<ConnectionClosedException> ends = new LinkedBlockingQueue<>();
        AtomicLong detectedAt = new AtomicLong();
        try (Listener listener = server.listen(loopback(), FRAMING, connection -> {
            try {
                echo(connection);
            } catch (ConnectionClosedException e) {
                detectedAt.set(System.nanoTime());
                ends.add(e);
            }
        }); UdpTestRelay relay = new UdpTestRelay(listener.localAddress())) {
            // When the client's last datagram was handed on to the server: the server got it no earlier.
            AtomicLong lastToServer = new AtomicLong();
            relay.drop(seen -> {
                if (seen.toServer()) {
                    lastToServer.set(System.nanoTime());
                }
                return false;
            });
            UdpConnection client = UdpTransport.create(quick).connect(relay.address(), FRAMING);
            client.send(Frame.ofUtf8("alive"));
            assertThat(client.receive()).isEqualTo(Frame.ofUtf8("alive"));

            client.endpoint().close(); // the socket vanishes: no CLOSE is ever sent

            ConnectionClosedException end = ends.poll(10, TimeUnit.SECONDS);
            assertThat(end).as("the server noticed within 10 s").isNotNull();
            assertThat(end.reason()).isEqualTo(CloseReason.LOST);
            assertThat(end).hasMessageContaining("nothing received for 600 ms");
            assertThat(Duration.ofNanos(detectedAt.get() - lastToServer.get()))
                    .as("not before the idle timeout had passed since the client's last datagram")
                    .isGreaterThanOrEqualTo(idle);
            assertThat(relay.fromClient(PacketHeader.Type.CLOSE)).as("no CLOSE from the dead client").isEmpty();
            client.close();
        }
    }

    @Test
    void anIdleButLivePeerIsKeptByKeepalives() throws Exception {
        UdpOptions quick = UdpOptions.defaults()
                .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(100));
        UdpTransport transport = UdpTransport.create(quick);
        try (Listener listener = transport.listen(loopback(), FRAMING, UdpImpairedIT::echo);
                UdpConnection connection = transport.connect(listener.localAddress(), FRAMING)) {
            long start = connection.stats().bytesIn();

            // Silence from the application for several idle timeouts' worth of keepalives.
            Await.until("keepalives arrive for well over the idle timeout",
                    () -> connection.stats().bytesIn() > start + 20 * 16);

            connection.send(Frame.ofUtf8("still here"));
            assertThat(connection.receive()).isEqualTo(Frame.ofUtf8("still here"));
        }
    }

    @Test
    void aPeerThatStopsReadingHoldsUpOnlyItsOwnSenderAndLosesNothingWhenItReadsAgain() throws Exception {
        int frames = 6000; // 6 MB: more than the server's 4 MiB send buffer, so its sender must wait
        UdpTransport transport = UdpTransport.create();
        UdpTransport small = UdpTransport.create(UdpOptions.defaults().withReceiveQueueBytes(64 * 1024));
        BlockingQueue<Object> ends = new LinkedBlockingQueue<>();
        java.util.Map<String, AtomicInteger> sent = new java.util.concurrent.ConcurrentHashMap<>();
        try (Listener listener = transport.listen(loopback(), FRAMING, connection -> {
            try {
                String who = connection.receive().toUtf8(); // "bystander" or "lazy"
                AtomicInteger count = sent.computeIfAbsent(who, k -> new AtomicInteger());
                for (int i = 0; i < frames; i++) {
                    byte[] frame = new byte[1000];
                    java.nio.ByteBuffer.wrap(frame).putInt(i);
                    connection.send(new Frame(frame), Delivery.RELIABLE_ORDERED);
                    count.incrementAndGet();
                }
                connection.receive(); // until the client closes
            } catch (ConnectionClosedException e) {
                if (e.reason() != CloseReason.PEER_CLOSED) {
                    ends.add(e.reason() + ": " + e.getMessage());
                }
            }
        });
                Connection bystander = transport.connect(listener.localAddress(), FRAMING);
                UdpConnection lazy = small.connect(listener.localAddress(), FRAMING)) {
            lazy.send(Frame.ofUtf8("lazy"));
            bystander.send(Frame.ofUtf8("bystander"));

            // Nobody reads "lazy": the bystander still gets everything, in order.
            for (int i = 0; i < frames; i++) {
                assertThat(java.nio.ByteBuffer.wrap(bystander.receive().bytes()).getInt()).isEqualTo(i);
            }
            Await.until("the server's sender to lazy started", () -> sent.containsKey("lazy"));
            assertThat(sent.get("lazy").get()).as("the window held lazy's sender back").isLessThan(frames);

            // Lazy reads at last: every frame, in order, nothing dropped, nobody disconnected.
            for (int i = 0; i < frames; i++) {
                assertThat(java.nio.ByteBuffer.wrap(lazy.receive().bytes()).getInt()).isEqualTo(i);
            }
            assertThat(sent.get("lazy").get()).isEqualTo(frames);
            assertThat(lazy.unreliableFramesDroppedUnread()).isZero();
            assertThat(ends).isEmpty();
        }
    }

    /** Sends {@code frames} numbered frames on a new connection, in order, and returns what is echoed. */
    private static List<String> exchange(UdpTransport client, Listener listener, int connection, int frames) {
        try (Connection c = client.connect(listener.localAddress(), FRAMING)) {
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < frames; i++) {
                        c.send(Frame.ofUtf8("c" + connection + " #" + i), Delivery.RELIABLE_ORDERED);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, command -> Thread.ofVirtual().start(command));
            List<String> echoed = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                echoed.add(c.receive().toUtf8());
            }
            sender.join();
            return echoed;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void echo(Connection connection) throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = connection.receive();
            } catch (ConnectionClosedException e) {
                if (e.reason() == CloseReason.LOST) {
                    throw e;
                }
                return;
            }
            connection.send(frame);
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
