package dev.wirelab.chat;

import static dev.wirelab.chat.ChatClients.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.StoredMessage;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.tcp.TcpTransport;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile and broken peers against a real server over TCP ({@code limits-and-bad-input.md} §5, the
 * TCP cases), each while a {@link CanaryPair} talks in the lobby: whatever one peer does, the
 * canaries must lose nothing, see nothing reordered and keep answering ECHO quickly, and the server
 * must keep serving.
 */
@Timeout(60)
class BadInputIT {

    /** A small frame limit, so oversize frames are cheap to send. */
    private static final Limits SMALL_FRAMES = Limits.DEFAULTS.withMaxFrameBytes(4096);

    /** Connections opened and abandoned in the case-23 tests, as the reference asks. */
    private static final int ABANDONED = 500;

    /**
     * For tests that hold hundreds of unregistered sockets from 127.0.0.1 at once: the unregistered
     * cap (64 by default) is raised to the client cap so every one is served. Loopback is spared the
     * per-address cap by default, so that one needs no change.
     */
    private static final Limits MANY_SOCKETS = SMALL_FRAMES.withConnectionCaps(Limits.MAX_CLIENTS_DEFAULT,
            Limits.MAX_CLIENTS_DEFAULT, Limits.MAX_CLIENTS_PER_ADDRESS_DEFAULT, false);

