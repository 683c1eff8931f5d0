package dev.wirelab.chat;

import static dev.wirelab.chat.ChatClients.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.udp.UdpOptions;
import dev.wirelab.transport.udp.UdpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat over UDP on loopback, through seeded in-process loss of 20% in both directions: in
 * RELIABLE_ORDERED nothing is lost and nothing is reordered; in RELIABLE nothing is lost or
 * duplicated. Both codecs, several profiles.
 */
@Timeout(120)
class ChatOverUdpIT {

    private static final String ROOM = "lossy";
    private static final int POSTS_PER_SENDER = 150;

    private final List<ChatClient> clients = new ArrayList<>();
    private ChatServer server;
    private UdpTransport clientSide;
    private Codec codec;

    @AfterEach
    void closeEverything() {
        clients.forEach(ChatClient::close);
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
                .anyMatch(p -> p.user().equals("Alice") && p.change() == dev.wirelab.protocol.PresenceChange.QUIT));
    }
}
