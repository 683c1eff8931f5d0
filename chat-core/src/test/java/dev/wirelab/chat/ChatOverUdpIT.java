package dev.wirelab.chat;

import static dev.wirelab.chat.ChatClients.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.StoredMessage;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.udp.UdpConnection;
import dev.wirelab.transport.udp.UdpOptions;
import dev.wirelab.transport.udp.UdpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat over UDP on loopback, through seeded in-process loss of 20% in both directions: in
 * RELIABLE_ORDERED nothing is lost and nothing is reordered; in RELIABLE nothing is lost or
 * duplicated. Both codecs, several profiles. And a member whose socket dies without a CLOSE is found
 * by the server's idle timeout while the others chat on.
 */
@Timeout(120)
class ChatOverUdpIT {

    private static final String ROOM = "lossy";
    private static final int POSTS_PER_SENDER = 150;

    private final List<ChatClient> clients = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();
    private ChatServer server;
    private UdpTransport clientSide;
    private Codec codec;

    @AfterEach
    void closeEverything() throws Exception {
        clients.forEach(ChatClient::close);
        for (AutoCloseable other : others) {
            other.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> codecsDeliveriesAndProfiles() {
        return Stream.of(
                Arguments.of(WireCodec.JSON, Delivery.RELIABLE_ORDERED, "quic-like"),
                Arguments.of(WireCodec.PROTOBUF, Delivery.RELIABLE_ORDERED, "kcp-turbo"),
                Arguments.of(WireCodec.JSON, Delivery.RELIABLE, "tcp-like"),
                Arguments.of(WireCodec.PROTOBUF, Delivery.RELIABLE, "quic-like"));
    }

    private void start(WireCodec wire, Delivery delivery, String profile, String lossSpec) throws IOException {
        codec = wire.create(Limits.DEFAULTS);
        UdpOptions options = UdpOptions.defaults().withDelivery(delivery).withProfile(profile);
        Impairment loss = Impairment.parse(lossSpec);
        // Each direction its own seed: the same seed would lose a request and its reply together.
        UdpTransport serverSide = UdpTransport.create(options.withImpairment(loss.withSeed(loss.seed() + 1)));
        clientSide = UdpTransport.create(options.withImpairment(loss));
        ChatConfig config = ChatConfig.defaults().withRateLimit(RateLimit.UNLIMITED).withZone(ZoneOffset.UTC)
                .withPasswordIterations(1_000);
        server = ChatServer.start(serverSide, codec, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
    }

    private ChatClient member(String name, RecordingListener listener) throws IOException {
        ChatClient client = ChatClients.pushUser(clientSide, codec, server.address(), name, listener);
        clients.add(client);
        ask(client, id -> new Request.Join(id, ROOM), Reply.Joined.class);
        return client;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("codecsDeliveriesAndProfiles")
    void deliversEveryPostThroughTwentyPercentLossBothWays(WireCodec wire, Delivery delivery, String profile)
            throws Exception {
        start(wire, delivery, profile, "loss=20%,seed=7");
        List<RecordingListener> heard = List.of(new RecordingListener(), new RecordingListener(), new RecordingListener());
        List<ChatClient> members = new ArrayList<>();
        for (int m = 0; m < heard.size(); m++) {
            members.add(member("Member" + m, heard.get(m)));
        }

        for (int i = 0; i < POSTS_PER_SENDER; i++) {
            for (int s = 0; s < 2; s++) {
                String text = "Member" + s + "#" + i;
                members.get(s).send(id -> new Request.Post(id, ROOM, text), Delivery.RELIABLE_ORDERED);
            }
        }

        int total = 2 * POSTS_PER_SENDER;
        for (int m = 0; m < heard.size(); m++) {
            RecordingListener listener = heard.get(m);
            Await.until("Member" + m + " heard all " + total + " posts",
                    () -> listener.roomMessages(ROOM).size() >= total);
        }
        List<MessageId> firstOrder = null;
        for (RecordingListener listener : heard) {
            List<Event.RoomMessage> got = listener.roomMessages(ROOM);
            Set<MessageId> distinct = new HashSet<>();
            got.forEach(m -> distinct.add(m.message().id()));
            assertThat(got).as("no duplicates").hasSize(total);
            assertThat(distinct).as("every post exactly once").hasSize(total);
            if (delivery == Delivery.RELIABLE_ORDERED) {
                List<MessageId> ids = got.stream().map(m -> m.message().id()).toList();
                assertThat(ids).as("the server's order, unbroken").isSorted();
                for (int s = 0; s < 2; s++) {
                    String prefix = "Member" + s + "#";
                    assertThat(got.stream().map(m -> m.message().text()).filter(t -> t.startsWith(prefix)).toList())
                            .as("sender %d's own order", s)
                            .containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(POSTS_PER_SENDER)
                                    .map(i -> prefix + i).toList());
                }
                if (firstOrder == null) {
                    firstOrder = ids;
                } else {
                    assertThat(ids).as("every member sees the same order").isEqualTo(firstOrder);
                }
            }
        }
    }

    /**
     * Each room is an ordering key of its own, so over UDP the two rooms travel on two channels: each
     * room's posts arrive complete and in the server's order, and where a loss held one room back
     * the other room's later posts arrived first (over TCP, one stream, they never can).
     */
    @Test
    void twoRoomsArriveEachInOrderAndALossInOneDoesNotHoldBackTheOther() throws Exception {
        String golang = "golang";
        String lobby = "lobby2";
        assertThat(ChatServer.orderingKeyOf(post(golang)).channel(8))
                .as("the two rooms map to different channels").isNotEqualTo(ChatServer.orderingKeyOf(post(lobby)).channel(8));
        start(WireCodec.PROTOBUF, Delivery.RELIABLE_ORDERED, "quic-like", "loss=20%,seed=21");
        RecordingListener readerHeard = new RecordingListener();
        ChatClient reader = member("Reader", readerHeard);
        ChatClient writer = member("Writer", new RecordingListener());
        for (ChatClient client : List.of(reader, writer)) {
            for (String room : List.of(golang, lobby)) {
                joinSlowly(client, room, List.of(reader, writer));
            }
        }

        for (int i = 0; i < POSTS_PER_SENDER; i++) {
            for (String room : List.of(golang, lobby)) {
                String text = room + "#" + i;
                writer.send(id -> new Request.Post(id, room, text), Delivery.RELIABLE_ORDERED);
            }
        }

        Await.until("Reader heard every post in both rooms",
                () -> readerHeard.roomMessages(golang).size() >= POSTS_PER_SENDER
                        && readerHeard.roomMessages(lobby).size() >= POSTS_PER_SENDER);
        for (String room : List.of(golang, lobby)) {
            assertThat(readerHeard.roomMessages(room)).extracting(m -> m.message().text()).as(room)
                    .containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(POSTS_PER_SENDER)
                            .map(i -> room + "#" + i).toList());
        }
        List<MessageId> arrival = readerHeard.events(Event.RoomMessage.class).stream()
                .filter(m -> m.message().room().equals(golang) || m.message().room().equals(lobby))
                .map(m -> m.message().id()).toList();
        assertThat(overtakes(arrival)).as("posts that arrived before an earlier post of the other room")
                .isPositive();
    }

    /**
     * Joins {@code room}, allowing 30 s for the reply: through 20% loss both ways a JOIN's reply has
     * been seen to take over 10 s (once in CI, once in about fifty loaded local runs), which backoff
     * alone hardly explains. Until that is understood, a slow reply fails with both clients' engine
     * counters, so the next occurrence says where the time went.
     */
    private static void joinSlowly(ChatClient client, String room, List<ChatClient> all) throws IOException {
        try {
            Reply reply = client.call(id -> new Request.Join(id, room), Duration.ofSeconds(30));
            assertThat(reply).as("reply to JOIN %s", room).isInstanceOf(Reply.Joined.class);
        } catch (IOException e) {
            StringBuilder counters = new StringBuilder();
            for (ChatClient each : all) {
                if (each.connection() instanceof UdpConnection udp) {
                    counters.append("\n  ").append(udp.engineStats());
                }
            }
            throw new AssertionError("JOIN " + room + ": " + e.getMessage() + "; engine counters:" + counters, e);
        }
    }

    private static Event.RoomMessage post(String room) {
        return new Event.RoomMessage(new StoredMessage(MessageId.of(1), room, "Writer", "x",
                Instant.EPOCH));
    }

    private static int overtakes(List<MessageId> arrival) {
        int overtakes = 0;
        MessageId highest = null;
        for (MessageId id : arrival) {
            if (highest != null && id.compareTo(highest) < 0) {
                overtakes++;
            }
            highest = highest == null || id.compareTo(highest) > 0 ? id : highest;
        }
        return overtakes;
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void servesHistoryPrivateMessagesAndQuitOverALossyLink(WireCodec wire) throws Exception {
        start(wire, Delivery.RELIABLE_ORDERED, "quic-like", "loss=10%,delay=5ms,jitter=5ms,seed=11");
        RecordingListener aliceHeard = new RecordingListener();
        RecordingListener bobHeard = new RecordingListener();
        ChatClient alice = member("Alice", aliceHeard);
        ChatClient bob = member("Bob", bobHeard);
        for (int i = 0; i < 30; i++) {
            int n = i;
            ask(alice, id -> new Request.Post(id, ROOM, "line " + n), Reply.Posted.class);
        }

        Reply.History page = ask(bob, id -> new Request.ListMessages(id, ROOM, HistoryCursor.LATEST, 10), Reply.History.class);
        Reply.SentPrivate sent = ask(alice, id -> new Request.PostPrivate(id, "Bob", "just for you"), Reply.SentPrivate.class);
        Await.until("Bob got the private message", () -> !bobHeard.events(Event.PrivateMessage.class).isEmpty());
        ask(alice, Request.Quit::new, Reply.Goodbye.class);

        assertThat(page.messages()).extracting(m -> m.text())
                .containsExactlyElementsOf(Stream.iterate(20, i -> i + 1).limit(10).map(i -> "line " + i).toList());
        assertThat(page.complete()).isFalse();
        assertThat(bobHeard.events(Event.PrivateMessage.class)).singleElement()
                .satisfies(pm -> assertThat(pm.id()).isEqualTo(sent.messageId()));
        Await.until("Bob heard Alice quit", () -> bobHeard.events(Event.Presence.class).stream()
                .anyMatch(p -> p.user().equals("Alice") && p.change() == PresenceChange.QUIT));
    }

    /**
     * A registered member's socket dies without a CLOSE (its address goes silent, as when a process
     * is killed or a laptop drops off the network): the server's UDP idle timeout, short here, ends
     * the session, the room hears that the member DISCONNECTED, and the others chat on undisturbed,
     * before and after. The member reaches the server through a one-socket relay; closing the relay is
     * closing the socket the server knows as the member's, with nothing said.
     */
    @Test
    void aMemberWhoseSocketDiesWithoutCloseIsDisconnectedByTheIdleTimeoutWhileTheOthersChatOn() throws Exception {
        Duration idle = Duration.ofSeconds(2);
        UdpOptions options = UdpOptions.defaults().withDelivery(Delivery.RELIABLE_ORDERED)
                .withTimeouts(Duration.ofMillis(200), idle, Duration.ofMillis(500));
        codec = WireCodec.JSON.create(Limits.DEFAULTS);
        clientSide = UdpTransport.create(options);
        ChatConfig config = ChatConfig.defaults().withRateLimit(RateLimit.UNLIMITED).withZone(ZoneOffset.UTC)
                .withPasswordIterations(1_000);
        server = ChatServer.start(UdpTransport.create(options), codec,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
        RecordingListener aliceHeard = new RecordingListener();
        RecordingListener bobHeard = new RecordingListener();
        ChatClient alice = member("Alice", aliceHeard);
        ChatClient bob = member("Bob", bobHeard);
        Relay relay = new Relay(server.address());
        others.add(relay);
        ChatClient carol = ChatClients.pushUser(clientSide, codec, relay.address(), "Carol", new RecordingListener());
        clients.add(carol);
        ask(carol, id -> new Request.Join(id, ROOM), Reply.Joined.class);
        ask(carol, id -> new Request.Post(id, ROOM, "carol was here"), Reply.Posted.class);
        Await.until("Bob heard Carol", () -> bobHeard.roomMessages(ROOM).size() == 1);

        relay.close(); // Carol's socket, as the server knows it, is gone: no CLOSE, no QUIT
        long cutAt = System.nanoTime();
        int posts = 0;
        while (!disconnected(aliceHeard, "Carol") || !disconnected(bobHeard, "Carol")) {
            int n = posts++;
            ask(n % 2 == 0 ? alice : bob, id -> new Request.Post(id, ROOM, "post " + n), Reply.Posted.class);
            Thread.sleep(50); // paces the chat; the loop ends on the condition, not on a guessed time
            assertThat(Duration.ofNanos(System.nanoTime() - cutAt)).as("time for the server to notice Carol is gone")
                    .isLessThan(Duration.ofSeconds(30));
        }
        long noticedAt = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            int n = posts++;
            ask(n % 2 == 0 ? alice : bob, id -> new Request.Post(id, ROOM, "post " + n), Reply.Posted.class);
        }
        Reply.Users users = ask(alice, Request.ListUsers::new, Reply.Users.class);

        assertThat(Duration.ofNanos(noticedAt - relay.lastToServerNanos()))
                .as("not before the idle timeout had passed since Carol's last datagram").isGreaterThanOrEqualTo(idle);
        assertThat(users.names()).contains("Alice", "Bob").doesNotContain("Carol");
        int total = 1 + posts;
        int sent = posts;
        for (RecordingListener heard : List.of(aliceHeard, bobHeard)) {
            Await.until("every post heard", () -> heard.roomMessages(ROOM).size() >= total);
            assertThat(heard.roomMessages(ROOM)).extracting(m -> m.message().text())
                    .as("every post once, in order, Carol's death or not")
                    .containsExactlyElementsOf(Stream.concat(Stream.of("carol was here"),
                            Stream.iterate(0, i -> i + 1).limit(sent).map(i -> "post " + i)).toList());
            assertThat(heard.events(Event.Presence.class)).filteredOn(p -> p.room().equals(ROOM) && p.user().equals("Carol"))
                    .extracting(Event.Presence::change).containsExactly(PresenceChange.JOINED, PresenceChange.DISCONNECTED);
        }
    }

    private static boolean disconnected(RecordingListener heard, String user) {
        return heard.events(Event.Presence.class).stream()
                .anyMatch(p -> p.room().equals(ROOM) && p.user().equals(user) && p.change() == PresenceChange.DISCONNECTED);
    }

    /**
     * One loopback socket between a client and the server: the client's datagrams go to the server
     * from the relay's address, the server's go back to the client. Closing it cuts the client off
     * without a word, and it remembers when it last handed a datagram to the server.
     */
    private static final class Relay implements AutoCloseable {
        private final DatagramChannel channel;
        private final SocketAddress server;
        private final AtomicLong lastToServer = new AtomicLong();
        private final Thread loop;
        private volatile SocketAddress client;

        Relay(SocketAddress server) throws IOException {
            this.server = server;
            this.channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.loop = Thread.ofVirtual().name("chat-udp-relay").start(this::run);
        }

        SocketAddress address() throws IOException {
            return channel.getLocalAddress();
        }

        /** When a datagram from the client was last sent on to the server ({@link System#nanoTime()}). */
        long lastToServerNanos() {
            return lastToServer.get();
        }

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocate(65_536);
            while (true) {
                try {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    buffer.flip();
                    if (from.equals(server)) {
                        if (client != null) {
                            channel.send(buffer, client);
                        }
                    } else {
                        client = from;
                        lastToServer.set(System.nanoTime()); // before the send: the server gets it no earlier
                        channel.send(buffer, server);
                    }
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    // a port gone away on loopback: drop the datagram, as a network would
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            try {
                loop.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
