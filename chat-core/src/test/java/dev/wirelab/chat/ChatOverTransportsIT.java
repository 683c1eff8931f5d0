package dev.wirelab.chat;

import static dev.wirelab.chat.ChatClients.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.MemoryTransport;
import dev.wirelab.transport.Transport;
import dev.wirelab.transport.tcp.TcpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole chat over every transport and codec: real sockets on loopback for TCP, pipes for
 * memory. Concurrent pipelined senders must yield one global order that every member of the room
 * sees identically, and an account must survive its connection.
 */
@Timeout(60)
class ChatOverTransportsIT {

    private static final String ROOM = "arena";
    private static final int SENDERS = 2;
    private static final int POSTS_PER_SENDER = 300;
    private static final int MEMBERS = 4;

    enum Carrier {
        TCP {
            @Override
            Transport create() {
                return TcpTransport.create(Limits.DEFAULTS);
            }
        },
        MEMORY {
            @Override
            Transport create() {
                return MemoryTransport.create();
            }
        };

        abstract Transport create();
    }

    static Stream<Arguments> transportsAndCodecs() {
        return Stream.of(Carrier.values()).flatMap(carrier -> Stream.of(WireCodec.values())
                .map(codec -> Arguments.of(carrier, codec)));
    }

    private final List<ChatClient> clients = new ArrayList<>();
    private Transport transport;
    private Codec codec;
    private ChatServer server;

    @AfterEach
    void closeEverything() {
        clients.forEach(ChatClient::close);
        if (server != null) {
            server.close();
        }
    }

    private void start(Carrier carrier, WireCodec wire) throws IOException {
        transport = carrier.create();
        codec = wire.create(Limits.DEFAULTS);
        ChatConfig config = ChatConfig.defaults().withRateLimit(RateLimit.UNLIMITED).withZone(ZoneOffset.UTC)
                .withPasswordIterations(1_000);
        server = ChatServer.start(transport, codec, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
    }

    private ChatClient keep(ChatClient client) {
        clients.add(client);
        return client;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transportsAndCodecs")
    void everyMemberSeesConcurrentPipelinedPostsInOneGlobalOrder(Carrier carrier, WireCodec wire) throws Exception {
        start(carrier, wire);
        List<RecordingListener> heard = new ArrayList<>();
        List<ChatClient> members = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            RecordingListener listener = new RecordingListener();
            ChatClient client = keep(ChatClients.pushUser(transport, codec, server.address(), "Member" + m, listener));
            ask(client, id -> new Request.Join(id, ROOM), Reply.Joined.class);
            heard.add(listener);
            members.add(client);
        }

        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                ChatClient sender = members.get(s);
                String prefix = "Member" + s + "#";
                done.add(senders.submit(() -> {
                    go.await();
                    for (int i = 0; i < POSTS_PER_SENDER; i++) {
                        String text = prefix + i;
                        // send, not call: the posts are pipelined, many in flight at once.
                        sender.send(id -> new Request.Post(id, ROOM, text), Delivery.RELIABLE_ORDERED);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        }

        int total = SENDERS * POSTS_PER_SENDER;
        for (int m = 0; m < MEMBERS; m++) {
            RecordingListener listener = heard.get(m);
            Await.until("Member" + m + " has all " + total + " posts", () -> listener.roomMessages(ROOM).size() >= total);
        }
        for (int s = 0; s < SENDERS; s++) {
            RecordingListener listener = heard.get(s);
            Await.until("Member" + s + " has a reply to each post", () -> listener.replies().size() >= POSTS_PER_SENDER);
        }

        List<MessageId> globalOrder = heard.getFirst().roomMessages(ROOM).stream().map(m -> m.message().id()).toList();
        assertThat(globalOrder).hasSize(total).doesNotHaveDuplicates().isSortedAccordingTo(MessageId::compareTo);
        for (int m = 0; m < MEMBERS; m++) {
            List<Event.RoomMessage> got = heard.get(m).roomMessages(ROOM);
            assertThat(got).as("Member%d's room messages", m).hasSize(total);
            assertThat(got).extracting(e -> e.message().id()).as("Member%d's order", m)
                    .containsExactlyElementsOf(globalOrder);
            for (int s = 0; s < SENDERS; s++) {
                String from = "Member" + s;
                assertThat(got).filteredOn(e -> e.message().from().equals(from)).extracting(e -> e.message().text())
                        .as("what Member%d got from %s", m, from)
                        .containsExactlyElementsOf(IntStream.range(0, POSTS_PER_SENDER).mapToObj(i -> from + "#" + i).toList());
            }
        }
        for (int s = 0; s < SENDERS; s++) {
            String from = "Member" + s;
            List<Reply> replies = heard.get(s).replies();
            assertThat(replies).as("%s's replies", from).hasSize(POSTS_PER_SENDER).allMatch(Reply.Posted.class::isInstance);
            List<MessageId> acknowledged = replies.stream().map(r -> ((Reply.Posted) r).messageId()).toList();
            assertThat(acknowledged).as("%s's acknowledged ids", from).containsExactlyElementsOf(
                    heard.get(s).roomMessages(ROOM).stream().filter(e -> e.message().from().equals(from))
                            .map(e -> e.message().id()).toList());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transportsAndCodecs")
    void aUserRegisteredWithAPasswordLogsInAgainFromANewConnection(Carrier carrier, WireCodec wire) throws IOException {
        start(carrier, wire);
        RecordingListener firstHeard = new RecordingListener();
        ChatClient first = keep(ChatClient.connect(transport, codec, server.address(), firstHeard));
        String password = "correct horse battery";

        Reply.Registered registered = ask(first, id -> new Request.Register(id, "Alice", Password.of(password)),
                Reply.Registered.class);
        ask(first, Request.Quit::new, Reply.Goodbye.class);
        Await.until("the first connection is closed", firstHeard::closed);

        ChatClient second = keep(ChatClient.connect(transport, codec, server.address(), ChatListener.NONE));
        Reply.Failed squatter = ask(second, id -> new Request.Register(id, "alice", Password.NONE), Reply.Failed.class);
        Reply.Failed wrong = ask(second, id -> new Request.Login(id, "Alice", Password.of("wrong password")),
                Reply.Failed.class);
        Reply.LoggedIn loggedIn = ask(second, id -> new Request.Login(id, "alice", Password.of(password)),
                Reply.LoggedIn.class);
        Reply.Users users = ask(second, Request.ListUsers::new, Reply.Users.class);

        assertThat(registered.name()).isEqualTo("Alice");
        assertThat(squatter.code()).isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(wrong.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(loggedIn.name()).as("the name as registered, whatever case LOGIN used").isEqualTo("Alice");
        assertThat(users.names()).containsExactly("Alice");
    }
}
