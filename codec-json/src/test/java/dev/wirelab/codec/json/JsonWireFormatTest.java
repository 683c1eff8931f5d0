package dev.wirelab.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
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
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example lines of {@code docs/protocol-json.md}, checked both ways: the message encodes to
 * exactly the line, and the line decodes to exactly the message. {@link ProtocolDocTest} makes sure
 * the document shows no line that is not checked here or in {@link SeedTranscriptTest}.
 */
@Timeout(30)
class JsonWireFormatTest {

    private static final JsonCodec CODEC = JsonCodec.create(Limits.DEFAULTS, ZoneOffset.UTC);
    private static final Instant AT = Instant.parse("2026-11-29T14:15:29.123456789Z");
    private static final Instant LATER = Instant.parse("2026-11-29T14:15:30Z");
    private static final StoredMessage HELLO_EVERYONE =
            new StoredMessage(MessageId.of(12), "lobby", "Alice", "Hello everyone!", AT);

    static Stream<Arguments> requests() {
        return Stream.of(
                arguments("{\"command\":\"HELLO\",\"data\":\"wirelab-cli/0.1\",\"id\":\"h1\","
                                + "\"capabilities\":[\"PUSH\",\"ROOMS\",\"PRIVATE_MESSAGES\",\"HISTORY_PAGING\"]}",
                        new Request.Hello(id("h1"), "wirelab-cli/0.1", EnumSet.allOf(Capability.class))),
                arguments("{\"command\":\"REGISTER\",\"data\":\"Alice\",\"id\":\"r1\",\"password\":\"correct horse\"}",
                        new Request.Register(id("r1"), "Alice", Password.of("correct horse"))),
                arguments("{\"command\":\"LOGIN\",\"data\":\"Alice\",\"id\":\"r2\",\"password\":\"correct horse\"}",
                        new Request.Login(id("r2"), "Alice", Password.of("correct horse"))),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"Hello everyone!\",\"id\":\"r3\"}",
                        new Request.Post(id("r3"), Request.DEFAULT_ROOM, "Hello everyone!")),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"hi golang\",\"id\":\"r4\",\"room\":\"golang\"}",
                        new Request.Post(id("r4"), "golang", "hi golang")),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"psst\",\"id\":\"r5\",\"to\":\"Bob\"}",
                        new Request.PostPrivate(id("r5"), "Bob", "psst")),
                arguments("{\"command\":\"JOIN\",\"data\":\"golang\",\"id\":\"r6\"}", new Request.Join(id("r6"), "golang")),
                arguments("{\"command\":\"LEAVE\",\"data\":\"golang\",\"id\":\"r7\"}", new Request.Leave(id("r7"), "golang")),
                arguments("{\"command\":\"LIST_USERS\",\"id\":\"r8\"}", new Request.ListUsers(id("r8"))),
                arguments("{\"command\":\"LIST_ROOMS\",\"id\":\"r9\"}", new Request.ListRooms(id("r9"))),
                arguments("{\"command\":\"LIST_MESSAGES\",\"id\":\"r10\",\"limit\":20}",
                        new Request.ListMessages(id("r10"), Request.DEFAULT_ROOM, HistoryCursor.LATEST, 20)),
                arguments("{\"command\":\"LIST_MESSAGES\",\"id\":\"r11\",\"room\":\"golang\",\"before\":120,\"limit\":50}",
                        new Request.ListMessages(id("r11"), "golang", HistoryCursor.before(MessageId.of(120)), 50)),
                arguments("{\"command\":\"LIST_MESSAGES\",\"id\":\"r12\",\"after\":7,\"limit\":100}",
                        new Request.ListMessages(id("r12"), Request.DEFAULT_ROOM, HistoryCursor.after(MessageId.of(7)), 100)),
                arguments("{\"command\":\"ECHO\",\"data\":\"Hello, Server!\",\"id\":\"r13\"}",
                        new Request.Echo(id("r13"), "Hello, Server!")),
                arguments("{\"command\":\"TIME\",\"id\":\"r14\"}", new Request.Time(id("r14"))),
                arguments("{\"command\":\"PING\",\"data\":\"1732889729123\",\"id\":\"r15\"}",
                        new Request.Ping(id("r15"), "1732889729123")),
                arguments("{\"command\":\"QUIT\",\"id\":\"r16\"}", new Request.Quit(id("r16"))),
                // The asker's private messages with Bob: the codec passes "@Bob" through as the room.
                arguments("{\"command\":\"LIST_MESSAGES\",\"id\":\"r17\",\"room\":\"@Bob\",\"limit\":20}",
                        new Request.ListMessages(id("r17"), "@Bob", HistoryCursor.LATEST, 20)),
                // A seed-shaped request that asks for a page size other than the default.
                arguments("{\"command\":\"LIST_MESSAGES\",\"limit\":5}",
                        new Request.ListMessages(RequestId.NONE, Request.DEFAULT_ROOM, HistoryCursor.LATEST, 5)));
    }

    static Stream<Arguments> replies() {
        return Stream.of(
                arguments("{\"success\":true,\"message\":\"Capabilities negotiated\",\"data\":\"PUSH, ROOMS\",\"id\":\"h1\","
                                + "\"reply\":\"negotiated\",\"version\":1,\"capabilities\":[\"PUSH\",\"ROOMS\"],"
                                + "\"server\":\"wirelab/0.1\"}",
                        new Reply.Negotiated(id("h1"), 1, EnumSet.of(Capability.ROOMS, Capability.PUSH), "wirelab/0.1")),
                arguments("{\"success\":true,\"message\":\"Registration successful. Welcome, Alice!\",\"data\":\"\","
                                + "\"id\":\"r1\",\"reply\":\"registered\",\"name\":\"Alice\"}",
                        new Reply.Registered(id("r1"), "Alice")),
                arguments("{\"success\":true,\"message\":\"Login successful. Welcome back, Alice!\",\"data\":\"\","
                                + "\"id\":\"r2\",\"reply\":\"logged_in\",\"name\":\"Alice\"}",
                        new Reply.LoggedIn(id("r2"), "Alice")),
                arguments("{\"success\":true,\"message\":\"Message broadcasted\",\"data\":\"\",\"id\":\"r3\","
                                + "\"reply\":\"posted\",\"msgid\":12,\"time\":\"2026-11-29T14:15:29.123456789Z\"}",
                        new Reply.Posted(id("r3"), MessageId.of(12), AT)),
                arguments("{\"success\":true,\"message\":\"Private message sent to Bob\",\"data\":\"\",\"id\":\"r5\","
                                + "\"reply\":\"sent_private\",\"msgid\":13,\"to\":\"Bob\",\"time\":\"2026-11-29T14:15:30Z\"}",
                        new Reply.SentPrivate(id("r5"), MessageId.of(13), "Bob", LATER)),
                arguments("{\"success\":true,\"message\":\"Joined golang\",\"data\":\"Alice, Bob\",\"id\":\"r6\","
                                + "\"reply\":\"joined\",\"room\":\"golang\",\"members\":[\"Alice\",\"Bob\"]}",
                        new Reply.Joined(id("r6"), "golang", List.of("Alice", "Bob"))),
                arguments("{\"success\":true,\"message\":\"Left golang\",\"data\":\"\",\"id\":\"r7\","
                                + "\"reply\":\"left\",\"room\":\"golang\"}",
                        new Reply.Left(id("r7"), "golang")),
                arguments("{\"success\":true,\"message\":\"Online users\",\"data\":\"Alice, Bob\",\"id\":\"r8\","
                                + "\"reply\":\"users\",\"users\":[\"Alice\",\"Bob\"]}",
                        new Reply.Users(id("r8"), List.of("Alice", "Bob"))),
                arguments("{\"success\":true,\"message\":\"Rooms\",\"data\":\"lobby (2), golang (0)\",\"id\":\"r9\","
                                + "\"reply\":\"rooms\",\"rooms\":[{\"name\":\"lobby\",\"members\":2},"
                                + "{\"name\":\"golang\",\"members\":0}]}",
                        new Reply.Rooms(id("r9"), List.of(new RoomInfo("lobby", 2), new RoomInfo("golang", 0)))),
                arguments("{\"success\":true,\"message\":\"Recent messages\",\"data\":\"[14:15:29] Alice: Hello everyone!\","
                                + "\"id\":\"r10\",\"reply\":\"history\",\"room\":\"lobby\",\"messages\":[{\"msgid\":12,"
                                + "\"room\":\"lobby\",\"from\":\"Alice\",\"text\":\"Hello everyone!\","
                                + "\"time\":\"2026-11-29T14:15:29.123456789Z\"}],\"complete\":true}",
                        new Reply.History(id("r10"), "lobby", List.of(HELLO_EVERYONE), true)),
                arguments("{\"success\":true,\"message\":\"No messages yet\",\"data\":\"\",\"id\":\"r12\","
                                + "\"reply\":\"history\",\"room\":\"lobby\",\"messages\":[],\"complete\":true}",
                        new Reply.History(id("r12"), "lobby", List.of(), true)),
                arguments("{\"success\":true,\"message\":\"Echo response\",\"data\":\"Hello, Server!\",\"id\":\"r13\","
                                + "\"reply\":\"echoed\"}",
                        new Reply.Echoed(id("r13"), "Hello, Server!")),
                arguments("{\"success\":true,\"message\":\"Server time\",\"data\":\"2026-11-29T14:15:31Z\",\"id\":\"r14\","
                                + "\"reply\":\"server_time\"}",
                        new Reply.ServerTime(id("r14"), OffsetDateTime.of(2026, 11, 29, 14, 15, 31, 0, ZoneOffset.UTC))),
                arguments("{\"success\":true,\"message\":\"Pong\",\"data\":\"1732889729123\",\"id\":\"r15\",\"reply\":\"pong\"}",
                        new Reply.Pong(id("r15"), "1732889729123")),
                arguments("{\"success\":true,\"message\":\"Goodbye!\",\"data\":\"\",\"id\":\"r16\",\"reply\":\"goodbye\"}",
                        new Reply.Goodbye(id("r16"))),
                arguments("{\"success\":true,\"message\":\"Welcome to TCP/IP Educational Server!\",\"data\":\"\",\"id\":\"r0\","
                                + "\"reply\":\"info\"}",
                        new Reply.Info(id("r0"), "Welcome to TCP/IP Educational Server!", "")),
                arguments("{\"success\":false,\"message\":\"Validation error: unknown command: FOO\",\"data\":\"\","
                                + "\"id\":\"r17\",\"reply\":\"failed\",\"code\":\"UNKNOWN_COMMAND\"}",
                        new Reply.Failed(id("r17"), ErrorCode.UNKNOWN_COMMAND, "Validation error: unknown command: FOO")),
                arguments("{\"success\":false,\"message\":\"Too many failed logins for Alice; try again in 42 s\",\"data\":\"\","
                                + "\"id\":\"r2\",\"reply\":\"failed\",\"code\":\"TRY_AGAIN\"}",
                        new Reply.Failed(id("r2"), ErrorCode.TRY_AGAIN, "Too many failed logins for Alice; try again in 42 s")));
    }

    static Stream<Arguments> events() {
        return Stream.of(
                arguments("{\"event\":\"message\",\"msgid\":12,\"room\":\"lobby\",\"from\":\"Alice\","
                                + "\"text\":\"Hello everyone!\",\"time\":\"2026-11-29T14:15:29.123456789Z\"}",
                        new Event.RoomMessage(HELLO_EVERYONE)),
                arguments("{\"event\":\"private\",\"msgid\":13,\"from\":\"Alice\",\"to\":\"Bob\",\"text\":\"psst\","
                                + "\"time\":\"2026-11-29T14:15:30Z\"}",
                        new Event.PrivateMessage(MessageId.of(13), "Alice", "Bob", "psst", LATER)),
                arguments("{\"event\":\"presence\",\"room\":\"golang\",\"user\":\"Bob\",\"change\":\"joined\","
                                + "\"time\":\"2026-11-29T14:15:30Z\"}",
                        new Event.Presence("golang", "Bob", PresenceChange.JOINED, LATER)),
                arguments("{\"event\":\"presence\",\"room\":\"lobby\",\"user\":\"Bob\",\"change\":\"disconnected\","
                                + "\"time\":\"2026-11-29T14:15:30Z\"}",
                        new Event.Presence("lobby", "Bob", PresenceChange.DISCONNECTED, LATER)),
                arguments("{\"event\":\"closing\",\"code\":\"SERVER_SHUTTING_DOWN\",\"text\":\"Server is shutting down\"}",
                        new Event.Closing(ErrorCode.SERVER_SHUTTING_DOWN, "Server is shutting down")));
    }

    /** Every example line of this class, for {@link ProtocolDocTest}. */
    static Stream<Arguments> all() {
        return Stream.of(requests(), replies(), events()).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void encodesTheMessageToExactlyTheExampleLine(String line, ChatMessage message) {
        assertThat(CODEC.encode(message)).isEqualTo(Frame.ofUtf8(line));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void decodesTheExampleLineToExactlyTheMessage(String line, ChatMessage message) {
        assertThat(CODEC.decode(Frame.ofUtf8(line))).isEqualTo(message);
    }

    @Test
    void writesTheSeedsShapeWithoutAnIdAndTheExtendedShapeWithOne() {
        assertThat(CODEC.encode(new Reply.Echoed(RequestId.NONE, "Hello, Server!")).toUtf8())
                .isEqualTo("{\"success\":true,\"message\":\"Echo response\",\"data\":\"Hello, Server!\"}");
        assertThat(CODEC.encode(new Reply.Echoed(id("r13"), "Hello, Server!")).toUtf8())
                .isEqualTo("{\"success\":true,\"message\":\"Echo response\",\"data\":\"Hello, Server!\",\"id\":\"r13\","
                        + "\"reply\":\"echoed\"}");
        // Without an id a Posted loses its message id and time: seed-shaped replies are lossy by design.
        assertThat(CODEC.decode(CODEC.encode(new Reply.Posted(RequestId.NONE, MessageId.of(12), AT))))
                .isEqualTo(new Reply.Info(RequestId.NONE, "Message broadcasted", ""));
    }

    @Test
    void startsEveryReplyWithTheSeedsThreeFieldsAndEveryEventWithItsKind() {
        Stream.of(replies(), events()).flatMap(s -> s).forEach(arguments -> {
            String line = CODEC.encode((ChatMessage) arguments.get()[1]).toUtf8();
            if (arguments.get()[1] instanceof Reply) {
                assertThat(line).matches("\\{\"success\":(true|false),\"message\":\"[^\"]*\",\"data\":.*");
            } else {
                assertThat(line).startsWith("{\"event\":\"");
            }
        });
    }

    private static RequestId id(String value) {
        return RequestId.of(value);
    }
}
