package dev.wirelab.chat;

import static dev.wirelab.chat.ChatClients.REPLY_TIMEOUT;
import static dev.wirelab.chat.ChatClients.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
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
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.MemoryTransport;
import dev.wirelab.transport.OrderingKey;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real {@link ChatServer} and {@link ChatClient} over {@link MemoryTransport}, no sockets: each
 * command end to end through a codec, for both codecs. {@code ChatStateTest} covers the rules; this
 * covers the shells around them (threads, outboxes, codecs, closing).
 */
@Timeout(30)
class ChatServerTest {

    private static final String LOBBY = Request.DEFAULT_ROOM;

    private final List<AutoCloseable> open = new ArrayList<>();
    private MemoryTransport transport;
    private Codec codec;
    private ChatServer server;

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(WireCodec wire) throws IOException {
        start(wire, MemoryTransport.create(), Limits.DEFAULTS);
    }

    private void start(WireCodec wire, MemoryTransport memory, Limits limits) throws IOException {
        transport = memory;
        codec = wire.create(limits);
        ChatConfig config = ChatConfig.defaults().withLimits(limits).withRateLimit(RateLimit.UNLIMITED)
                .withZone(ZoneOffset.UTC).withPasswordIterations(1_000);
        server = ChatServer.start(transport, codec, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
    }

    private ChatClient connect(RecordingListener listener) throws IOException {
        return keep(ChatClient.connect(transport, codec, server.address(), listener));
    }

    private ChatClient pushUser(String name, RecordingListener listener) throws IOException {
        return keep(ChatClients.pushUser(transport, codec, server.address(), name, listener));
    }

    private ChatClient seedUser(String name, RecordingListener listener) throws IOException {
        return keep(ChatClients.seedUser(transport, codec, server.address(), name, listener));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    private static Reply.Posted post(ChatClient client, String room, String text) throws IOException {
        return ask(client, id -> new Request.Post(id, room, text), Reply.Posted.class);
    }

    // ---------------------------------------------------------------- connecting

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void welcomesEveryNewClientWithTheSeedsLine(WireCodec wire) throws IOException {
        start(wire);

        ChatClient client = connect(new RecordingListener());

        assertThat(client.welcome()).isEqualTo(new Reply.Info(RequestId.NONE, ChatConfig.SEED_WELCOME, ""));
        Await.until("the server counts the session", () -> server.sessionCount() == 1);
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void exposesTheConnectionItTalksOverWhoseCountsAreTheClients(WireCodec wire) throws IOException {
        start(wire);
        ChatClient client = connect(new RecordingListener());
        ask(client, id -> new Request.Echo(id, "counted"), Reply.Echoed.class);

        Connection connection = client.connection();

        assertThat(connection.remoteAddress()).isEqualTo(server.address());
        assertThat(connection.stats()).isEqualTo(client.stats());
        assertThat(connection.stats().framesIn()).isEqualTo(2); // the welcome and the echo
        assertThat(connection.stats().framesOut()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersHelloWithTheCapabilitiesItGrants(WireCodec wire) throws IOException {
        start(wire);
        ChatClient client = connect(new RecordingListener());

        Reply.Negotiated negotiated = ask(client,
                id -> new Request.Hello(id, "test/1", EnumSet.of(Capability.PUSH, Capability.ROOMS)), Reply.Negotiated.class);

        assertThat(negotiated.version()).isEqualTo(ChatState.PROTOCOL_VERSION);
        assertThat(negotiated.capabilities()).containsExactlyInAnyOrder(Capability.PUSH, Capability.ROOMS);
        assertThat(negotiated.server()).isEqualTo(ChatConfig.SERVER_NAME);
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void registersANameAndTellsTheLobby(WireCodec wire) throws IOException {
        start(wire);
        RecordingListener aliceHears = new RecordingListener();
        pushUser("Alice", aliceHears);
        ChatClient bob = connect(new RecordingListener());

        Reply.Registered registered = ask(bob, id -> new Request.Register(id, "Bob", Password.NONE), Reply.Registered.class);

        assertThat(registered.name()).isEqualTo("Bob");
        Await.until("Alice hears Bob arrive", () -> !aliceHears.events(Event.Presence.class).isEmpty());
        assertThat(aliceHears.events(Event.Presence.class)).singleElement()
                .satisfies(p -> assertThat(List.of(p.room(), p.user(), p.change()))
                        .containsExactly(LOBBY, "Bob", PresenceChange.JOINED));
        Reply.Failed taken = ask(connect(new RecordingListener()),
                id -> new Request.Register(id, "bob", Password.NONE), Reply.Failed.class);
        assertThat(taken.code()).isEqualTo(ErrorCode.NAME_TAKEN);
    }

    // ---------------------------------------------------------------- rooms and messages

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void joinsARoomAndDeliversItsMessagesToItsMembersOnly(WireCodec wire) throws IOException {
        start(wire);
        RecordingListener aliceHears = new RecordingListener();
        RecordingListener bobHears = new RecordingListener();
        RecordingListener carolHears = new RecordingListener();
        ChatClient alice = pushUser("Alice", aliceHears);
        ChatClient bob = pushUser("Bob", bobHears);
        pushUser("Carol", carolHears);

        Reply.Joined aliceJoined = ask(alice, id -> new Request.Join(id, "golang"), Reply.Joined.class);
        Reply.Joined bobJoined = ask(bob, id -> new Request.Join(id, "golang"), Reply.Joined.class);
        Reply.Posted posted = post(bob, "golang", "hi gophers");

        assertThat(aliceJoined.room()).isEqualTo("golang");
        assertThat(aliceJoined.members()).containsExactly("Alice");
        assertThat(bobJoined.members()).containsExactly("Alice", "Bob");
        Await.until("Alice hears Bob's post", () -> !aliceHears.roomMessages("golang").isEmpty());
        StoredMessage message = aliceHears.roomMessages("golang").getFirst().message();
        assertThat(message.id()).isEqualTo(posted.messageId());
        assertThat(List.of(message.from(), message.text())).containsExactly("Bob", "hi gophers");
        assertThat(aliceHears.events(Event.Presence.class)).anySatisfy(p -> assertThat(List.of(p.room(), p.user(), p.change()))
                .containsExactly("golang", "Bob", PresenceChange.JOINED));
        Await.until("Bob hears his own post", () -> !bobHears.roomMessages("golang").isEmpty());
        // Carol is in the lobby only: a lobby post after Bob's reaches her, and Bob's did not.
        post(alice, LOBBY, "lobby after golang");
        Await.until("Carol hears the lobby post", () -> !carolHears.roomMessages(LOBBY).isEmpty());
        assertThat(carolHears.events(Event.RoomMessage.class)).extracting(m -> m.message().text())
                .containsExactly("lobby after golang");
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void deliversAPostToEveryPushClientInTheLobbyAndAcknowledgesIt(WireCodec wire) throws IOException {
        start(wire);
        RecordingListener aliceHears = new RecordingListener();
        RecordingListener bobHears = new RecordingListener();
        ChatClient alice = pushUser("Alice", aliceHears);
        pushUser("Bob", bobHears);

        Reply.Posted posted = post(alice, LOBBY, "Hello everyone!");

        Await.until("Bob hears Alice", () -> !bobHears.roomMessages(LOBBY).isEmpty());
        Await.until("Alice hears her own echo", () -> !aliceHears.roomMessages(LOBBY).isEmpty());
        for (RecordingListener heard : List.of(aliceHears, bobHears)) {
            assertThat(heard.roomMessages(LOBBY)).singleElement().satisfies(m -> {
                assertThat(m.message().id()).isEqualTo(posted.messageId());
                assertThat(m.message().from()).isEqualTo("Alice");
                assertThat(m.message().text()).isEqualTo("Hello everyone!");
                assertThat(m.message().at()).isEqualTo(posted.at());
            });
        }
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void sendsAPrivateMessageToTheRecipientAndEchoesItToTheSenderOnly(WireCodec wire) throws IOException {
        start(wire);
        RecordingListener aliceHears = new RecordingListener();
        RecordingListener bobHears = new RecordingListener();
        RecordingListener carolHears = new RecordingListener();
        ChatClient alice = pushUser("Alice", aliceHears);
        pushUser("Bob", bobHears);
        ChatClient carol = pushUser("Carol", carolHears);

        Reply.SentPrivate sent = ask(alice, id -> new Request.PostPrivate(id, "bob", "psst"), Reply.SentPrivate.class);
        post(carol, LOBBY, "after the secret");

        assertThat(sent.to()).isEqualTo("Bob");
        for (RecordingListener heard : List.of(aliceHears, bobHears)) {
            Await.until("the private message arrives", () -> !heard.events(Event.PrivateMessage.class).isEmpty());
            assertThat(heard.events(Event.PrivateMessage.class)).singleElement().satisfies(pm -> {
                assertThat(pm.id()).isEqualTo(sent.messageId());
                assertThat(List.of(pm.from(), pm.to(), pm.text())).containsExactly("Alice", "Bob", "psst");
            });
        }
        // Carol's own later post reaching her proves the private one would have arrived by now.
        Await.until("Carol hears her own post", () -> !carolHears.roomMessages(LOBBY).isEmpty());
        assertThat(carolHears.events(Event.PrivateMessage.class)).isEmpty();
        Reply.Failed nobody = ask(alice, id -> new Request.PostPrivate(id, "Zed", "hello?"), Reply.Failed.class);
        assertThat(nobody.code()).isEqualTo(ErrorCode.UNKNOWN_USER);
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void pagesThroughHistoryBackwardsAndForwardsByMessageId(WireCodec wire) throws IOException {
        start(wire);
        ChatClient alice = seedUser("Alice", new RecordingListener());
        List<MessageId> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(post(alice, LOBBY, "m" + i).messageId());
        }

        Reply.History newest = page(alice, HistoryCursor.LATEST, 2);
        Reply.History older = page(alice, HistoryCursor.before(ids.get(3)), 2);
        Reply.History oldest = page(alice, HistoryCursor.before(ids.get(1)), 2);
        Reply.History forwards = page(alice, HistoryCursor.after(ids.get(0)), 3);
        Reply.History end = page(alice, HistoryCursor.after(ids.get(3)), 3);

        assertThat(texts(newest)).containsExactly("m4", "m5");
        assertThat(newest.complete()).isFalse();
        assertThat(texts(older)).containsExactly("m2", "m3");
        assertThat(older.complete()).isFalse();
        assertThat(texts(oldest)).containsExactly("m1");
        assertThat(oldest.complete()).isTrue();
        assertThat(texts(forwards)).containsExactly("m2", "m3", "m4");
        assertThat(forwards.complete()).isFalse();
        assertThat(texts(end)).containsExactly("m5");
        assertThat(end.complete()).isTrue();
        assertThat(newest.messages()).extracting(StoredMessage::id).containsExactly(ids.get(3), ids.get(4));
        Reply.Failed unknown = ask(alice, id -> new Request.ListMessages(id, LOBBY,
                HistoryCursor.before(MessageId.of(ids.get(4).value() + 1000)), 2), Reply.Failed.class);
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_ID);
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void pagesThroughAPrivateConversationAsEitherPartyNamedWithAnAt(WireCodec wire) throws IOException {
        start(wire);
        ChatClient alice = pushUser("Alice", new RecordingListener());
        ChatClient bob = pushUser("Bob", new RecordingListener());
        ChatClient carol = pushUser("Carol", new RecordingListener());
        MessageId hi = ask(alice, id -> new Request.PostPrivate(id, "Bob", "hi"), Reply.SentPrivate.class).messageId();
        post(carol, LOBBY, "public");
        MessageId hello = ask(bob, id -> new Request.PostPrivate(id, "alice", "hello"), Reply.SentPrivate.class).messageId();

        Reply.History aliceSees = ask(alice, id -> new Request.ListMessages(id, "@bob", HistoryCursor.LATEST, 20),
                Reply.History.class);
        Reply.History bobOlder = ask(bob, id -> new Request.ListMessages(id, "@Alice", HistoryCursor.before(hello), 20),
                Reply.History.class);
        Reply.History carolSees = ask(carol, id -> new Request.ListMessages(id, "@Bob", HistoryCursor.LATEST, 20),
                Reply.History.class);

        assertThat(aliceSees.room()).isEqualTo("@bob");
        assertThat(aliceSees.complete()).isTrue();
        assertThat(aliceSees.messages()).containsExactly(
                new StoredMessage(hi, "@bob", "Alice", "hi", aliceSees.messages().get(0).at()),
                new StoredMessage(hello, "@bob", "Bob", "hello", aliceSees.messages().get(1).at()));
        assertThat(bobOlder.room()).isEqualTo("@Alice");
        assertThat(bobOlder.messages()).extracting(StoredMessage::id, StoredMessage::room, StoredMessage::text)
                .containsExactly(tuple(hi, "@Alice", "hi"));
        assertThat(carolSees.messages()).isEmpty();
        assertThat(carolSees.complete()).isTrue();
    }

    private static Reply.History page(ChatClient client, HistoryCursor cursor, int limit) throws IOException {
        Reply.History history = ask(client, id -> new Request.ListMessages(id, LOBBY, cursor, limit), Reply.History.class);
        assertThat(history.room()).isEqualTo(LOBBY);
        return history;
    }

    private static List<String> texts(Reply.History history) {
        return history.messages().stream().map(StoredMessage::text).toList();
    }

    // ---------------------------------------------------------------- logging in

    /** ChatStateLoginTest has the throttle's rules; this checks that the shell asks before it hashes. */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void refusesALoginForAThrottledNameWithTryAgainWithoutHashingThePassword(WireCodec wire) throws IOException {
        start(wire);
        String password = "correct horse";
        RecordingListener ownerHears = new RecordingListener();
        ChatClient owner = connect(ownerHears);
        ask(owner, id -> new Request.Register(id, "Alice", Password.of(password)), Reply.Registered.class);
        ask(owner, Request.Quit::new, Reply.Goodbye.class);
        Await.until("Alice is offline", ownerHears::closed);
        for (int guess = 1; guess <= FailedLogins.MAX_FAILURES_DEFAULT; guess++) {
            Password wrong = Password.of("wrong guess " + guess);
            Reply.Failed failed = ask(connect(new RecordingListener()), id -> new Request.Login(id, "alice", wrong),
                    Reply.Failed.class);
            assertThat(failed.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        }
        long hashedBefore = server.passwordsHashed();

        Reply.Failed refused = ask(connect(new RecordingListener()), id -> new Request.Login(id, "Alice", Password.of(password)),
                Reply.Failed.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.TRY_AGAIN);
        assertThat(refused.message()).matches("Too many failed logins for Alice; try again in [1-9][0-9]* s");
        assertThat(hashedBefore).as("REGISTER and each wrong guess hashed once").isEqualTo(1 + FailedLogins.MAX_FAILURES_DEFAULT);
        assertThat(server.passwordsHashed()).as("the throttled LOGIN hashed nothing").isEqualTo(hashedBefore);
    }

    // ---------------------------------------------------------------- leaving

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void answersQuitWithGoodbyeThenClosesTheConnection(WireCodec wire) throws IOException {
        start(wire);
        RecordingListener aliceHears = new RecordingListener();
        pushUser("Alice", aliceHears);
        RecordingListener bobHears = new RecordingListener();
        ChatClient bob = pushUser("Bob", bobHears);
        Await.until("both sessions counted", () -> server.sessionCount() == 2);

        ask(bob, Request.Quit::new, Reply.Goodbye.class);

        Await.until("Bob's client sees the end", bobHears::closed);
        assertThat(bob.isClosed()).isTrue();
        Await.until("the server forgets Bob", () -> server.sessionCount() == 1);
        Await.until("Alice hears Bob quit", () -> aliceHears.events(Event.Presence.class).stream()
                .anyMatch(p -> p.user().equals("Bob") && p.change() == PresenceChange.QUIT));
        assertThatThrownBy(() -> bob.call(id -> new Request.Echo(id, "anyone?"), REPLY_TIMEOUT))
                .isInstanceOf(IOException.class);
    }

    /**
     * A pushing client that stops reading fills its memory pipe (4 frames), then its outbox (a few
     * KiB); the server drops it with SENDQ_EXCEEDED while the others, whose readers keep up, get
     * every message in order. Reading again afterwards shows what the server said last.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void dropsAClientThatStopsReadingWhileTheOthersReceiveEverythingInOrder(WireCodec wire) throws IOException {
        start(wire, MemoryTransport.create(4), Limits.DEFAULTS.withSendQueueBytes(4 * 1024));
        RecordingListener watcherHears = new RecordingListener();
        pushUser("Watcher", watcherHears);
        ChatClient poster = seedUser("Poster", new RecordingListener());
        Connection sloth = keep(transport.connect(server.address(), codec.framing()));
        sloth.send(codec.encode(new Request.Hello(RequestId.of("h"), "sloth", EnumSet.of(Capability.PUSH))));
        sloth.send(codec.encode(new Request.Register(RequestId.of("r"), "Sloth", Password.NONE)));
        Await.until("Sloth is in the lobby", () -> watcherHears.events(Event.Presence.class).stream()
                .anyMatch(p -> p.user().equals("Sloth")));

        int posts = 60;
        for (int i = 0; i < posts; i++) {
            post(poster, LOBBY, "post-" + i + "-" + "x".repeat(100));
            int sent = i + 1;
            // Lock-step: the watcher's reader keeps up, so only the sloth can fall behind.
            Await.until("the watcher has post " + i, () -> watcherHears.roomMessages(LOBBY).size() >= sent);
        }

        Await.until("the watcher hears Sloth dropped", () -> watcherHears.events(Event.Presence.class).stream()
                .anyMatch(p -> p.user().equals("Sloth") && p.change() == PresenceChange.DISCONNECTED));
        assertThat(watcherHears.roomMessages(LOBBY)).extracting(m -> m.message().text())
                .containsExactlyElementsOf(IntStream.range(0, posts).mapToObj(i -> "post-" + i + "-" + "x".repeat(100)).toList());
        List<ChatMessage> slothGot = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (true) {
                slothGot.add(codec.decode(sloth.receive()));
            }
        }).isInstanceOf(ConnectionClosedException.class);
        assertThat(slothGot.getFirst()).isEqualTo(new Reply.Info(RequestId.NONE, ChatConfig.SEED_WELCOME, ""));
        assertThat(slothGot.getLast()).isInstanceOfSatisfying(Event.Closing.class,
                closing -> assertThat(closing.reason()).isEqualTo(ErrorCode.SENDQ_EXCEEDED));
        assertThat(slothGot.stream().filter(Event.RoomMessage.class::isInstance).count())
                .as("room messages that reached the sloth").isLessThan(posts);
        Await.until("the server forgets the sloth", () -> server.sessionCount() == 2);
    }

    /**
     * A push client that has not read for a while has events queued (in its 4-frame pipe and its
     * outbox) when the server closes: closing sends every one of them, in order, and only then the
     * closing notice, then ends the connection.
     */
    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void closingTheServerSendsEveryQueuedEventBeforeTheClosingNotice(WireCodec wire) throws Exception {
        start(wire, MemoryTransport.create(4), Limits.DEFAULTS);
        ChatClient poster = seedUser("Poster", new RecordingListener());
        Connection late = keep(transport.connect(server.address(), codec.framing()));
        late.send(codec.encode(new Request.Hello(RequestId.of("h"), "late", EnumSet.of(Capability.PUSH))));
        late.send(codec.encode(new Request.Register(RequestId.of("r"), "Late", Password.NONE)));
        assertThat(codec.decode(late.receive())).isEqualTo(new Reply.Info(RequestId.NONE, ChatConfig.SEED_WELCOME, ""));
        assertThat(codec.decode(late.receive())).isInstanceOf(Reply.Negotiated.class);
        assertThat(codec.decode(late.receive())).isEqualTo(new Reply.Registered(RequestId.of("r"), "Late"));
        // From here on Late reads nothing until the server closes.
        int posts = 50;
        for (int i = 0; i < posts; i++) {
            post(poster, LOBBY, "queued-" + i); // acknowledged: its event is queued for Late
        }

        Thread closer = Thread.ofPlatform().name("closer").start(server::close);
        // TIMED_WAITING: close() has queued its notices and waits for the queues to drain.
        Await.until("close() waits for the queues", () -> closer.getState() == Thread.State.TIMED_WAITING);
        List<ChatMessage> got = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (true) {
                got.add(codec.decode(late.receive()));
            }
        }).isInstanceOf(ConnectionClosedException.class);
        closer.join(Duration.ofSeconds(10));

        assertThat(got.stream().filter(Event.RoomMessage.class::isInstance).map(m -> ((Event.RoomMessage) m).message().text()))
                .as("the room messages Late got").containsExactlyElementsOf(
                        IntStream.range(0, posts).mapToObj(i -> "queued-" + i).toList());
        assertThat(got.getLast()).as("the last thing Late got")
                .isEqualTo(new Event.Closing(ErrorCode.SERVER_SHUTTING_DOWN, "Server is shutting down"));
        assertThat(got.indexOf(got.getLast())).as("the closing notice comes once, last").isEqualTo(got.size() - 1);
    }

    @ParameterizedTest
    @EnumSource(WireCodec.class)
    void closingTheServerTellsPushClientsWhyAndClosesEveryone(WireCodec wire) throws IOException {
        start(wire);
        RecordingListener pushHears = new RecordingListener();
        RecordingListener seedHears = new RecordingListener();
        pushUser("Pusher", pushHears);
        seedUser("Seed", seedHears);
        Await.until("both sessions counted", () -> server.sessionCount() == 2);

        server.close();

        Await.until("the push client is closed", pushHears::closed);
        Await.until("the seed client is closed", seedHears::closed);
        assertThat(pushHears.events()).last().isEqualTo(new Event.Closing(ErrorCode.SERVER_SHUTTING_DOWN, "Server is shutting down"));
        // A seed client cannot take events: it gets a failure in the seed's shape instead (in JSON
        // without a request id that shape has no code, so only the text survives).
        assertThat(seedHears.events()).isEmpty();
        assertThat(seedHears.replies()).singleElement().isInstanceOfSatisfying(Reply.Failed.class, failed -> {
            assertThat(failed.message()).isEqualTo("Server is shutting down");
            assertThat(failed.code()).isIn(ErrorCode.SERVER_SHUTTING_DOWN, ErrorCode.UNSPECIFIED);
        });
        Await.until("the server forgets everyone", () -> server.sessionCount() == 0);
        assertThatThrownBy(() -> ChatClient.connect(transport, codec, server.address(), ChatListener.NONE))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void eachRoomIsAnOrderingKeyOfItsOwnAndEverythingElseKeepsTheConnectionsOrder() {
        Instant at = Instant.EPOCH;
        StoredMessage inGolang = new StoredMessage(
                MessageId.of(1), "Golang", "bob", "hi", at);
        assertThat(ChatServer.orderingKeyOf(new Event.RoomMessage(inGolang)))
                .isEqualTo(OrderingKey.of("room:golang"))
                .as("a room's presence notices stay in order with its messages, whatever the case of its name")
                .isEqualTo(ChatServer.orderingKeyOf(new Event.Presence("GOLANG", "bob",
                        PresenceChange.JOINED, at)));
        assertThat(ChatServer.orderingKeyOf(new Event.PrivateMessage(
                MessageId.of(2), "bob", "alice", "psst", at)))
                .isEqualTo(OrderingKey.CONNECTION);
        assertThat(ChatServer.orderingKeyOf(new Reply.Echoed(RequestId.NONE, "x")))
                .isEqualTo(OrderingKey.CONNECTION);
    }

}
