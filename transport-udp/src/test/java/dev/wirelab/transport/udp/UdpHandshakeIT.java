package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Listener;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handshake and the silence rule over real loopback sockets: a raw socket plays the client (or
 * the server) with hand-made datagrams, and every case that must get no reply checks both that the
 * raw socket hears nothing and that the counters name the right reason.
 * Cases 8, 26, 27 and 28 of {@code reference/limits-and-bad-input.md} §5 are here.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpHandshakeIT {

    private static final Framing FRAMING = Framing.lengthPrefixed(64 * 1024);
    private static final Duration BUCKET = UdpOptions.COOKIE_LIFETIME_DEFAULT;

    private final UdpTestClock wall = new UdpTestClock(BUCKET.toMillis() * 1000); // the start of a bucket
    private final List<AutoCloseable> resources = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final SplittableRandom random = new SplittableRandom(2024);
    private UdpTransport server;
    private Listener listener;

    @BeforeEach
    void startServer() throws IOException {
        server = UdpTransport.create(UdpOptions.defaults().withClocks(wall, System::nanoTime, new SplittableRandom(7)));
        listener = track(server.listen(loopback(), FRAMING, connection -> {
            accepted.add(connection);
            echo(connection);
        }));
    }

    @AfterEach
    void closeEverything() throws Exception {
        accepted.forEach(Connection::close); // raw probes never close theirs
        List<AutoCloseable> all = new ArrayList<>(resources);
        Collections.reverse(all);
        for (AutoCloseable resource : all) {
            resource.close();
        }
    }

    // ------------------------------------------------------------------------------ the handshake

    @Test
    void aPaddedHelloGetsACookieNoLargerThanItAndLeavesNoState() throws Exception {
        UdpTestProbe probe = probe();
        byte[] hello = hello(11);

        probe.send(hello);
        byte[] reply = probe.receive();

        PacketHeader.Parsed header = parsed(reply);
        assertThat(header.type()).isEqualTo(PacketHeader.Type.COOKIE);
        assertThat(header.connectionId()).as("the nonce echoed").isEqualTo(11);
        assertThat(reply.length).isEqualTo(36).isLessThanOrEqualTo(hello.length / 3);
        assertThat(server.counters().cookiesSent()).isEqualTo(1);
        assertThat(server.counters().connectionsAccepted()).isZero();
        assertThat(((UdpListener) listener).openConnections()).isZero();
    }

    @Test
    void aHelloShorterThanTwelveHundredBytesGetsNothing() throws Exception {
        UdpTestProbe probe = probe();

        probe.send(HandshakeMessages.hello(1, Optional.empty(), 1199));
        probe.send(HandshakeMessages.hello(2, Optional.empty(), 17));

        awaitDropped(UdpDrop.HELLO_NOT_PADDED, 2);
        assertSilence(probe);
        assertThat(server.counters().cookiesSent()).isZero();
    }

    @Test
    void aHelloReturningItsCookieGetsAnAcceptAndExactlyOneConnection() throws Exception {
        UdpTestProbe probe = probe();
        byte[] cookie = cookie(probe, 21);

        probe.send(helloWith(21, cookie));
        byte[] reply = probe.receive();

        PacketHeader.Parsed header = parsed(reply);
        assertThat(header.type()).isEqualTo(PacketHeader.Type.ACCEPT);
        assertThat(reply).hasSize(24);
        assertThat(header.connectionId()).isNotZero();
        assertThat(HandshakeMessages.parseAccept(reply, 16, 8)).contains(21L);
        Connection connection = accepted.poll(5, TimeUnit.SECONDS);
        assertThat(connection).isNotNull();
        assertThat(connection.remoteAddress()).isEqualTo(probe.address());
        assertThat(server.counters().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aRepeatedHelloBeforeAnyDataGetsTheSameAcceptAgainButNoSecondConnection() throws Exception {
        UdpTestProbe probe = probe();
        byte[] cookie = cookie(probe, 22);
        byte[] second = helloWith(22, cookie);

        probe.send(second);
        byte[] first = probe.receive();
        probe.send(second); // as if the first ACCEPT had been lost
        byte[] again = probe.receive();

        assertThat(again).isEqualTo(first);
        assertThat(server.counters().acceptsSent()).isEqualTo(2);
        assertThat(server.counters().connectionsAccepted()).isEqualTo(1);
        assertThat(((UdpListener) listener).openConnections()).isEqualTo(1);
    }

    @Test
    void aHelloReplayedAfterItsConnectionEndedGetsNothing() throws Exception {
        UdpTestProbe probe = probe();
        byte[] cookie = cookie(probe, 23);
        byte[] second = helloWith(23, cookie);
        probe.send(second);
        long id = parsed(probe.receive()).connectionId();
        Connection connection = accepted.poll(5, TimeUnit.SECONDS);

        connection.close();
        List<byte[]> closes = probe.drain(UdpTestProbe.SILENCE);
        probe.send(second);

        assertThat(closes).isNotEmpty().allSatisfy(d -> {
            assertThat(parsed(d).type()).isEqualTo(PacketHeader.Type.CLOSE);
            assertThat(parsed(d).connectionId()).isEqualTo(id);
        });
        awaitDropped(UdpDrop.REPLAYED_HELLO, 1);
        assertSilence(probe);
        assertThat(server.counters().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aReplayedHelloAndReplayedDataFromTheClientsAddressChangeNothing() throws Exception {
        BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
        BlockingQueue<UdpConnection> serverSide = new LinkedBlockingQueue<>();
        Listener recording = track(server.listen(loopback(), FRAMING, connection -> {
            serverSide.add((UdpConnection) connection);
            while (true) {
                Frame frame = connection.receive();
                received.add(frame);
                connection.send(frame);
            }
        }));
        UdpTestRelay relay = track(new UdpTestRelay(recording.localAddress()));
        UdpTransport client = UdpTransport.create();
        Connection connection = track(client.connect(relay.address(), FRAMING));
        for (int i = 0; i < 5; i++) {
            connection.send(Frame.ofUtf8("frame " + i));
            assertThat(connection.receive()).isEqualTo(Frame.ofUtf8("frame " + i));
        }
        UdpConnection served = serverSide.poll(5, TimeUnit.SECONDS);
        assertThat(served).isNotNull();
        long acceptsBefore = relay.fromServer(PacketHeader.Type.ACCEPT).size();
        long duplicatesBefore = served.engineStats().duplicatePackets();
        long framesBefore = served.engineStats().duplicateFrames();

        relay.replayToServer(relay.fromClient(PacketHeader.Type.HELLO).getLast());
        List<byte[]> replayed = relay.fromClient(PacketHeader.Type.DATA);
        for (byte[] data : replayed) {
            relay.replayToServer(data);
        }
        connection.send(Frame.ofUtf8("after the replay"));

        assertThat(connection.receive()).isEqualTo(Frame.ofUtf8("after the replay"));
        // At least: on a slow machine the client itself may have repeated its HELLO late.
        Await.until("the replayed HELLO dropped", () -> server.counters().dropped(UdpDrop.REPLAYED_HELLO) >= 1);
        // Every replayed DATA datagram is a packet the server's engine already has: dropped whole, counted.
        Await.until("the replayed DATA counted as duplicates",
                () -> served.engineStats().duplicatePackets() >= duplicatesBefore + replayed.size());
        assertThat(served.engineStats().duplicatePackets()).isEqualTo(duplicatesBefore + replayed.size());
        assertThat(served.engineStats().duplicateFrames()).as("dropped as packets, before their frames are looked at")
                .isEqualTo(framesBefore);
        List<Frame> frames = new ArrayList<>();
        received.drainTo(frames);
        assertThat(frames).extracting(Frame::toUtf8).containsExactly(
                "frame 0", "frame 1", "frame 2", "frame 3", "frame 4", "after the replay");
        assertThat(relay.fromServer(PacketHeader.Type.ACCEPT)).hasSize((int) acceptsBefore);
        assertThat(server.counters().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void dataForAConnectionThatEndedIsCountedAsClosedAndGetsNothing() throws Exception {
        Recording recording = recordingListener();
        UdpTestProbe probe = track(new UdpTestProbe(recording.listener().localAddress()));
        long id = handshake(probe, 121);
        UdpConnection served = recording.connection();
        byte[] data = dataPacket(id, 0, 0, "m0");
        probe.send(data);
        assertThat(recording.frames().poll(5, TimeUnit.SECONDS)).isEqualTo(Frame.ofUtf8("m0"));

        served.close();
        Await.until("the server's side released", () -> ((UdpListener) recording.listener()).openConnections() == 0);
        List<byte[]> closes = probe.drain(UdpTestProbe.SILENCE);
        probe.send(data); // a late copy of the DATA, from the address the connection had
        UdpTestProbe elsewhere = track(new UdpTestProbe(recording.listener().localAddress()));
        elsewhere.send(dataPacket(id, 1, 1, "m1")); // the same id from another address

        assertThat(closes).extracting(d -> parsed(d).type()).contains(PacketHeader.Type.CLOSE);
        awaitDropped(UdpDrop.CLOSED_CONNECTION, 2);
        assertSilence(probe);
        assertSilence(elsewhere);
        assertThat(server.counters().dropped(UdpDrop.UNKNOWN_CONNECTION)).isZero();
        assertThat(server.counters().dropped(UdpDrop.WRONG_ADDRESS)).isZero();
        assertThat(recording.frames()).as("nothing delivered after the end").isEmpty();
    }

    /**
     * Case 28 of {@code reference/limits-and-bad-input.md} §5 over real sockets: a raw socket that did
     * the handshake sends hand-made engine packets, a message sequence number far beyond the receive
     * window among them, and packets and messages again. Each message is delivered once, in order; the
     * far one is refused (not acknowledged, not delivered, nothing kept), the repeats are dropped and
     * counted, and the connection carries on.
     */
    @Test
    void aSequenceNumberFarOutsideTheReceiveWindowIsRefusedAndRepeatsAreDroppedOverRealSockets() throws Exception {
        Recording recording = recordingListener();
        BlockingQueue<Frame> received = recording.frames();
        UdpTestProbe probe = track(new UdpTestProbe(recording.listener().localAddress()));
        long id = handshake(probe, 111);
        UdpConnection served = recording.connection();
        byte[] first = dataPacket(id, 0, 0, "m0");

        probe.send(first);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(Frame.ofUtf8("m0"));
        probe.send(dataPacket(id, 1, 1_000_000, "far ahead"));
        Await.until("the far packet refused", () -> served.engineStats().packetsRefused() == 1);
        probe.send(first);                          // the same packet again
        probe.send(dataPacket(id, 2, 0, "m0"));     // the same message in a new packet
        Await.until("the repeats counted", () -> served.engineStats().duplicatePackets() == 1
                && served.engineStats().duplicateFrames() == 1);
        probe.send(dataPacket(id, 3, 1, "m1"));

        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(Frame.ofUtf8("m1"));
        assertThat(received.poll(UdpTestProbe.SILENCE.toMillis(), TimeUnit.MILLISECONDS)).as("nothing else").isNull();
        EngineStats stats = served.engineStats();
        assertThat(stats.messagesDelivered()).isEqualTo(2);
        assertThat(stats.packetsRefused()).isEqualTo(1);
        assertThat(stats.duplicatePackets()).isEqualTo(1);
        assertThat(stats.duplicateFrames()).isEqualTo(1);
        assertThat(stats.badPackets()).isZero();
        assertThat(server.counters().droppedTotal()).as("all dropped inside the connection, none at the socket")
                .isZero();
    }

    @Test
    void aCookieIsValidThroughTheNextBucketAndStaleTwoBucketsLater() throws Exception {
        UdpTestProbe probe = probe();
        byte[] early = cookie(probe, 31);
        byte[] late = cookie(probe, 32);

        wall.advance(BUCKET);
        probe.send(helloWith(31, early));
        byte[] accept = probe.receive();
        wall.advance(BUCKET);
        probe.send(helloWith(32, late));

        assertThat(parsed(accept).type()).isEqualTo(PacketHeader.Type.ACCEPT);
        awaitDropped(UdpDrop.STALE_COOKIE, 1);
        assertSilence(probe);
        assertThat(server.counters().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aForgedCookieGetsNothing() throws Exception {
        UdpTestProbe probe = probe();
        byte[] cookie = cookie(probe, 41);
        byte[] flipped = cookie.clone();
        flipped[10] ^= 0x40;
        byte[] invented = new byte[CookieJar.COOKIE_BYTES];
        random.nextBytes(invented);
        System.arraycopy(cookie, 0, invented, 0, 4); // the right bucket, a made-up tag

        probe.send(helloWith(41, flipped));
        probe.send(helloWith(41, invented));
        probe.send(helloWith(42, cookie)); // a real cookie for another nonce

        awaitDropped(UdpDrop.BAD_COOKIE, 3);
        assertSilence(probe);
        assertThat(server.counters().connectionsAccepted()).isZero();
    }

    @Test
    void aCookieReturnedFromAnotherAddressGetsNothing() throws Exception {
        UdpTestProbe victim = probe();
        UdpTestProbe other = probe();
        byte[] cookie = cookie(victim, 51);

        other.send(helloWith(51, cookie));

        awaitDropped(UdpDrop.BAD_COOKIE, 1);
        assertSilence(other);
        assertSilence(victim);
        assertThat(server.counters().connectionsAccepted()).isZero();
    }

    @Test
    void aHelloFloodFromOneSourceDrawsOnlyRateLimitedSmallCookies() throws Exception {
        UdpTestProbe probe = probe();
        int hellos = 300;

        for (int i = 0; i < hellos; i++) {
            probe.send(hello(1000 + i));
        }
        List<byte[]> replies = probe.drain(UdpTestProbe.SILENCE);

        Await.until("every HELLO counted", () -> server.counters().cookiesSent()
                + server.counters().dropped(UdpDrop.RATE_LIMITED) == hellos);
        UdpCounters counters = server.counters();
        assertThat(replies).hasSize((int) counters.cookiesSent())
                .allSatisfy(reply -> assertThat(reply).hasSize(36));
        assertThat(counters.cookiesSent()).isBetween(50L, 50L + 50L * 10); // the burst, then 50/s
        assertThat(counters.dropped(UdpDrop.RATE_LIMITED)).isPositive();
        assertThat(counters.bytesOut() * 30).as("bytes out at most a thirtieth of bytes in")
                .isLessThanOrEqualTo(counters.bytesIn());
        assertThat(((UdpListener) listener).openConnections()).isZero();
    }

    // ------------------------------------------------------------------------------ silence

    @Test
    void garbageAndDatagramsOfOtherProtocolsGetNothing() throws Exception {
        UdpTestProbe probe = probe();
        byte[] wrongMagic = hello(61);
        wrongMagic[0] = 'X';
        byte[] unknownType = PacketHeader.encode(PacketHeader.Type.DATA, 1, new byte[8]);
        unknownType[3] = 42;
        List<byte[]> garbage = List.of(
                new byte[0],                                      // case 8: a 0-byte datagram
                new byte[] {0x57},
                Arrays.copyOf(hello(62), 15),
                randomBytes(500),
                "{\"command\":\"LIST_MESSAGES\",\"data\":\"\"}".getBytes(StandardCharsets.UTF_8), // case 26
                ("{\"command\":\"ECHO\",\"data\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8),
                wrongMagic,
                unknownType);

        for (byte[] datagram : garbage) {
            probe.send(datagram);
        }

        awaitDropped(UdpDrop.MALFORMED, garbage.size());
        assertSilence(probe);
        assertThat(accepted).isEmpty();
    }

    @Test
    void anotherVersionOrABadChecksumGetsNothing() throws Exception {
        UdpTestProbe probe = probe();
        byte[] version = hello(71);
        version[2] = 2;
        byte[] corrupted = hello(72);
        corrupted[600] ^= 1;

        probe.send(version);
        probe.send(corrupted);

        awaitDropped(UdpDrop.BAD_VERSION, 1);
        awaitDropped(UdpDrop.BAD_CHECKSUM, 1);
        assertSilence(probe);
    }

    @Test
    void datagramsOverTheLimitAreDroppedUnreadEvenAWellFormedHello() throws Exception {
        UdpTestProbe probe = probe();

        probe.send(HandshakeMessages.hello(81, Optional.empty(), 1201)); // case 28: 1201 bytes
        probe.send(HandshakeMessages.hello(82, Optional.empty(), 1472));
        probe.send(new byte[65_507]);

        awaitDropped(UdpDrop.OVERSIZE, 3);
        assertSilence(probe);
        assertThat(server.counters().cookiesSent()).isZero();
    }

    @Test
    void datagramsForUnknownConnectionsGetNothing() throws Exception {
        UdpTestProbe probe = probe();

        probe.send(PacketHeader.encode(PacketHeader.Type.DATA, 0x1234_5678L, new byte[40]));
        probe.send(PacketHeader.encode(PacketHeader.Type.CLOSE, 0x1234_5679L, new byte[0]));

        awaitDropped(UdpDrop.UNKNOWN_CONNECTION, 2);
        assertSilence(probe);
    }

    @Test
    void theServersOwnRepliesSentBackToItGetNothing() throws Exception {
        UdpTestProbe probe = probe();
        probe.send(hello(91));
        byte[] cookieReply = probe.receive();
        byte[] acceptShaped = HandshakeMessages.accept(5, 91);

        probe.send(cookieReply); // case 27: a loop probe
        probe.send(acceptShaped);

        awaitDropped(UdpDrop.UNEXPECTED_TYPE, 2);
        assertSilence(probe);
        assertThat(server.counters().cookiesSent()).isEqualTo(1);
    }

    @Test
    void dataWithAKnownIdFromAnotherAddressIsDropped() throws Exception {
        UdpTestRelay relay = track(new UdpTestRelay(listener.localAddress()));
        Connection connection = track(UdpTransport.create().connect(relay.address(), FRAMING));
        connection.send(Frame.ofUtf8("hello"));
        assertThat(connection.receive()).isEqualTo(Frame.ofUtf8("hello"));
        UdpTestProbe elsewhere = probe();

        elsewhere.send(relay.fromClient(PacketHeader.Type.DATA).getFirst());

        awaitDropped(UdpDrop.WRONG_ADDRESS, 1);
        assertSilence(elsewhere);
        connection.send(Frame.ofUtf8("still fine"));
        assertThat(connection.receive()).isEqualTo(Frame.ofUtf8("still fine"));
    }

    @Test
    void aClosedListenerAnswersNoHelloWhileItsConnectionsLive() throws Exception {
        Connection open = track(UdpTransport.create().connect(listener.localAddress(), FRAMING));
        listener.close();
        UdpTestProbe probe = probe();
        // A slow machine may still deliver a repeat of the client's own HELLO after the close.
        long before = server.counters().dropped(UdpDrop.NOT_ACCEPTING);
        long cookies = server.counters().cookiesSent();

        probe.send(hello(101));

        Await.until("the probe's HELLO dropped", () -> server.counters().dropped(UdpDrop.NOT_ACCEPTING) > before);
        assertSilence(probe);
        assertThat(server.counters().cookiesSent()).isEqualTo(cookies);
        open.send(Frame.ofUtf8("still served"));
        assertThat(open.receive()).isEqualTo(Frame.ofUtf8("still served"));
    }

    // ------------------------------------------------------------------------------ the client side

    @Test
    void connectingToAClosedPortFailsFast() throws Exception {
        InetSocketAddress closed;
        try (UdpTestProbe gone = new UdpTestProbe(null)) {
            closed = gone.address();
        }
        long start = System.nanoTime();

        Throwable thrown = catchThrowable(() -> UdpTransport.create().connect(closed, FRAMING));

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(thrown).isInstanceOf(ConnectException.class).hasMessageContaining("unreachable");
        assertThat(millis).as("ICMP port unreachable, not the handshake timeout").isLessThan(1000);
    }

    @Test
    void connectingToASilentPeerFailsAfterTheHandshakeTimeoutHavingSentOnlyPaddedHellos() throws Exception {
        UdpTestProbe silent = track(new UdpTestProbe(null));
        UdpTransport client = UdpTransport.create(UdpOptions.defaults()
                .withHandshake(Duration.ofMillis(600), Duration.ofMillis(50)));

        Throwable thrown = catchThrowable(() -> client.connect(silent.address(), FRAMING));
        List<byte[]> hellos = silent.drain(Duration.ofMillis(100));

        assertThat(thrown).isInstanceOf(ConnectException.class).hasMessageContaining("handshake timeout");
        assertThat(hellos).hasSizeGreaterThanOrEqualTo(3).allSatisfy(hello -> {
            assertThat(hello).hasSize(1200);
            assertThat(parsed(hello).type()).isEqualTo(PacketHeader.Type.HELLO);
        });
        assertThat(hellos.stream().map(h -> parsed(h).connectionId()).distinct()).hasSize(1);
    }

    @Test
    void aClientIgnoresRepliesNotNamingItsNonceAndAnswersItsCookieOnce() throws Exception {
        UdpTestProbe fake = track(new UdpTestProbe(null));
        UdpTransport client = UdpTransport.create(UdpOptions.defaults()
                .withHandshake(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        CompletableFuture<Connection> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return client.connect(fake.address(), FRAMING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
        byte[] hello = fake.receive();
        long nonce = parsed(hello).connectionId();
        SocketAddress clientAddress = fake.lastSender();
        byte[] cookie = new byte[CookieJar.COOKIE_BYTES];
        random.nextBytes(cookie);

        fake.sendTo(HandshakeMessages.cookie(nonce + 1, cookie), clientAddress);
        fake.sendTo(HandshakeMessages.accept(77, nonce + 1), clientAddress);
        fake.sendTo(PacketHeader.encode(PacketHeader.Type.DATA, 77, new byte[20]), clientAddress);
        Await.until("three replies dropped", () -> client.counters().dropped(UdpDrop.BEFORE_ACCEPT) == 3);
        assertSilence(fake);
        fake.sendTo(HandshakeMessages.cookie(nonce, cookie), clientAddress);
        byte[] second = fake.receive();
        fake.sendTo(HandshakeMessages.cookie(nonce, cookie), clientAddress); // a second COOKIE: not answered
        assertSilence(fake);
        fake.sendTo(HandshakeMessages.accept(78, nonce), clientAddress);
        Connection connection = track(connecting.get(5, TimeUnit.SECONDS));

        assertThat(second).hasSize(1200);
        assertThat(HandshakeMessages.parseHello(second, 16, second.length - 16))
                .isInstanceOfSatisfying(HandshakeMessages.Hello.WithCookie.class,
                        h -> assertThat(h.cookie()).isEqualTo(cookie));
        assertThat(((UdpConnection) connection).id()).isEqualTo(78);
        assertThat(connection.remoteAddress()).isEqualTo(fake.address());
        assertThat(client.counters().connectionsOpened()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------ helpers

    private static void echo(Connection connection) throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = connection.receive();
            } catch (ConnectionClosedException e) {
                return;
            }
            connection.send(frame);
        }
    }

    private static SocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private UdpTestProbe probe() throws IOException {
        return track(new UdpTestProbe(listener.localAddress()));
    }

    private static byte[] hello(long nonce) {
        return HandshakeMessages.hello(nonce, Optional.empty(), 1200);
    }

    private static byte[] helloWith(long nonce, byte[] cookie) {
        return HandshakeMessages.hello(nonce, Optional.of(cookie), 1200);
    }

    /** Runs the first half of the handshake from {@code probe} and returns the cookie. */
    private static byte[] cookie(UdpTestProbe probe, long nonce) throws IOException {
        probe.send(hello(nonce));
        byte[] reply = probe.receive();
        assertThat(parsed(reply).type()).isEqualTo(PacketHeader.Type.COOKIE);
        return HandshakeMessages.parseCookie(reply, 16, reply.length - 16).orElseThrow();
    }

    /** A listener on its own socket whose handler records what it receives and sends nothing. */
    private record Recording(Listener listener, BlockingQueue<UdpConnection> connections, BlockingQueue<Frame> frames) {
        UdpConnection connection() throws InterruptedException {
            UdpConnection connection = connections.poll(5, TimeUnit.SECONDS);
            assertThat(connection).as("a connection accepted").isNotNull();
            return connection;
        }
    }

    private Recording recordingListener() throws IOException {
        BlockingQueue<UdpConnection> connections = new LinkedBlockingQueue<>();
        BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        Listener recording = track(server.listen(loopback(), FRAMING, connection -> {
            connections.add((UdpConnection) connection);
            accepted.add(connection);
            while (true) {
                frames.add(connection.receive());
            }
        }));
        return new Recording(recording, connections, frames);
    }

    /** Runs the whole handshake from {@code probe} and returns the connection id the ACCEPT names. */
    private static long handshake(UdpTestProbe probe, long nonce) throws IOException {
        byte[] cookie = cookie(probe, nonce);
        probe.send(helloWith(nonce, cookie));
        byte[] accept = probe.receive();
        assertThat(parsed(accept).type()).isEqualTo(PacketHeader.Type.ACCEPT);
        return parsed(accept).connectionId();
    }

    /** A DATA datagram for connection {@code id}: engine packet {@code number} with one reliable-ordered message. */
    private static byte[] dataPacket(long id, long number, long seq, String text) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        PacketCodec.Writer w = new PacketCodec.Writer(1184, number);
        w.writeData(dev.wirelab.transport.Delivery.RELIABLE_ORDERED, 0, seq, 0, 1, message, 0, message.length);
        return PacketHeader.encode(PacketHeader.Type.DATA, id, w.finish());
    }

    private static PacketHeader.Parsed parsed(byte[] datagram) {
        PacketHeader.Result result = PacketHeader.parse(datagram, datagram.length);
        assertThat(result).isInstanceOf(PacketHeader.Result.Ok.class);
        return ((PacketHeader.Result.Ok) result).parsed();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = 0; // never the magic by chance
        return bytes;
    }

    private void awaitDropped(UdpDrop reason, long count) {
        Await.until(count + " datagrams dropped as " + reason,
                () -> server.counters().dropped(reason) >= count);
        assertThat(server.counters().dropped(reason)).isEqualTo(count);
    }

    private static void assertSilence(UdpTestProbe probe) throws IOException {
        Optional<byte[]> reply = probe.receive(UdpTestProbe.SILENCE);
        assertThat(reply).as("no reply at all").isEmpty();
    }
}