    private final List<AutoCloseable> open = new ArrayList<>();
    private TcpTransport tcp;
    private Codec codec;
    private ChatServer server;
    private CanaryPair canaries;

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
        if (canaries != null) {
            canaries.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(WireCodec wire, Limits limits) throws IOException {
        start(wire, limits, RateLimit.UNLIMITED, CanaryPair.DEFAULT_PERIOD);
    }

    private void start(WireCodec wire, Limits limits, RateLimit rateLimit, Duration canaryPeriod) throws IOException {
        start(wire, limits, rateLimit, canaryPeriod, ChatClient.KEEPALIVE_DEFAULT);
    }

    private void start(WireCodec wire, Limits limits, RateLimit rateLimit, Duration canaryPeriod, Duration keepAlive)
            throws IOException {
        tcp = TcpTransport.create(limits);
        codec = wire.create(limits);
        ChatConfig config = ChatConfig.defaults().withLimits(limits).withRateLimit(rateLimit).withZone(ZoneOffset.UTC)
                .withPasswordIterations(1_000);
        server = ChatServer.start(tcp, codec, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
        canaries = CanaryPair.start(tcp, codec, server.address(), canaryPeriod, keepAlive);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    /** A raw client past the welcome. */
    private RawClient raw() throws IOException {
        return keep(RawClient.connect(server.address(), codec));
    }

    /** A raw client registered as {@code name} (no HELLO, so it is never pushed to). */
    private RawClient registered(String name) throws IOException {
        RawClient client = raw();
        client.send(new Request.Register(RequestId.of("reg"), name, Password.NONE));
        assertThat(client.receiveReply()).isEqualTo(new Reply.Registered(RequestId.of("reg"), name));
        return client;
    }

    /** The connection still works: an ECHO is answered, with its id. */
    private static void assertAnswersEcho(RawClient client, String text) throws IOException {
        client.send(new Request.Echo(RequestId.of(text), text));
        assertThat(client.receiveReply()).isEqualTo(new Reply.Echoed(RequestId.of(text), text));
    }

    /** The server still accepts, welcomes and answers a new connection. */
    private void assertServerStillServes() throws IOException {
        try (RawClient fresh = RawClient.connect(server.address(), codec)) {
            assertAnswersEcho(fresh, "fresh");
        }
    }

    /** A frame on the wire with the codec's framing but without its size check: how a hostile peer frames. */
    private static byte[] framedAnyway(WireCodec wire, Frame frame) {
        byte[] payload = frame.bytes();
        return switch (wire) {
            case JSON -> {
                byte[] line = Arrays.copyOf(payload, payload.length + 1);
                line[payload.length] = '\n';
                yield line;
            }
            case PROTOBUF -> ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
        };
    }

    /** Writes, tolerating a reset: the server may close the connection before the write ends. */
    private static void writeHostile(RawClient client, byte[] bytes) throws IOException {
        try {
            client.write(bytes);
        } catch (SocketException e) {
            // Closed under us: what these tests expect anyway.
        }
    }

    // ---------------------------------------------------------------- frames too large or never ending

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersAnOversizeFrameWithFrameTooLargeAndKeepsTheConnection(WireCodec wire) throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient hostile = raw();
        Frame big = codec.encode(new Request.Echo(RequestId.of("big"), "x".repeat(5_000)));
        assertThat(big.length()).isGreaterThan(SMALL_FRAMES.maxFrameBytes());

        hostile.write(framedAnyway(wire, big));

        Reply reply = hostile.receiveReply();
        // The frame was skipped unread, so its id is unknown; a JSON reply without an id has the
        // seed's three fields only, which carry no error code.
        ErrorCode expected = wire == WireCodec.JSON ? ErrorCode.UNSPECIFIED : ErrorCode.FRAME_TOO_LARGE;
        assertThat(reply).isInstanceOfSatisfying(Reply.Failed.class, failed -> {
            assertThat(failed.id()).isEqualTo(RequestId.NONE);
            assertThat(failed.code()).isEqualTo(expected);
            assertThat(failed.message()).startsWith("Frame too large: frame of " + big.length() + " bytes");
        });
        assertAnswersEcho(hostile, "next");
        canaries.assertDeliveredEverythingInOrder();
    }

    /**
     * Case 3: more than the discard limit (16 frames, 64 KiB here) with no end in sight: a line with
     * no newline, or a length prefix beyond the limit. The server reads no further, answers
     * FRAME_TOO_LARGE (best effort: the peer may not be reading) and closes, well before the 10 s
     * line-completion deadline. The error line comes before the end of the stream.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersFrameTooLargeThenClosesAConnectionThatSendsMoreThanTheDiscardLimitWithoutAnEnd(WireCodec wire)
            throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient hostile = raw();
        long discardLimit = codec.framing().discardLimit();
        assertThat(discardLimit).isEqualTo(64 * 1024);
        byte[] endless = switch (wire) {
            case JSON -> ("{\"command\":\"ECHO\",\"data\":\"" + "x".repeat((int) discardLimit))
                    .getBytes(StandardCharsets.UTF_8);
            case PROTOBUF -> ByteBuffer.allocate(4 + 1024).putInt((int) discardLimit + 1).array();
        };

        writeHostile(hostile, endless);

        assertThat(hostile.receiveReply()).as("the best-effort error before the end")
                .isInstanceOfSatisfying(Reply.Failed.class, failed -> {
                    assertThat(failed.id()).isEqualTo(RequestId.NONE);
                    assertThat(failed.code()).isIn(ErrorCode.FRAME_TOO_LARGE, ErrorCode.UNSPECIFIED);
                    assertThat(failed.message()).isEqualTo("Frame too large: more than " + discardLimit
                            + " bytes without an end; closing the connection");
                });
        assertThat(hostile.awaitClosedByServer(Duration.ofSeconds(5))).as("closed by the server").isTrue();
        Await.until("the server forgets the connection", () -> server.sessionCount() == 2);
        assertServerStillServes();
        canaries.assertDeliveredEverythingInOrder();
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void closesAFrameLeftUnfinishedPastTheLineCompletionDeadline(WireCodec wire) throws IOException {
        Limits oneSecond = Limits.DEFAULTS.withTimeouts(Limits.DEFAULTS.writeDeadline(), Duration.ofSeconds(1),
                Limits.DEFAULTS.idleTimeout(), Limits.DEFAULTS.registrationTimeout());
        start(wire, oneSecond);
        RawClient hostile = raw();
        byte[] whole = hostile.wire(new Request.Echo(RequestId.of("half"), "never finished"));
        long start = System.nanoTime();

        hostile.write(Arrays.copyOf(whole, whole.length / 2));

        assertThat(hostile.awaitClosedByServer(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to close").isGreaterThan(Duration.ofMillis(900));
        Await.until("the server forgets the connection", () -> server.sessionCount() == 2);
        canaries.assertDeliveredEverythingInOrder();
    }

    // ---------------------------------------------------------------- malformed content

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void refusesInvalidUtf8WithTheRequestIdAndRelaysNothing(WireCodec wire) throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient mallory = registered("Mallory");
        byte[] payload = codec.encode(new Request.Post(RequestId.of("u1"), Request.DEFAULT_ROOM, "caf\u00e9 au lait")).bytes();
        int at = indexOf(payload, new byte[] {(byte) 0xC3, (byte) 0xA9});
        payload[at + 1] = 0x28; // C3 28: a lead byte followed by no continuation byte

        mallory.write(framedAnyway(wire, new Frame(payload)));

        assertThat(mallory.receiveReply()).isInstanceOfSatisfying(Reply.Failed.class, failed -> {
            assertThat(failed.id()).isEqualTo(RequestId.of("u1"));
            assertThat(failed.code()).isEqualTo(ErrorCode.INVALID_UTF8);
        });
        assertAnswersEcho(mallory, "still-here");
        canaries.assertDeliveredEverythingInOrder();
        assertThat(canaries.received("Mallory")).as("what reached the lobby from Mallory").isEmpty();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("bytes not found");
    }

    @Test
    void refusesJsonNestedTenThousandDeepAndKeepsTheConnection() throws IOException {
        start(WireCodec.JSON, Limits.DEFAULTS);
        RawClient hostile = raw();
        String arrays = "{\"command\":\"ECHO\",\"data\":\"x\",\"id\":\"d1\",\"extra\":"
                + "[".repeat(10_000) + "]".repeat(10_000) + "}\n";
        String objects = "{\"command\":\"ECHO\",\"data\":\"x\",\"id\":\"d2\",\"extra\":"
                + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}\n";

        hostile.write((arrays + objects).getBytes(StandardCharsets.UTF_8));

        for (String id : List.of("d1", "d2")) {
            assertThat(hostile.receiveReply()).isInstanceOfSatisfying(Reply.Failed.class, failed -> {
                assertThat(failed.id()).isEqualTo(RequestId.of(id));
                assertThat(failed.code()).isEqualTo(ErrorCode.TOO_DEEP);
            });
        }
        assertAnswersEcho(hostile, "shallow");
        canaries.assertDeliveredEverythingInOrder();
    }

    @Test
    void answersAnHttpRequestWithAnErrorReplyPerLineOverJson() throws IOException {
        start(WireCodec.JSON, SMALL_FRAMES);
        RawClient browser = raw();

        browser.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        for (String line : List.of("GET", "Host", "empty line")) {
            assertThat(browser.receiveReply()).as("reply to the %s line", line).isInstanceOfSatisfying(Reply.Failed.class,
                    failed -> assertThat(failed.message()).startsWith("Invalid message format: ").contains(line));
        }
        assertAnswersEcho(browser, "not-http");
        canaries.assertDeliveredEverythingInOrder();
    }

    @Test
    void closesOnlyTheConnectionThatSpeaksHttpToTheProtobufPort() throws IOException {
        start(WireCodec.PROTOBUF, SMALL_FRAMES);
        RawClient browser = raw();

        // "GET " read as a length prefix is 1.2 GB: past any frame, so the stream cannot be followed.
        writeHostile(browser, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(browser.awaitClosedByServer(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        assertServerStillServes();
        canaries.assertDeliveredEverythingInOrder();
    }

    @Test
    void closesOnlyTheConnectionWhoseLengthPrefixIsTwoToTheThirtyFirst() throws IOException {
        start(WireCodec.PROTOBUF, SMALL_FRAMES);
        RawClient hostile = raw();

        writeHostile(hostile, new byte[] {(byte) 0x80, 0, 0, 0, 1, 2, 3});

        assertThat(hostile.awaitClosedByServer(Duration.ofSeconds(10))).as("closed by the server").isTrue();
        Await.until("the server forgets the connection", () -> server.sessionCount() == 2);
        assertServerStillServes();
        canaries.assertDeliveredEverythingInOrder();
    }

    /**
     * Case 1: a text of exactly the text limit whose last character is a 4-byte emoji is posted and
     * relayed intact; one byte more is refused with MESSAGE_TOO_LONG, never cut mid-character, and
     * the connection stays.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void postsATextOfExactlyTheLimitEndingInAnEmojiAndRefusesOneByteMore(WireCodec wire) throws IOException {
        start(wire, Limits.DEFAULTS);
        RawClient poet = registered("Poet");
        int limit = Limits.DEFAULTS.maxTextBytes();
        String emoji = "\uD83D\uDE00";
        String exact = "a".repeat(limit - 4) + emoji;
        String over = "a".repeat(limit - 3) + emoji;
        assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize(limit);
        assertThat(over.getBytes(StandardCharsets.UTF_8)).hasSize(limit + 1);

        poet.send(new Request.Post(RequestId.of("exact"), Request.DEFAULT_ROOM, exact));
        poet.send(new Request.Post(RequestId.of("over"), Request.DEFAULT_ROOM, over));

        assertThat(poet.receiveReply()).isInstanceOfSatisfying(Reply.Posted.class,
                posted -> assertThat(posted.id()).isEqualTo(RequestId.of("exact")));
        assertThat(poet.receiveReply()).isInstanceOfSatisfying(Reply.Failed.class, failed -> {
            assertThat(failed.id()).isEqualTo(RequestId.of("over"));
            assertThat(failed.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
        });
        assertAnswersEcho(poet, "still-here");
        canaries.assertDeliveredEverythingInOrder();
        assertThat(canaries.received("Poet")).extracting(m -> m.message().text()).as("what the lobby got from Poet")
                .containsExactly(exact);
    }

    /**
     * Case 4 over a socket: one request, whole, then split in two writes at every offset (inside
     * its multi-byte characters too), then one byte per write: the same answer every time.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersARequestSplitAcrossWritesAtEveryOffsetAsIfSentWhole(WireCodec wire) throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient splitter = registered("Splitter");
        String text = "split \u2603 caf\u00e9 \uD83D\uDE00 end";
        int length = splitter.wire(new Request.Echo(RequestId.of("s000"), text)).length;

        for (int at = 0; at < length; at++) {
            RequestId id = RequestId.of("s%03d".formatted(at)); // same length for every id: same offsets
            byte[] request = splitter.wire(new Request.Echo(id, text));
            assertThat(request).hasSize(length);
            if (at == 0) {
                splitter.write(request);
            } else {
                splitter.write(Arrays.copyOfRange(request, 0, at));
                splitter.write(Arrays.copyOfRange(request, at, length));
            }
            assertThat(splitter.receiveReply()).as("the answer when split at %d", at).isEqualTo(new Reply.Echoed(id, text));
        }
        byte[] request = splitter.wire(new Request.Echo(RequestId.of("bytes"), text));
        for (byte b : request) {
            splitter.write(new byte[] {b});
        }
        assertThat(splitter.receiveReply()).isEqualTo(new Reply.Echoed(RequestId.of("bytes"), text));
        canaries.assertDeliveredEverythingInOrder();
    }

    /**
     * Case 10: CR, LF and NUL in a name are refused; CR and LF in a text travel escaped inside the
     * frame, so a text carrying a whole forged room event after a newline reaches the lobby as one
     * message with exactly that text, and no one receives the forged event.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void neitherANameNorATextWithCrOrLfInjectsAFrameIntoAnotherClientsStream(WireCodec wire) throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient eve = raw();
        for (String name : List.of("Eve\r\nAdmin", "Eve\nAdmin", "Eve\r", "Eve\u0000")) {
            eve.send(new Request.Register(RequestId.of("n"), name, Password.NONE));
            assertThat(eve.receiveReply()).as("REGISTER %s", name.replace("\r", "\\r").replace("\n", "\\n"))
                    .isInstanceOfSatisfying(Reply.Failed.class, failed -> assertThat(failed.code()).isEqualTo(ErrorCode.INVALID_NAME));
        }
        eve.send(new Request.Register(RequestId.of("reg"), "Eve", Password.NONE));
        assertThat(eve.receiveReply()).isEqualTo(new Reply.Registered(RequestId.of("reg"), "Eve"));
        String forged = codec.encode(new Event.RoomMessage(new StoredMessage(MessageId.of(999_999), Request.DEFAULT_ROOM,
                "Admin", "forged", Instant.parse("2026-11-29T14:15:29Z")))).toUtf8();
        String text = "one\r\n" + forged + "\n" + forged + "\r";

        eve.send(new Request.Post(RequestId.of("crlf"), Request.DEFAULT_ROOM, text));

        assertThat(eve.receiveReply()).isInstanceOf(Reply.Posted.class);
        assertAnswersEcho(eve, "after-crlf");
        canaries.assertDeliveredEverythingInOrder();
        assertThat(canaries.received("Eve")).extracting(m -> m.message().text()).as("what the lobby got from Eve")
                .containsExactly(text);
        assertThat(canaries.received("Admin")).as("forged events").isEmpty();
    }

    /**
     * Case 15: a TLS ClientHello (no newline in it) on the plaintext port. JSON waits for a line
     * that never ends and closes at the 1 s line deadline; protobuf reads 0x16030100 as a length
     * beyond any frame, says FRAME_TOO_LARGE and closes at once. Either way only errors come back.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersATlsClientHelloOnThePlaintextPortWithAnErrorOrAClose(WireCodec wire) throws IOException {
        start(wire, oneSecondLines());
        RawClient tls = raw();
        ByteBuffer hello = ByteBuffer.allocate(5 + 4 + 2 + 32 + 1 + 4 + 2 + 2);
        hello.put(new byte[] {0x16, 0x03, 0x01}).putShort((short) (hello.capacity() - 5)); // record: handshake, TLS 1.0
        hello.put((byte) 0x01).put(new byte[] {0, 0, (byte) (hello.capacity() - 9)});    // ClientHello
        hello.put(new byte[] {0x03, 0x03});                                                // TLS 1.2
        byte[] random = new byte[32];
        new Random(15).nextBytes(random);
        hello.put(random).put((byte) 0);                                                   // no session id
        hello.put(new byte[] {0, 2, 0x13, 0x01}).put(new byte[] {1, 0}).put(new byte[] {0, 0});
        byte[] bytes = hello.array();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                bytes[i] = 0x0B; // no newline, as in the worst case: a line that never ends
            }
        }

        writeHostile(tls, bytes);

        assertOnlyErrorsThenClosed(tls);
        assertServerStillServes();
        canaries.assertDeliveredEverythingInOrder();
    }

    /** Case 15: 4 KiB of seeded random bytes, newlines among them, the last piece unterminated. */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersBinaryGarbageWithErrorsOrAClose(WireCodec wire) throws IOException {
        start(wire, oneSecondLines());
        RawClient noise = raw();
        byte[] garbage = new byte[4096];
        new Random(1515).nextBytes(garbage);
        garbage[garbage.length - 1] = 'x';

        writeHostile(noise, garbage);

        assertOnlyErrorsThenClosed(noise);
        assertServerStillServes();
        canaries.assertDeliveredEverythingInOrder();
    }

    private static Limits oneSecondLines() {
        return SMALL_FRAMES.withTimeouts(Limits.DEFAULTS.writeDeadline(), Duration.ofSeconds(1),
                Limits.DEFAULTS.idleTimeout(), Limits.DEFAULTS.registrationTimeout());
    }

    /** Reads to the end: everything the server said must be a failure, and the end must come soon. */
    private static void assertOnlyErrorsThenClosed(RawClient client) throws IOException {
        long start = System.nanoTime();
        List<ChatMessage> said = new ArrayList<>();
        try {
            while (true) {
                said.add(client.receive());
            }
        } catch (EOFException | SocketException e) {
            // the end: what these tests wait for
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to the end").isLessThan(Duration.ofSeconds(8));
        assertThat(said).as("what the server said").allSatisfy(m -> assertThat(m).isInstanceOf(Reply.Failed.class));
    }

    /**
     * Case 18: two connections send REGISTER for the same name (differing in case) at the same
     * moment, twenty times over: each time exactly one wins and the other gets NAME_TAKEN, and the
     * lobby hears one arrival.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void letsExactlyOneOfTwoConcurrentRegistrationsOfOneNameWin(WireCodec wire) throws Exception {
        start(wire, SMALL_FRAMES);
        try (ExecutorService both = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 20; round++) {
                String upper = "Twin" + round;
                String lower = "twin" + round;
                RawClient first = raw();
                RawClient second = raw();
                byte[] firstRequest = first.wire(new Request.Register(RequestId.of("a"), upper, Password.NONE));
                byte[] secondRequest = second.wire(new Request.Register(RequestId.of("b"), lower, Password.NONE));
                CyclicBarrier together = new CyclicBarrier(2);

                for (Future<Void> write : both.invokeAll(List.<Callable<Void>>of(
                        () -> { together.await(); first.write(firstRequest); return null; },
                        () -> { together.await(); second.write(secondRequest); return null; }))) {
                    write.get();
                }

                List<Reply> replies = List.of(first.receiveReply(), second.receiveReply());
                assertThat(replies).as("round %d", round).filteredOn(Reply.Registered.class::isInstance).hasSize(1);
                assertThat(replies).as("round %d", round).filteredOn(Reply.Failed.class::isInstance).singleElement()
                        .satisfies(r -> assertThat(((Reply.Failed) r).code()).isEqualTo(ErrorCode.NAME_TAKEN));
                String winner = replies.get(0) instanceof Reply.Registered ? upper : lower;
                String loser = winner.equals(upper) ? lower : upper;
                Await.until(winner + " heard arriving", () -> canaries.presenceOf(winner).contains(PresenceChange.JOINED));
                assertThat(canaries.presenceOf(loser)).as("presence of the loser %s", loser).isEmpty();
                first.close();
                second.close();
            }
        }
        canaries.assertDeliveredEverythingInOrder();
    }

    // ---------------------------------------------------------------- outgoing frames over the limit

    /**
     * A post whose request frame fits the limit, but whose room event, with its id, sender, room and
     * time added, does not. Whatever the server decides (refuse the post, or deliver it), the other
     * members of the room must stay connected. The server refuses it: before accepting a post,
     * {@code ChatState} checks that the room event fits one frame and answers MESSAGE_TOO_LONG if
     * not. (It once sent the event anyway, and every recipient's outbox took the oversize frame for
     * an I/O error and closed its connection.)
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void keepsEveryoneConnectedWhenAPostsEventWouldOutgrowTheFrameLimit(WireCodec wire) throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient mallory = registered("Mallory");
        int limit = SMALL_FRAMES.maxFrameBytes();
        int length = 1;
        while (codec.encode(post("x".repeat(length + 1))).length() <= limit) {
            length++;
        }
        String text = "x".repeat(length);
        Frame event = codec.encode(new Event.RoomMessage(new StoredMessage(MessageId.of(1_000_000), Request.DEFAULT_ROOM,
                "Mallory", text, Instant.parse("2026-11-29T14:15:29.123456789Z"))));
        assertThat(text.length()).as("text length").isLessThanOrEqualTo(SMALL_FRAMES.maxTextBytes());
        assertThat(event.length()).as("the room event's frame").isGreaterThan(limit);

        mallory.send(post(text));

        Reply reply = mallory.receiveReply();
        assertThat(reply.id()).isEqualTo(RequestId.of("big-post"));
        // A round trip through each canary: anything the post caused for them has happened by its end.
        for (ChatClient canary : List.of(canaries.receiver(), canaries.sender())) {
            try {
                canary.call(id -> new Request.Echo(id, "after-big-post"), ChatClients.REPLY_TIMEOUT);
            } catch (IOException e) {
                // Disconnected: assertConnected says so, with the reason.
            }
        }
        canaries.assertConnected();
        canaries.assertDeliveredEverythingInOrder();
        assertThat(canaries.received("Mallory")).as("what reached the lobby from Mallory")
                .hasSize(reply instanceof Reply.Posted ? 1 : 0);
        assertAnswersEcho(mallory, "after-big-post");
    }

    private static Request.Post post(String text) {
        return new Request.Post(RequestId.of("big-post"), Request.DEFAULT_ROOM, text);
    }

    /**
     * With the default limits, a history page of 20 (the default page) messages of 4,000 bytes is
     * 80 KB of text, over the 64 KiB frame. The asker must get an answer (a smaller page, or a
     * refusal) and keep its connection. {@code ChatState} cuts the page until it fits one frame
     * (a cut page is not {@code complete}); any other reply too large for a frame (LIST_USERS with
     * enough users online, an ECHO of a text just under the frame limit) is answered with
     * FRAME_TOO_LARGE for the same request by {@code ChatServer.encodeToFit}.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersAHistoryPageLargerThanTheFrameLimitWithoutClosingTheConnection(WireCodec wire) throws IOException {
        start(wire, Limits.DEFAULTS);
        RawClient historian = registered("Historian");
        // A room of its own, so the canaries' small posts cannot thin out the page.
        historian.send(new Request.Join(RequestId.of("join"), "archive"));
        assertThat(historian.receiveReply()).isInstanceOf(Reply.Joined.class);
        String padding = "y".repeat(4_000);
        for (int i = 0; i < 20; i++) {
            historian.send(new Request.Post(RequestId.of("p" + i), "archive", i + ":" + padding));
            assertThat(historian.receiveReply()).isInstanceOf(Reply.Posted.class);
        }

        historian.send(new Request.ListMessages(RequestId.of("page"), "archive", HistoryCursor.LATEST, 20));

        Reply reply = historian.receiveReply();
        assertThat(reply.id()).isEqualTo(RequestId.of("page"));
        assertAnswersEcho(historian, "after-page");
        canaries.assertDeliveredEverythingInOrder();
    }

    // ---------------------------------------------------------------- too much, too fast, too slow

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void refusesAFloodPastTheRateLimitWithoutReorderingAnything(WireCodec wire) throws IOException {
        RateLimit fiveThenTwoPerSecond = new RateLimit(5, 2.0);
        // The canary posts under the limit too (every 600 ms, below 2 per second).
        start(wire, Limits.DEFAULTS, fiveThenTwoPerSecond, Duration.ofMillis(600));
        RawClient flooder = registered("Flooder");
        int count = 1000;
        List<Request> flood = IntStream.range(0, count)
                .<Request>mapToObj(i -> new Request.Post(RequestId.of("f" + i), Request.DEFAULT_ROOM, "flood-" + i)).toList();
        long start = System.nanoTime();

        flooder.write(flooder.wire(flood)); // all 1000 in one write

        List<Reply> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replies.add(flooder.receiveReply());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(replies).extracting(Reply::id).as("reply ids, in order")
                .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> RequestId.of("f" + i)).toList());
        List<Integer> accepted = new ArrayList<>();
        List<MessageId> acceptedIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Reply reply = replies.get(i);
            if (reply instanceof Reply.Posted posted) {
                accepted.add(i);
                acceptedIds.add(posted.messageId());
            } else {
                assertThat(reply).as("reply %d", i).isInstanceOfSatisfying(Reply.Failed.class,
                        failed -> assertThat(failed.code()).isEqualTo(ErrorCode.RATE_LIMITED));
            }
        }
        assertThat(accepted).as("accepted posts").startsWith(0, 1, 2, 3, 4)
                .hasSizeLessThanOrEqualTo(5 + (int) Math.ceil(seconds * 2.0) + 1);
        assertThat(acceptedIds).isSortedAccordingTo(MessageId::compareTo).doesNotHaveDuplicates();
        canaries.assertDeliveredEverythingInOrder();
        assertThat(canaries.received("Flooder")).extracting(m -> m.message().text()).as("the flood as the lobby got it")
                .containsExactlyElementsOf(accepted.stream().map(i -> "flood-" + i).toList());
    }

    /**
     * Case 21. The sloth asks for pushes, then never reads; its receive window is tiny, so the
     * server's writes to it block, its outbox fills past the send-queue limit, and it is dropped.
     * The server's write deadline (3 s here) then closes its socket. Meanwhile a poster sends more
     * than 10 MiB, paced so the canaries (who read) are never more than 8 posts behind.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void disconnectsAClientThatNeverReadsWhileTheCanariesReceiveEverything(WireCodec wire) throws IOException {
        // 16 KB texts, so 10 MiB takes few posts; a 3 s write deadline, so the stuck socket closes soon.
        Limits limits = Limits.DEFAULTS.withMaxTextBytes(16_384).withTimeouts(Duration.ofSeconds(3),
                Limits.DEFAULTS.lineCompletion(), Limits.DEFAULTS.idleTimeout(), Limits.DEFAULTS.registrationTimeout());
        start(wire, limits);
        ServerLog log = keep(ServerLog.capture());
        RawClient sloth = keep(RawClient.open(server.address(), codec, 4096));
        sloth.write(sloth.wire(List.of(
                new Request.Hello(RequestId.of("h"), "sloth", EnumSet.of(Capability.PUSH)),
                new Request.Register(RequestId.of("r"), "Sloth", Password.NONE))));
        Await.until("Sloth is in the lobby", () -> canaries.presenceOf("Sloth").contains(PresenceChange.JOINED));
        ChatClient poster = keep(ChatClients.seedUser(tcp, codec, server.address(), "Bulk", ChatListener.NONE));
        String padding = "x".repeat(16_000);
        int posts = 660; // 660 x 16,000 bytes of text: over 10 MiB

        for (int i = 0; i < posts; i++) {
            String text = i + ":" + padding;
            ask(poster, id -> new Request.Post(id, Request.DEFAULT_ROOM, text), Reply.Posted.class);
            int sent = i + 1;
            // At most 8 posts (128 KB) in flight to the canaries: half their 256 KiB send queue,
            // so only a client that does not read at all can overflow it.
            if (sent - canaries.leastReceivedFrom("Bulk") > 8) {
                Await.until("the canaries catch up", () -> sent - canaries.leastReceivedFrom("Bulk") <= 2);
            }
        }

        Await.until("the server forgets the sloth", () -> server.sessionCount() == 3);
        assertThat(canaries.presenceOf("Sloth")).containsExactly(PresenceChange.JOINED, PresenceChange.DISCONNECTED);
        String slothAddress = "/127.0.0.1:" + sloth.localAddress().getPort();
        assertThat(log.messages(Level.WARNING)).as("what the server warned about")
                .anySatisfy(m -> assertThat(m).startsWith("dropping ").contains(slothAddress)
                        .contains("SENDQ_EXCEEDED, more than " + limits.sendQueueBytes() + " bytes waiting"));
        assertThat(sloth.awaitClosedByServer(Duration.ofSeconds(10))).as("the sloth's socket closed by the server").isTrue();
        canaries.assertDeliveredEverythingInOrder();
        assertThat(canaries.received("Bulk")).extracting(m -> Integer.valueOf(m.message().text().split(":", 2)[0]))
                .as("the bulk posts the canary receiver got")
                .containsExactlyElementsOf(IntStream.range(0, posts).boxed().toList());
    }

    // ---------------------------------------------------------------- connection caps (case 22)

    /**
     * Case 22, slowloris. Eight sockets (the unregistered cap here) connect and say nothing, so the
     * server is full of nameless connections; three more are refused at once with TRY_AGAIN and
     * closed, without a welcome or a session. Then the eight dribble a request one byte every 100 ms,
     * never its end: the 1 s line-completion deadline (or the 10 s registration deadline, on a slow
     * machine) drops every one, and a new client connects and registers. The registered canaries
     * never count against the cap and talk throughout.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void refusesSocketsPastTheUnregisteredCapAndDropsDribblersAtTheirDeadline(WireCodec wire) throws IOException {
        int cap = 8;
        Limits limits = SMALL_FRAMES.withConnectionCaps(Limits.MAX_CLIENTS_DEFAULT, cap,
                Limits.MAX_CLIENTS_PER_ADDRESS_DEFAULT, false).withTimeouts(Limits.DEFAULTS.writeDeadline(),
                Duration.ofSeconds(1), Limits.DEFAULTS.idleTimeout(), Duration.ofSeconds(10));
        start(wire, limits);
        List<RawClient> slow = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            slow.add(raw());
        }
        Await.until("the server holds the slow sockets", () -> server.sessionCount() == 2 + cap);

        for (int i = 0; i < 3; i++) {
            RawClient late = keep(RawClient.open(server.address(), codec));
            assertRefused(late, "Too many connections waiting to register (" + cap + "); try again later");
        }
        assertThat(server.refusedConnections()).isEqualTo(3);
        assertThat(server.sessionCount()).as("sessions, canaries included").isEqualTo(2 + cap);

        byte[] request = slow.getFirst().wire(new Request.Echo(RequestId.of("slow"), "one byte at a time, never the end"));
        try (Dribbler dribbler = new Dribbler(slow, Arrays.copyOf(request, request.length - 1))) {
            for (RawClient socket : slow) {
                assertThat(socket.awaitClosedByServer(Duration.ofSeconds(20))).as("a slow socket closed by the server").isTrue();
            }
            assertThat(dribbler.bytesWritten()).as("bytes dribbled").isGreaterThan(cap);
        }
        Await.until("the server forgets the slow sockets", () -> server.sessionCount() == 2);
        RawClient newcomer = registered("Newcomer");
        assertAnswersEcho(newcomer, "room-again");
        Await.until("the canaries hear the newcomer", () -> canaries.presenceOf("Newcomer").contains(PresenceChange.JOINED));
        canaries.assertDeliveredEverythingInOrder();
    }

    @Test
    void refusesConnectionsPastThePerAddressCapWhenLoopbackIsCapped() throws IOException {
        // Four from one address, loopback included: the two canaries and two more.
        start(WireCodec.JSON, SMALL_FRAMES.withConnectionCaps(Limits.MAX_CLIENTS_DEFAULT, Limits.MAX_UNREGISTERED_DEFAULT,
                4, true));
        RawClient third = registered("Third");
        raw();

        RawClient fifth = keep(RawClient.open(server.address(), codec));

        assertRefused(fifth, "Too many connections from 127.0.0.1 (4); try again later");
        third.close();
        Await.until("the server forgets Third", () -> server.sessionCount() == 3);
        assertAnswersEcho(raw(), "a place again");
        assertThat(server.refusedConnections()).isEqualTo(1);
        canaries.assertDeliveredEverythingInOrder();
    }

    @Test
    void refusesConnectionsPastTheClientCapWhetherRegisteredOrNot() throws IOException {
        start(WireCodec.PROTOBUF, SMALL_FRAMES.withConnectionCaps(4, 4, Limits.MAX_CLIENTS_PER_ADDRESS_DEFAULT, false));
        registered("Third");
        raw();

        RawClient fifth = keep(RawClient.open(server.address(), codec));

        assertRefused(fifth, "Server full: 4 clients connected; try again later");
        assertThat(server.refusedConnections()).isEqualTo(1);
        canaries.assertDeliveredEverythingInOrder();
    }

    /**
     * A refused connection gets one failure (no welcome) saying why, then the end of the stream. In
     * JSON a failure without a request id has the seed's three fields, so no code travels.
     */
    private void assertRefused(RawClient refused, String why) throws IOException {
        assertThat(refused.receiveReply()).as("the only thing a refused connection is told")
                .isInstanceOfSatisfying(Reply.Failed.class, failed -> {
                    assertThat(failed.id()).isEqualTo(RequestId.NONE);
                    assertThat(failed.code()).isIn(ErrorCode.TRY_AGAIN, ErrorCode.UNSPECIFIED);
                    assertThat(failed.message()).isEqualTo(why);
                });
        assertThat(refused.awaitClosedByServer(Duration.ofSeconds(10))).as("refused and closed").isTrue();
    }

    /**
     * Writes one more byte of {@code bytes} to every socket every 100 ms, on a virtual thread of its
     * own, until each is closed under it or has had all the bytes, or until closed itself.
     */
    private static final class Dribbler implements AutoCloseable {
        private final Thread thread;
        private final AtomicLong written = new AtomicLong();
        private volatile boolean stopping;

        Dribbler(List<RawClient> sockets, byte[] bytes) {
            thread = Thread.ofVirtual().name("dribbler").start(() -> {
                List<RawClient> live = new ArrayList<>(sockets);
                for (int at = 0; at < bytes.length && !live.isEmpty() && !stopping; at++) {
                    byte[] one = {bytes[at]};
                    live.removeIf(socket -> {
                        try {
                            socket.write(one);
                            written.incrementAndGet();
                            return false;
                        } catch (IOException e) {
                            return true; // closed by the server: the point
                        }
                    });
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            });
        }

        long bytesWritten() {
            return written.get();
        }

        @Override
        public void close() {
            stopping = true;
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- abrupt ends

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void tellsTheLobbyWhenAClientResetsInTheMiddleOfAFrame(WireCodec wire) throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient halfway = registered("Halfway");
        byte[] post = halfway.wire(new Request.Post(RequestId.of("p"), Request.DEFAULT_ROOM, "this never arrives whole"));

        halfway.write(Arrays.copyOf(post, post.length / 2));
        halfway.reset();

        Await.until("the canaries hear Halfway drop out",
                () -> canaries.presenceOf("Halfway").contains(PresenceChange.DISCONNECTED));
        Await.until("the server forgets the connection", () -> server.sessionCount() == 2);
        canaries.assertDeliveredEverythingInOrder();
        assertThat(canaries.received("Halfway")).as("what reached the lobby from Halfway").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void tellsTheLobbyWhenARegisteredClientIsKilledByAReset(WireCodec wire) throws IOException {
        start(wire, SMALL_FRAMES);
        RawClient victim = registered("Victim");

        victim.reset();

        Await.until("the canaries hear Victim drop out",
                () -> canaries.presenceOf("Victim").equals(List.of(PresenceChange.JOINED, PresenceChange.DISCONNECTED)));
        Await.until("the server forgets the connection", () -> server.sessionCount() == 2);
        assertThat(ask(canaries.receiver(), Request.ListUsers::new, Reply.Users.class).names())
                .containsExactly(CanaryPair.RECEIVER, CanaryPair.SENDER);
        canaries.assertDeliveredEverythingInOrder();
    }

    /**
     * Case 24, a half-open peer (the proxy's "timeout" toxic): a registered client stops sending and
     * reading but never closes, so no FIN or reset ever comes. The 1 s idle timeout notices the
     * silence and ends its session: the lobby hears it disconnect, as for a reset. The canaries ping
     * every 200 ms of quiet, as a client of such a server must, and talk throughout.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void tellsTheLobbyWhenARegisteredClientFallsSilentWithoutClosing(WireCodec wire) throws IOException {
        Limits oneSecondIdle = withOneSecondIdle(SMALL_FRAMES);
        start(wire, oneSecondIdle, RateLimit.UNLIMITED, CanaryPair.DEFAULT_PERIOD, Duration.ofMillis(200));
        long start = System.nanoTime(); // before its last bytes reach the server: the idle clock starts later
        RawClient silent = registered("Silent");

        // From here on the client neither writes nor reads; its socket stays open.

        Await.until("the canaries hear Silent drop out",
                () -> canaries.presenceOf("Silent").equals(List.of(PresenceChange.JOINED, PresenceChange.DISCONNECTED)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to notice").isGreaterThan(Duration.ofMillis(900));
        Await.until("the server forgets the connection", () -> server.sessionCount() == 2);
        assertThat(ask(canaries.receiver(), Request.ListUsers::new, Reply.Users.class).names())
                .containsExactly(CanaryPair.RECEIVER, CanaryPair.SENDER);
        assertThat(silent.awaitClosedByServer(Duration.ofSeconds(10))).as("the silent socket closed by the server").isTrue();
        canaries.assertConnected();
        canaries.assertDeliveredEverythingInOrder();
    }

    // ---------------------------------------------------------------- abandoned connections

    /** Case 23: sockets opened and closed at once (connect, FIN), one after another. */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void forgetsFiveHundredConnectionsClosedRightAfterConnecting(WireCodec wire) throws IOException {
        start(wire, MANY_SOCKETS);
        ServerLog log = keep(ServerLog.capture());

        for (int i = 0; i < ABANDONED; i++) {
            new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.address()).getPort()).close();
        }

        Await.until("the server has served and forgotten all " + ABANDONED,
                () -> log.sessionsOpened() == ABANDONED && log.sessionsClosed() == ABANDONED && server.sessionCount() == 2);
        assertThat(ask(canaries.receiver(), Request.ListUsers::new, Reply.Users.class).names())
                .containsExactly(CanaryPair.RECEIVER, CanaryPair.SENDER);
        assertServerStillServes();
        canaries.assertDeliveredEverythingInOrder();
    }

    /** Case 23: sockets all open at once, saying nothing, then closed (FIN) together. */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void forgetsFiveHundredIdleConnectionsOnceTheyClose(WireCodec wire) throws IOException {
        start(wire, MANY_SOCKETS);
        ServerLog log = keep(ServerLog.capture());
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < ABANDONED; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.address()).getPort()));
            }
            Await.until("the server serves all " + ABANDONED, () -> server.sessionCount() == 2 + ABANDONED);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }

