package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every command of the chat, answered by the pure state machine: the exact reply, the events it
 * pushes and to whom, and the seed's promise that a client which never said HELLO gets exactly one
 * reply per request and nothing else.
 */
@Timeout(10)
class ChatStateTest {

    private static final String LOBBY = Request.DEFAULT_ROOM;

    private final Harness h = new Harness();

    // ---------------------------------------------------------------- connect

    @Test
    void connectWelcomesTheNewSessionAndNobodyElse() {
        SessionId alice = h.pushUser("Alice");
        h.clear();

        ChatState.Connected connected = h.state.connect(h.now);

        assertThat(connected.session()).isNotEqualTo(alice);
        assertThat(connected.effects()).containsExactly(new Outbound.Send(connected.session(),
                new Reply.Info(RequestId.NONE, "Welcome to TCP/IP Educational Server!", "")));
    }

    @Test
    void everyConnectionGetsItsOwnSession() {
        SessionId first = h.connect();
        SessionId second = h.connect();

        assertThat(first).isNotEqualTo(second);
        assertThat(h.received(first)).containsExactly(new Reply.Info(RequestId.NONE, ChatConfig.SEED_WELCOME, ""));
        assertThat(h.received(second)).containsExactly(new Reply.Info(RequestId.NONE, ChatConfig.SEED_WELCOME, ""));
        assertThat(h.state.sessionCount()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- HELLO

    @Test
    void helloNegotiatesVersionOneTheRequestedCapabilitiesAndTheServerName() {
        SessionId session = h.connect();
        Request.Hello hello = h.hello(Capability.PUSH, Capability.ROOMS);

        assertThat(h.ask(session, hello)).isEqualTo(new Reply.Negotiated(hello.id(), 1,
                Set.of(Capability.PUSH, Capability.ROOMS), "wirelab/0.1"));
    }

    @Test
    void helloWithoutCapabilitiesGrantsNone() {
        SessionId session = h.connect();
        Request.Hello hello = h.hello();

        assertThat(h.ask(session, hello)).isEqualTo(new Reply.Negotiated(hello.id(), 1, Set.of(), "wirelab/0.1"));
    }

    // ---------------------------------------------------------------- REGISTER and LOGIN

    @Test
    void registerAnswersWithTheName() {
        SessionId session = h.connect();
        Request.Register register = h.register("Alice");

        assertThat(h.ask(session, register)).isEqualTo(new Reply.Registered(register.id(), "Alice"));
    }

    @Test
    void registerWithAPasswordThenLoginFromAnotherConnectionUsesTheRegisteredSpelling() {
        SessionId first = h.connect();
        h.ask(first, h.register("Carol", "correct horse"), Reply.Registered.class);
        h.ask(first, h.quit(), Reply.Goodbye.class);

        SessionId second = h.connect();
        Request.Login login = h.login("cAROL", "correct horse");

        assertThat(h.ask(second, login)).isEqualTo(new Reply.LoggedIn(login.id(), "Carol"));
        assertThat(h.ask(second, h.listUsers(), Reply.Users.class).names()).containsExactly("Carol");
    }

    @Test
    void wrongPasswordAndUnknownNameFailAlikeSoNamesCannotBeProbed() {
        SessionId owner = h.connect();
        h.ask(owner, h.register("Carol", "correct horse"), Reply.Registered.class);
        h.ask(owner, h.quit(), Reply.Goodbye.class);
        SessionId session = h.connect();

        Request.Login wrongPassword = h.login("Carol", "battery staple");
        Request.Login unknownName = h.login("Nobody", "correct horse");
        Reply.Failed wrong = h.ask(session, wrongPassword, Reply.Failed.class);
        Reply.Failed unknown = h.ask(session, unknownName, Reply.Failed.class);

        assertThat(wrong).isEqualTo(new Reply.Failed(wrongPassword.id(), ErrorCode.AUTH_FAILED, "Wrong name or password"));
        assertThat(unknown).isEqualTo(new Reply.Failed(unknownName.id(), ErrorCode.AUTH_FAILED, wrong.message()));
        assertThat(h.ask(session, h.listUsers(), Reply.Users.class).names()).isEmpty();
    }

    @Test
    void loginToANameRegisteredWithoutPasswordFails() {
        SessionId bob = h.seedUser("Bob");
        h.ask(bob, h.quit());
        SessionId session = h.connect();

        assertThat(h.ask(session, h.login("Bob", "whatever-it-is"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.AUTH_FAILED);
    }

    @Test
    void passwordShorterThanEightCharactersIsRefusedAndTheNameStaysFree() {
        SessionId session = h.connect();
        Request.Register seven = h.register("Dave", "1234567");

        assertThat(h.ask(session, seven, Reply.Failed.class).code()).isEqualTo(ErrorCode.INVALID_PARAMS);
        assertThat(h.ask(session, h.register("Dave", "12345678"))).isInstanceOf(Reply.Registered.class);
    }

    @Test
    void passwordLengthCountsCharactersNotUtf16Units() {
        SessionId session = h.connect();

        // Four emoji are eight UTF-16 units but four characters.
        assertThat(h.ask(session, h.register("Dave", "🔑🔑🔑🔑"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.INVALID_PARAMS);
    }

    @Test
    void registerOfANameThatHasAPasswordAccountIsNameTaken() {
        SessionId owner = h.connect();
        h.ask(owner, h.register("Carol", "correct horse"), Reply.Registered.class);
        h.ask(owner, h.quit(), Reply.Goodbye.class);
        SessionId session = h.connect();

        assertThat(h.ask(session, h.register("Carol"), Reply.Failed.class).code()).isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(h.ask(session, h.register("CAROL"), Reply.Failed.class).code()).isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(h.ask(session, h.register("carol", "another password"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.NAME_TAKEN);
    }

    @Test
    void loginWhileTheNameIsOnlineIsNameTaken() {
        SessionId owner = h.connect();
        h.ask(owner, h.register("Carol", "correct horse"), Reply.Registered.class);
        SessionId second = h.connect();

        assertThat(h.ask(second, h.login("Carol", "correct horse"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.NAME_TAKEN);
    }

    @Test
    void loginWhenAlreadyRegisteredIsAlreadyRegistered() {
        SessionId owner = h.connect();
        h.ask(owner, h.register("Carol", "correct horse"), Reply.Registered.class);
        h.ask(owner, h.quit(), Reply.Goodbye.class);
        SessionId bob = h.seedUser("Bob");

        assertThat(h.ask(bob, h.login("Carol", "correct horse"), Reply.Failed.class).code())
                .isEqualTo(ErrorCode.ALREADY_REGISTERED);
    }

    // ---------------------------------------------------------------- MESSAGE

    @Test
    void messageToTheLobbyIsStoredAndPushedToEveryPushMemberTheSenderIncluded() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        SessionId carol = h.seedUser("Carol");
        h.clear();
        h.advance(Duration.ofMillis(1500));
        Request.Post post = h.post("Hello everyone!");

        Reply reply = h.ask(alice, post);

        StoredMessage stored = new StoredMessage(MessageId.of(1), LOBBY, "Alice", "Hello everyone!", h.now);
        assertThat(reply).isEqualTo(new Reply.Posted(post.id(), MessageId.of(1), h.now));
        assertThat(h.events(alice)).containsExactly(new Event.RoomMessage(stored));
        assertThat(h.events(bob)).containsExactly(new Event.RoomMessage(stored));
        assertThat(h.received(carol)).isEmpty();
    }

    @Test
    void messageToARoomReachesOnlyThatRoomsMembers() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        SessionId outsider = h.pushUser("Olga");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.join("den"), Reply.Joined.class);
        h.clear();
        Request.Post post = h.postTo("den", "in the den");

        Reply reply = h.ask(bob, post);

        StoredMessage stored = new StoredMessage(MessageId.of(1), "den", "Bob", "in the den", h.now);
        assertThat(reply).isEqualTo(new Reply.Posted(post.id(), MessageId.of(1), h.now));
        assertThat(h.events(alice)).containsExactly(new Event.RoomMessage(stored));
        assertThat(h.events(bob)).containsExactly(new Event.RoomMessage(stored));
        assertThat(h.received(outsider)).isEmpty();
        assertThat(h.ask(alice, h.latest("den", 20), Reply.History.class).messages()).containsExactly(stored);
        assertThat(h.ask(alice, h.latest(LOBBY, 20), Reply.History.class).messages()).isEmpty();
    }

    @Test
    void roomNamesAreMatchedWithoutRegardToCase() {
        SessionId alice = h.pushUser("Alice");
        h.ask(alice, h.join("Den"), Reply.Joined.class);
        SessionId bob = h.pushUser("Bob");

        Reply.Joined joined = h.ask(bob, h.join("DEN"), Reply.Joined.class);
        Reply.Posted posted = h.ask(alice, h.postTo("den", "hi"), Reply.Posted.class);

        assertThat(joined.room()).isEqualTo("Den");
        assertThat(joined.members()).containsExactly("Alice", "Bob");
        assertThat(h.roomMessageIds(bob)).containsExactly(posted.messageId());
    }

    @Test
    void privateMessageReachesTheTargetAndTheSenderGetsACopy() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        SessionId carol = h.pushUser("Carol");
        h.clear();
        Request.PostPrivate post = h.privately("Bob", "psst");

        Reply reply = h.ask(alice, post);

        Event.PrivateMessage event = new Event.PrivateMessage(MessageId.of(1), "Alice", "Bob", "psst", h.now);
        assertThat(reply).isEqualTo(new Reply.SentPrivate(post.id(), MessageId.of(1), "Bob", h.now));
        assertThat(h.events(bob)).containsExactly(event);
        assertThat(h.events(alice)).containsExactly(event);
        assertThat(h.received(carol)).isEmpty();
    }

    @Test
    void privateMessageToOneselfArrivesOnce() {
        SessionId alice = h.pushUser("Alice");
        h.clear();

        h.ask(alice, h.privately("alice", "note to self"), Reply.SentPrivate.class);

        assertThat(h.events(alice)).hasSize(1);
    }

    @Test
    void aSeedClientMaySendAPrivateMessageToAPushClientButGetsNoCopy() {
        SessionId seed = h.seedUser("Sam");
        SessionId bob = h.pushUser("Bob");
        h.clear();

        h.ask(seed, h.privately("Bob", "hi"), Reply.SentPrivate.class);

        assertThat(h.received(seed)).hasSize(1);
        assertThat(h.events(bob)).singleElement().isInstanceOf(Event.PrivateMessage.class);
    }

    // ---------------------------------------------------------------- JOIN and LEAVE

    @Test
    void joinListsTheMembersIncludingTheJoinerAndTellsThoseAlreadyThere() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        Request.Join first = h.join("den");
        assertThat(h.ask(alice, first)).isEqualTo(new Reply.Joined(first.id(), "den", List.of("Alice")));
        h.clear();
        h.advance(Duration.ofSeconds(3));
        Request.Join second = h.join("den");

        assertThat(h.ask(bob, second)).isEqualTo(new Reply.Joined(second.id(), "den", List.of("Alice", "Bob")));
        assertThat(h.events(alice)).containsExactly(new Event.Presence("den", "Bob", PresenceChange.JOINED, h.now));
        assertThat(h.events(bob)).isEmpty();
    }

    @Test
    void joiningARoomTwiceAnnouncesNothingTheSecondTime() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.join("den"), Reply.Joined.class);
        h.clear();

        Reply.Joined again = h.ask(bob, h.join("den"), Reply.Joined.class);

        assertThat(again.members()).containsExactly("Alice", "Bob");
        assertThat(h.events(alice)).isEmpty();
    }

    @Test
    void leaveAnswersLeftAndTellsTheRemainingMembers() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.join("den"), Reply.Joined.class);
        h.clear();
        Request.Leave leave = h.leave("den");

        assertThat(h.ask(bob, leave)).isEqualTo(new Reply.Left(leave.id(), "den"));
        assertThat(h.events(alice)).containsExactly(new Event.Presence("den", "Bob", PresenceChange.LEFT, h.now));
        assertThat(h.events(bob)).isEmpty();
        assertThat(h.ask(bob, h.postTo("den", "still here?"), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
    }

    @Test
    void leavingARoomOneIsNotInIsNotInRoom() {
        SessionId alice = h.pushUser("Alice");

        assertThat(h.ask(alice, h.leave("den"), Reply.Failed.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
    }

    // ---------------------------------------------------------------- LIST_USERS and LIST_ROOMS

    @Test
    void listUsersShowsRegisteredUsersInConnectOrder() {
        SessionId ann = h.connect();
        SessionId anonymous = h.connect();
        SessionId cat = h.connect();
        h.ask(cat, h.register("Cat"), Reply.Registered.class);
        h.ask(ann, h.register("Ann"), Reply.Registered.class);
        Request.ListUsers list = h.listUsers();

        assertThat(h.ask(anonymous, list)).isEqualTo(new Reply.Users(list.id(), List.of("Ann", "Cat")));
    }

    @Test
    void listRoomsShowsTheLobbyFirstWithMemberCounts() {
        SessionId alice = h.pushUser("Alice");
        h.seedUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        Request.ListRooms list = h.listRooms();

        assertThat(h.ask(alice, list)).isEqualTo(new Reply.Rooms(list.id(),
                List.of(new RoomInfo(LOBBY, 2), new RoomInfo("den", 1))));
    }

    // ---------------------------------------------------------------- LIST_MESSAGES, ECHO, TIME, PING

    @Test
    void listMessagesReturnsTheLobbyHistoryOldestFirst() {
        SessionId alice = h.seedUser("Alice");
        h.ask(alice, h.post("one"), Reply.Posted.class);
        h.advance(Duration.ofSeconds(1));
        h.ask(alice, h.post("two"), Reply.Posted.class);
        Request.ListMessages list = h.latest(LOBBY, 20);

        assertThat(h.ask(alice, list)).isEqualTo(new Reply.History(list.id(), LOBBY, List.of(
                new StoredMessage(MessageId.of(1), LOBBY, "Alice", "one", Harness.START),
                new StoredMessage(MessageId.of(2), LOBBY, "Alice", "two", Harness.START.plusSeconds(1))), true));
    }

    @Test
    void echoReturnsTheTextUnchanged() {
        SessionId session = h.connect();
        Request.Echo echo = h.echo("Hello, Server! héllo 🎉 \"quoted\"\n");

        assertThat(h.ask(session, echo)).isEqualTo(new Reply.Echoed(echo.id(), "Hello, Server! héllo 🎉 \"quoted\"\n"));
    }

    @Test
    void timeIsTheServerClockInItsZoneToTheSecond() {
        h.now = Instant.parse("2026-11-29T14:15:31.987654321Z");
        SessionId session = h.connect();
        Request.Time time = h.time();

        Reply.ServerTime reply = h.ask(session, time, Reply.ServerTime.class);

        // Record equality compares the offset too (AssertJ's OffsetDateTime isEqualTo compares instants only).
        assertThat(reply).isEqualTo(new Reply.ServerTime(time.id(), OffsetDateTime.parse("2026-11-29T14:15:31Z")));
        assertThat(reply.time()).hasToString("2026-11-29T14:15:31Z");
    }

    @Test
    void timeUsesTheConfiguredZone() {
        Harness kolkata = new Harness(Harness.config().withZone(ZoneId.of("Asia/Kolkata")));
        kolkata.now = Instant.parse("2026-11-29T14:15:31.5Z");
        SessionId session = kolkata.connect();

        Request.Time time = kolkata.time();

        Reply.ServerTime reply = kolkata.ask(session, time, Reply.ServerTime.class);

        assertThat(reply).isEqualTo(new Reply.ServerTime(time.id(), OffsetDateTime.parse("2026-11-29T19:45:31+05:30")));
        assertThat(reply.time()).hasToString("2026-11-29T19:45:31+05:30");
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheToken() {
        SessionId session = h.connect();
        Request.Ping ping = h.ping("t-123");

        assertThat(h.ask(session, ping)).isEqualTo(new Reply.Pong(ping.id(), "t-123"));
    }

    // ---------------------------------------------------------------- QUIT

    @Test
    void quitSaysGoodbyeTellsTheRoomsAndThenCloses() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.join("den"), Reply.Joined.class);
        h.clear();
        Request.Quit quit = h.quit();

        List<Outbound> effects = h.apply(bob, quit);

        assertThat(effects).containsExactly(
                new Outbound.Send(bob, new Reply.Goodbye(quit.id())),
                new Outbound.Send(alice, new Event.Presence(LOBBY, "Bob", PresenceChange.QUIT, h.now)),
                new Outbound.Send(alice, new Event.Presence("den", "Bob", PresenceChange.QUIT, h.now)),
                new Outbound.Close(bob, ErrorCode.UNSPECIFIED, "Goodbye!"));
        assertThat(h.ask(alice, h.listUsers(), Reply.Users.class).names()).containsExactly("Alice");
        assertThat(h.state.sessionCount()).isEqualTo(1);
    }

    @Test
    void quitBeforeRegisteringSaysGoodbyeAndCloses() {
        SessionId session = h.connect();
        Request.Quit quit = h.quit();

        assertThat(h.apply(session, quit)).containsExactly(
                new Outbound.Send(session, new Reply.Goodbye(quit.id())),
                new Outbound.Close(session, ErrorCode.UNSPECIFIED, "Goodbye!"));
    }

    @Test
    void requestsFromASessionThatQuitAreIgnored() {
        SessionId alice = h.seedUser("Alice");
        h.ask(alice, h.quit(), Reply.Goodbye.class);

        assertThat(h.state.apply(alice, h.echo("anyone?"), h.now)).isEmpty();
        assertThat(h.state.disconnect(alice, PresenceChange.DISCONNECTED, h.now)).isEmpty();
    }

    // ---------------------------------------------------------------- one reply per request, id echoed

    @Test
    void everyRequestTypeSucceedingOrFailingGetsExactlyOneReplyWithItsId() {
        SessionId push = h.connect();
        SessionId seed = h.connect();
        List<Request> asked = new ArrayList<>();
        List<Request> byPush = List.of(
                h.echo("unregistered"), h.time(), h.listUsers(), h.listRooms(), h.latest(LOBBY, 5), h.ping("p"),
                h.post("too early"), h.privately("Sam", "too early"), h.join("den"), h.leave("den"),
                h.login("Nobody", "password1"), h.register("9bad"),
                h.hello(Capability.PUSH), h.register("Pat"),
                h.register("Pat2"), h.login("Pat", "password1"),
                h.post("hi"), h.postTo("nowhere", "hi"), h.postTo("den", "hi"),
                h.join("bad room"), h.join("den"), h.postTo("den", "hi"), h.leave("den"), h.leave("den"),
                h.privately("Nobody", "hi"), h.latest("nowhere", 5), h.after(LOBBY, MessageId.of(999), 5),
                h.before(LOBBY, MessageId.of(1), 5), h.echo("registered"));
        for (Request request : byPush) {
            h.ask(push, request);
            asked.add(request);
        }
        h.ask(seed, new Request.Register(RequestId.NONE, "Sam", Password.NONE));
        List<Request> bySeed = List.of(h.privately("Sam", "forbidden"), h.post("hi from seed"),
                new Request.Echo(RequestId.NONE, "no id"), h.quit());
        for (Request request : bySeed) {
            h.ask(seed, request);
            asked.add(request);
        }
        h.ask(push, h.privately("Sam", "gone"));
        Request.Quit quit = h.quit();
        h.ask(push, quit);
        asked.add(quit);

        Set<Class<?>> covered = asked.stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(Request.class.getPermittedSubclasses()));
        assertThat(asked.stream().map(Request::id).filter(RequestId::isPresent).distinct().count())
                .isEqualTo(asked.stream().filter(request -> request.id().isPresent()).count());
    }

    @Test
    void aRequestWithoutAnIdIsAnsweredWithoutAnId() {
        SessionId session = h.connect();

        Reply reply = h.ask(session, new Request.Register(RequestId.NONE, "Alice", Password.NONE));

        assertThat(reply).isEqualTo(new Reply.Registered(RequestId.NONE, "Alice"));
    }

    // ---------------------------------------------------------------- seed clients versus push clients

    @Test
    void aSeedClientGetsExactlyOneReplyPerRequestAndNoEventsWhateverOthersDo() {
        SessionId seed = h.seedUser("Sam");
        h.ask(seed, h.join("den"), Reply.Joined.class);
        int requests = 0;
        h.clear();

        SessionId alice = h.pushUser("Alice");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(alice, h.post("lobby post"), Reply.Posted.class);
        h.ask(alice, h.postTo("den", "den post"), Reply.Posted.class);
        h.ask(seed, h.postTo("den", "my own post"), Reply.Posted.class);
        requests++;
        h.ask(seed, h.latest("den", 10), Reply.History.class);
        requests++;
        SessionId bob = h.pushUser("Bob");
        h.ask(bob, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.leave("den"), Reply.Left.class);
        h.ask(alice, h.privately("Sam", "psst"), Reply.Failed.class);
        h.ask(alice, h.quit(), Reply.Goodbye.class);
        h.record(h.state.disconnect(bob, PresenceChange.DISCONNECTED, h.now));
        h.ask(seed, h.echo("still there"), Reply.Echoed.class);
        requests++;

        assertThat(h.received(seed)).hasSize(requests).allMatch(Reply.class::isInstance);
    }

    @Test
    void helloWithoutPushGetsNoEvents() {
        SessionId quiet = h.connect();
        h.ask(quiet, h.hello(Capability.ROOMS, Capability.PRIVATE_MESSAGES, Capability.HISTORY_PAGING));
        h.ask(quiet, h.register("Quinn"), Reply.Registered.class);
        SessionId alice = h.pushUser("Alice");
        h.clear();

        h.ask(alice, h.post("hello"), Reply.Posted.class);
        h.ask(quiet, h.post("my own"), Reply.Posted.class);

        assertThat(h.events(quiet)).isEmpty();
        assertThat(h.ask(alice, h.privately("Quinn", "psst"), Reply.Failed.class).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void aPushClientHearsJoinsLeavesQuitsAndDisconnectsInTheLobby() {
        SessionId alice = h.pushUser("Alice");
        h.clear();

        SessionId bob = h.pushUser("Bob");
        Instant bobJoined = h.now;
        h.advance(Duration.ofSeconds(1));
        h.ask(bob, h.leave(LOBBY), Reply.Left.class);
        h.advance(Duration.ofSeconds(1));
        h.ask(bob, h.join(LOBBY), Reply.Joined.class);
        h.advance(Duration.ofSeconds(1));
        h.ask(bob, h.quit(), Reply.Goodbye.class);
        SessionId carol = h.seedUser("Carol");
        h.advance(Duration.ofSeconds(1));
        h.record(h.state.disconnect(carol, PresenceChange.DISCONNECTED, h.now));

        assertThat(h.events(alice)).containsExactly(
                new Event.Presence(LOBBY, "Bob", PresenceChange.JOINED, bobJoined),
                new Event.Presence(LOBBY, "Bob", PresenceChange.LEFT, bobJoined.plusSeconds(1)),
                new Event.Presence(LOBBY, "Bob", PresenceChange.JOINED, bobJoined.plusSeconds(2)),
                new Event.Presence(LOBBY, "Bob", PresenceChange.QUIT, bobJoined.plusSeconds(3)),
                new Event.Presence(LOBBY, "Carol", PresenceChange.JOINED, bobJoined.plusSeconds(3)),
                new Event.Presence(LOBBY, "Carol", PresenceChange.DISCONNECTED, bobJoined.plusSeconds(4)));
    }

    @Test
    void aRegisteringUserIsNotToldAboutItsOwnArrival() {
        SessionId alice = h.connect();
        h.ask(alice, h.hello(Capability.PUSH), Reply.Negotiated.class);
        h.clear();

        h.ask(alice, h.register("Alice"), Reply.Registered.class);

        assertThat(h.events(alice)).isEmpty();
    }

    // ---------------------------------------------------------------- broadcast order

    @Test
    void everyMemberSeesTheSameStrictlyIncreasingSequenceOfMessageIds() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        SessionId carol = h.pushUser("Carol");
        for (SessionId member : List.of(alice, bob, carol)) {
            h.ask(member, h.join("den"), Reply.Joined.class);
        }
        h.clear();
        Random random = new Random(42);
        List<MessageId> posted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            SessionId sender = random.nextBoolean() ? alice : bob;
            String room = random.nextInt(4) == 0 ? LOBBY : "den";
            h.advance(Duration.ofMillis(200));
            Reply.Posted reply = h.ask(sender, h.postTo(room, "message " + i), Reply.Posted.class);
            if (room.equals("den")) {
                posted.add(reply.messageId());
            }
        }

        List<MessageId> seenByAlice = denMessageIds(alice);
        assertThat(posted).hasSizeGreaterThan(100);
        assertThat(seenByAlice).isEqualTo(posted).isSortedAccordingTo(MessageId::compareTo);
        assertThat(new HashSet<>(seenByAlice)).hasSameSizeAs(seenByAlice);
        assertThat(denMessageIds(bob)).isEqualTo(seenByAlice);
        assertThat(denMessageIds(carol)).isEqualTo(seenByAlice);
    }

    private List<MessageId> denMessageIds(SessionId session) {
        return h.events(session).stream()
                .filter(Event.RoomMessage.class::isInstance)
                .map(event -> ((Event.RoomMessage) event).message())
                .filter(message -> message.room().equals("den"))
                .map(StoredMessage::id)
                .toList();
    }

    // ---------------------------------------------------------------- before REGISTER

    @Test
    void postingPrivateMessagesJoiningAndLeavingBeforeRegisterAreRefused() {
        h.pushUser("Alice");
        SessionId session = h.connect();
        h.ask(session, h.hello(Capability.PUSH), Reply.Negotiated.class);

        for (Request request : List.<Request>of(h.post("who am I?"), h.postTo("den", "x"),
                h.privately("Alice", "x"), h.join("den"), h.leave(LOBBY))) {
            Reply.Failed failed = h.ask(session, request, Reply.Failed.class);
            assertThat(failed.code()).as("%s", request).isEqualTo(ErrorCode.NOT_REGISTERED);
        }
        assertThat(h.ask(session, h.latest(LOBBY, 20), Reply.History.class).messages()).isEmpty();
        assertThat(h.events(session)).isEmpty();
    }

    @Test
    void echoTimeListUsersAndTheLobbyHistoryWorkUnregistered() {
        SessionId alice = h.seedUser("Alice");
        h.ask(alice, h.post("Hello everyone!"), Reply.Posted.class);
        SessionId session = h.connect();

        assertThat(h.ask(session, h.echo("Hello, Server!"), Reply.Echoed.class).text()).isEqualTo("Hello, Server!");
        assertThat(h.ask(session, h.time())).isInstanceOf(Reply.ServerTime.class);
        assertThat(h.ask(session, h.listUsers(), Reply.Users.class).names()).containsExactly("Alice");
        assertThat(h.ask(session, h.listRooms(), Reply.Rooms.class).rooms()).containsExactly(new RoomInfo(LOBBY, 1));
        assertThat(h.ask(session, h.latest(LOBBY, 20), Reply.History.class).messages())
                .extracting(StoredMessage::text).containsExactly("Hello everyone!");
    }

    @Test
    void moreRequestsThanAllowedBeforeRegisterAreRefusedAndTheConnectionClosed() {
        int allowed = h.config.limits().messagesBeforeRegister();
        SessionId session = h.connect();
        for (int i = 0; i < allowed; i++) {
            h.ask(session, h.echo("e" + i), Reply.Echoed.class);
        }
        assertThat(h.closes()).isEmpty();
        Request.Echo oneTooMany = h.echo("one too many");

        List<Outbound> effects = h.apply(session, oneTooMany);

        assertThat(effects).hasSize(2);
        assertThat(effects.get(0)).isEqualTo(new Outbound.Send(session,
                new Reply.Failed(oneTooMany.id(), ErrorCode.NOT_REGISTERED, "Too many requests before REGISTER")));
        assertThat(effects.get(1)).isEqualTo(new Outbound.Close(session, ErrorCode.NOT_REGISTERED,
                "Too many requests before REGISTER"));
    }

    @Test
    void registeringWithinTheAllowanceLiftsIt() {
        int allowed = h.config.limits().messagesBeforeRegister();
        SessionId session = h.connect();
        for (int i = 0; i < allowed; i++) {
            h.ask(session, h.echo("e" + i), Reply.Echoed.class);
        }

        h.ask(session, h.register("Alice"), Reply.Registered.class);
        for (int i = 0; i < allowed; i++) {
            h.ask(session, h.echo("again" + i), Reply.Echoed.class);
        }

        assertThat(h.closes()).isEmpty();
    }

    /**
     * Limits.messagesBeforeRegister caps the requests an unregistered connection may make
     * (limits-and-bad-input §5 case 16). Failed REGISTERs are requests too: each keeps its one reply,
     * and the one past the allowance also closes the session.
     */
    @Test
    void failedRegisterAttemptsCountTowardsTheAllowanceBeforeRegister() {
        int allowed = h.config.limits().messagesBeforeRegister();
        SessionId session = h.connect();
        for (int i = 0; i < allowed; i++) {
            h.ask(session, h.register("bad name " + i), Reply.Failed.class);
        }
        Request.Register oneTooMany = h.register("bad name again");

        List<Outbound> effects = h.apply(session, oneTooMany);

        assertThat(effects).hasSize(2);
        assertThat(effects.get(0)).isInstanceOfSatisfying(Outbound.Send.class, send -> assertThat(send.message())
                .isInstanceOfSatisfying(Reply.Failed.class, failed -> assertThat(failed.code()).isEqualTo(ErrorCode.INVALID_NAME)));
        assertThat(effects.get(1)).isEqualTo(new Outbound.Close(session, ErrorCode.NOT_REGISTERED,
                "Too many requests before REGISTER"));
    }

    /** Each LOGIN costs a PBKDF2 hash: a connection gets three wrong guesses, as ergo allows a minute. */
    @Test
    void threeFailedLoginsCloseTheConnection() {
        SessionId session = h.connect();
        h.ask(session, h.login("Nobody", "guess-1"), Reply.Failed.class);
        h.ask(session, h.login("Nobody", "guess-2"), Reply.Failed.class);
        Request.Login third = h.login("Nobody", "guess-3");

        List<Outbound> effects = h.apply(session, third);

        assertThat(effects).containsExactly(
                new Outbound.Send(session, new Reply.Failed(third.id(), ErrorCode.AUTH_FAILED, "Wrong name or password")),
                new Outbound.Close(session, ErrorCode.AUTH_FAILED, "Too many failed logins"));
    }

    // ---------------------------------------------------------------- expire

    @Test
    void expireClosesSessionsThatDidNotRegisterInTimeAndLeavesRegisteredOnesAlone() {
        Duration timeout = h.config.limits().registrationTimeout();
        SessionId early = h.connect();
        SessionId registered = h.seedUser("Alice");
        h.advance(Duration.ofSeconds(5));
        SessionId late = h.connect();
        h.clear();
        String text = "Did not register within " + timeout.toSeconds() + " s";

        h.now = Harness.START.plus(timeout).minusNanos(1);
        assertThat(h.record(h.state.expire(h.now))).isEmpty();

        h.now = Harness.START.plus(timeout);
        assertThat(h.record(h.state.expire(h.now))).containsExactly(
                new Outbound.Send(early, new Reply.Failed(RequestId.NONE, ErrorCode.REGISTRATION_TIMEOUT, text)),
                new Outbound.Close(early, ErrorCode.REGISTRATION_TIMEOUT, text));
        assertThat(h.state.expire(h.now)).isEmpty();
        assertThat(h.state.apply(early, h.echo("too late"), h.now)).isEmpty();

        h.now = Harness.START.plusSeconds(5).plus(timeout);
        assertThat(h.state.expire(h.now)).containsExactly(
                new Outbound.Send(late, new Reply.Failed(RequestId.NONE, ErrorCode.REGISTRATION_TIMEOUT, text)),
                new Outbound.Close(late, ErrorCode.REGISTRATION_TIMEOUT, text));

        h.advance(Duration.ofHours(1));
        assertThat(h.state.expire(h.now)).isEmpty();
        assertThat(h.ask(registered, h.echo("still here"), Reply.Echoed.class).text()).isEqualTo("still here");
        assertThat(h.state.sessionCount()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- disconnect

    @Test
    void disconnectRemovesTheUserTellsPushMembersOfEveryRoomAndIsIdempotent() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        SessionId carol = h.seedUser("Carol");
        h.ask(alice, h.join("den"), Reply.Joined.class);
        h.ask(bob, h.join("den"), Reply.Joined.class);
        h.clear();

        List<Outbound> effects = h.record(h.state.disconnect(bob, PresenceChange.DISCONNECTED, h.now));

        assertThat(effects).containsExactly(
                new Outbound.Send(alice, new Event.Presence(LOBBY, "Bob", PresenceChange.DISCONNECTED, h.now)),
                new Outbound.Send(alice, new Event.Presence("den", "Bob", PresenceChange.DISCONNECTED, h.now)));
        assertThat(h.received(carol)).isEmpty();
        assertThat(h.ask(carol, h.listUsers(), Reply.Users.class).names()).containsExactly("Alice", "Carol");
        assertThat(h.ask(alice, h.listRooms(), Reply.Rooms.class).rooms())
                .containsExactly(new RoomInfo(LOBBY, 2), new RoomInfo("den", 1));
        assertThat(h.state.disconnect(bob, PresenceChange.DISCONNECTED, h.now)).isEmpty();
    }

    @Test
    void disconnectOfAnUnregisteredSessionTellsNobody() {
        h.pushUser("Alice");
        SessionId anonymous = h.connect();

        assertThat(h.state.disconnect(anonymous, PresenceChange.DISCONNECTED, h.now)).isEmpty();
        assertThat(h.state.sessionCount()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- lastWords and reject

    @Test
    void lastWordsAreAClosingEventForPushSessionsAndASeedShapedFailureForOthers() {
        SessionId push = h.pushUser("Alice");
        SessionId seed = h.seedUser("Bob");
        SessionId helloWithoutPush = h.connect();
        h.ask(helloWithoutPush, h.hello(Capability.ROOMS), Reply.Negotiated.class);

        ChatMessage toPush = h.state.lastWords(push, ErrorCode.SERVER_SHUTTING_DOWN, "Server shutting down");
        ChatMessage toSeed = h.state.lastWords(seed, ErrorCode.SENDQ_EXCEEDED, "Too slow");
        ChatMessage toQuiet = h.state.lastWords(helloWithoutPush, ErrorCode.IDLE_TIMEOUT, "Idle");
        ChatMessage toGone = h.state.lastWords(new SessionId(999), ErrorCode.IDLE_TIMEOUT, "Idle");

        assertThat(toPush).isEqualTo(new Event.Closing(ErrorCode.SERVER_SHUTTING_DOWN, "Server shutting down"));
        assertThat(toSeed).isEqualTo(new Reply.Failed(RequestId.NONE, ErrorCode.SENDQ_EXCEEDED, "Too slow"));
        assertThat(toQuiet).isEqualTo(new Reply.Failed(RequestId.NONE, ErrorCode.IDLE_TIMEOUT, "Idle"));
        assertThat(toGone).isEqualTo(new Reply.Failed(RequestId.NONE, ErrorCode.IDLE_TIMEOUT, "Idle"));
    }

    @Test
    void rejectAnswersWithTheGivenIdAndCodeToThatSessionOnly() {
        SessionId alice = h.pushUser("Alice");
        SessionId bob = h.pushUser("Bob");
        h.clear();

        List<Outbound> effects = h.state.reject(bob, RequestId.of("x-7"), ErrorCode.UNKNOWN_COMMAND,
                "Validation error: unknown command: FOO");

        assertThat(effects).containsExactly(new Outbound.Send(bob,
                new Reply.Failed(RequestId.of("x-7"), ErrorCode.UNKNOWN_COMMAND, "Validation error: unknown command: FOO")));
        assertThat(h.state.reject(new SessionId(999), RequestId.NONE, ErrorCode.INVALID_MESSAGE, "x")).isEmpty();
        assertThat(h.received(alice)).isEmpty();
    }
}