        Await.until("the server forgets all " + ABANDONED,
                () -> server.sessionCount() == 2 && log.sessionsClosed() == ABANDONED);
        assertThat(log.sessionsOpened()).isEqualTo(ABANDONED);
        assertThat(ask(canaries.receiver(), Request.ListUsers::new, Reply.Users.class).names())
                .containsExactly(CanaryPair.RECEIVER, CanaryPair.SENDER);
        canaries.assertDeliveredEverythingInOrder();
    }

    /**
     * Case 23, connect and vanish: sockets that connect (fifty of them also register), then neither
     * write, read nor close, so no FIN or reset ever tells the server. The 1 s idle timeout reaps
     * every one; the lobby hears each registered one disconnect, LIST_USERS shows no ghost, and the
     * session count is back to the canaries alone. The canaries ping every 200 ms of quiet.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void reapsFiveHundredConnectionsThatVanishWithoutClosing(WireCodec wire) throws IOException {
        Limits oneSecondIdle = withOneSecondIdle(MANY_SOCKETS);
        start(wire, oneSecondIdle, RateLimit.UNLIMITED, CanaryPair.DEFAULT_PERIOD, Duration.ofMillis(200));
        ServerLog log = keep(ServerLog.capture());
        int registering = 50;
        List<String> names = IntStream.range(0, registering).mapToObj(i -> "Vanished" + i).toList();
        for (String name : names) {
            registered(name);
        }
        List<Socket> vanished = new ArrayList<>();
        try {
            for (int i = registering; i < ABANDONED; i++) {
                vanished.add(new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.address()).getPort()));
            }

            Await.until("the server has served and reaped all " + ABANDONED,
                    () -> log.sessionsOpened() == ABANDONED && log.sessionsClosed() == ABANDONED && server.sessionCount() == 2);
        } finally {
            for (Socket socket : vanished) {
                socket.close();
            }
        }
        assertThat(ask(canaries.receiver(), Request.ListUsers::new, Reply.Users.class).names())
                .as("LIST_USERS after the reaping").containsExactly(CanaryPair.RECEIVER, CanaryPair.SENDER);
        for (String name : names) {
            Await.until(name + " reported gone", () -> canaries.presenceOf(name).size() == 2);
            assertThat(canaries.presenceOf(name)).as("presence of %s", name)
                    .containsExactly(PresenceChange.JOINED, PresenceChange.DISCONNECTED);
        }
        assertThat(log.count(m -> m.startsWith("disconnected s") && m.contains("idle for 1 s")))
                .as("sessions ended by the idle timeout").isEqualTo(ABANDONED);
        canaries.assertDeliveredEverythingInOrder();
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void leavesNoGhostsWhenTwoHundredRegisteredUsersVanish(WireCodec wire) throws IOException {
        // Default frames: with 4 KiB frames a LIST_USERS of 202 names may not fit one reply, and the
        // server would answer it with FRAME_TOO_LARGE instead of the names (ChatServer.encodeToFit).
        start(wire, Limits.DEFAULTS);
        List<RawClient> ghosts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ghosts.add(registered("Ghost" + i));
        }
        assertThat(ask(canaries.receiver(), Request.ListUsers::new, Reply.Users.class).names()).hasSize(202);

        for (int i = 0; i < ghosts.size(); i++) {
            if (i % 2 == 0) {
                ghosts.get(i).close(); // FIN, without QUIT
            } else {
                ghosts.get(i).reset(); // RST
            }
        }

        Await.until("the server forgets every ghost", () -> server.sessionCount() == 2);
        assertThat(ask(canaries.receiver(), Request.ListUsers::new, Reply.Users.class).names())
                .as("LIST_USERS after the ghosts left").containsExactly(CanaryPair.RECEIVER, CanaryPair.SENDER);
        for (int i = 0; i < 200; i++) {
            String ghost = "Ghost" + i;
            Await.until(ghost + " reported gone", () -> canaries.presenceOf(ghost).size() == 2);
            assertThat(canaries.presenceOf(ghost)).as("presence of %s", ghost)
                    .containsExactly(PresenceChange.JOINED, PresenceChange.DISCONNECTED);
        }
        canaries.assertDeliveredEverythingInOrder();
    }

    /** {@code limits} with a 1 s idle timeout, the other timeouts the defaults: silent peers go fast. */
    private static Limits withOneSecondIdle(Limits limits) {
        return limits.withTimeouts(Limits.DEFAULTS.writeDeadline(), Limits.DEFAULTS.lineCompletion(),
                Duration.ofSeconds(1), Limits.DEFAULTS.registrationTimeout());
    }
}
