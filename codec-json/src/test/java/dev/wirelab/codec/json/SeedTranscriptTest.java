package dev.wirelab.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.Decoded;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameDecoder;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden test against the seed's recorded transcript ({@code reference/seed-protocol.md}, "Raw
 * transcript"): what the seed's clients send decodes to the right request, and what wirelab's
 * server answers a request without an id is the seed's reply, byte for byte. The lines below are
 * copied from the transcript; only the final {@code \n} is left to the framing.
 */
@Timeout(30)
class SeedTranscriptTest {

    private static final JsonCodec CODEC = JsonCodec.create(Limits.DEFAULTS, ZoneOffset.UTC);
    private static final RequestId NONE = RequestId.NONE;
    private static final String LOBBY = Request.DEFAULT_ROOM;

    static Stream<Arguments> clientLines() {
        return Stream.of(
                arguments("{\"command\":\"ECHO\",\"data\":\"Hello, Server!\"}", new Request.Echo(NONE, "Hello, Server!")),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"who am I?\"}", new Request.Post(NONE, LOBBY, "who am I?")),
                arguments("{\"command\":\"REGISTER\",\"data\":\"Alice\"}", new Request.Register(NONE, "Alice", Password.NONE)),
                arguments("{\"command\":\"REGISTER\",\"data\":\"Bob\"}", new Request.Register(NONE, "Bob", Password.NONE)),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"Hello everyone!\"}",
                        new Request.Post(NONE, LOBBY, "Hello everyone!")),
                arguments("{\"command\":\"LIST_USERS\"}", new Request.ListUsers(NONE)),
                arguments("{\"command\":\"LIST_MESSAGES\"}",
                        new Request.ListMessages(NONE, LOBBY, HistoryCursor.LATEST, Limits.DEFAULTS.historyPageDefault())),
                arguments("{\"command\":\"TIME\"}", new Request.Time(NONE)),
                // The server takes the sender from the connection; "from" is read and dropped.
                arguments("{\"command\":\"MESSAGE\",\"data\":\"spoof\",\"from\":\"Mallory\"}",
                        new Request.Post(NONE, LOBBY, "spoof")),
                // Field names match case-insensitively, as in the seed's Go server; extra fields are ignored.
                arguments("{\"COMMAND\":\"ECHO\",\"Data\":\"caps\",\"extra\":42}", new Request.Echo(NONE, "caps")),
                arguments("{\"command\":\"ECHO\",\"data\":\"one\"}", new Request.Echo(NONE, "one")),
                arguments("{\"command\":\"ECHO\",\"data\":\"two\"}", new Request.Echo(NONE, "two")),
                arguments("{\"command\":\"ECHO\",\"data\":\"joined\"}", new Request.Echo(NONE, "joined")),
                arguments("{\"command\":\"ECHO\",\"data\":\"crlf\"}", new Request.Echo(NONE, "crlf")),
                arguments("{\"command\":\"QUIT\"}", new Request.Quit(NONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientLines")
    void decodesEveryClientLineOfTheTranscript(String line, Request expected) {
        assertThat(CODEC.decode(Frame.ofUtf8(line))).isEqualTo(expected);
    }

    static Stream<Arguments> goClientLines() {
        return Stream.of(
                arguments("{\"command\":\"REGISTER\",\"data\":\"Alice\",\"from\":\"\"}",
                        new Request.Register(NONE, "Alice", Password.NONE)),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"Hello everyone!\",\"from\":\"Alice\"}",
                        new Request.Post(NONE, LOBBY, "Hello everyone!")),
                arguments("{\"command\":\"LIST_USERS\",\"data\":\"\",\"from\":\"Alice\"}", new Request.ListUsers(NONE)),
                arguments("{\"command\":\"QUIT\",\"data\":\"\",\"from\":\"Alice\"}", new Request.Quit(NONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goClientLines")
    void decodesTheGoClientsRealRequestLines(String line, Request expected) {
        assertThat(CODEC.decode(Frame.ofUtf8(line))).isEqualTo(expected);
    }

    /** Connection C's client bytes, exactly as recorded, including the writes that split or join lines. */
    private static final List<String> CONNECTION_C_WRITES = List.of(
            "{\"command\":\"REGISTER\",\"data\":\"Alice\"}\n",
            "{\"command\":\"LIST_USERS\"}\n",
            "this is not json\n",
            "{\"command\":\"FOO\",\"data\":\"x\"}\n",
            "{\"command\":\"echo\",\"data\":\"x\"}\n",
            "{\"command\":\"ECHO\"}\n",
            "{\"COMMAND\":\"ECHO\",\"Data\":\"caps\",\"extra\":42}\n",
            "{\n  \"command\": \"ECHO\",\n  \"data\": \"pretty\"\n}\n",
            "{\"command\":\"ECHO\",\"data\":\"one\"}\n{\"command\":\"ECHO\",\"data\":\"two\"}\n",
            "{\"command\":\"ECHO\",",
            "\"data\":\"joined\"}\n",
            "{\"command\":\"ECHO\",\"data\":\"crlf\"}\r\n",
            "{\"command\":\"QUIT\"}\n");

    @Test
    void cutsConnectionCsBytesIntoTheSeedsLinesAndDecodesEachOnItsOwn() {
        FrameDecoder framing = CODEC.framing().newDecoder();
        List<Frame> frames = new ArrayList<>();
        for (String write : CONNECTION_C_WRITES) {
            for (Decoded decoded : framing.feed(write.getBytes(StandardCharsets.UTF_8))) {
                frames.add(((Decoded.Complete) decoded).frame());
            }
        }
        List<Object> outcomes = frames.stream().map(SeedTranscriptTest::outcome).toList();

        assertThat(outcomes).containsExactly(
                new Request.Register(NONE, "Alice", Password.NONE),
                new Request.ListUsers(NONE),
                ErrorCode.INVALID_MESSAGE,
                ErrorCode.UNKNOWN_COMMAND,
                ErrorCode.UNKNOWN_COMMAND,
                ErrorCode.MISSING_DATA,
                new Request.Echo(NONE, "caps"),
                // Pretty-printed JSON: each physical line is judged on its own, four errors as in the seed.
                ErrorCode.INVALID_MESSAGE,
                ErrorCode.INVALID_MESSAGE,
                ErrorCode.INVALID_MESSAGE,
                ErrorCode.INVALID_MESSAGE,
                new Request.Echo(NONE, "one"),
                new Request.Echo(NONE, "two"),
                new Request.Echo(NONE, "joined"),
                new Request.Echo(NONE, "crlf"),
                new Request.Quit(NONE));
    }

    private static Object outcome(Frame frame) {
        try {
            return CODEC.decode(frame);
        } catch (CodecException e) {
            return e.code();
        }
    }

    static Stream<Arguments> serverReplies() {
        Instant at = Instant.parse("2026-11-29T14:15:29Z");
        return Stream.of(
                arguments(new Reply.Info(NONE, "Welcome to TCP/IP Educational Server!", ""),
                        "{\"success\":true,\"message\":\"Welcome to TCP/IP Educational Server!\",\"data\":\"\"}"),
                arguments(new Reply.Echoed(NONE, "Hello, Server!"),
                        "{\"success\":true,\"message\":\"Echo response\",\"data\":\"Hello, Server!\"}"),
                arguments(new Reply.Posted(NONE, MessageId.of(1), at),
                        "{\"success\":true,\"message\":\"Message broadcasted\",\"data\":\"\"}"),
                arguments(new Reply.Registered(NONE, "Alice"),
                        "{\"success\":true,\"message\":\"Registration successful. Welcome, Alice!\",\"data\":\"\"}"),
                arguments(new Reply.Registered(NONE, "Bob"),
                        "{\"success\":true,\"message\":\"Registration successful. Welcome, Bob!\",\"data\":\"\"}"),
                arguments(new Reply.Users(NONE, List.of("Alice", "Bob")),
                        "{\"success\":true,\"message\":\"Online users\",\"data\":\"Alice, Bob\"}"),
                arguments(new Reply.Users(NONE, List.of("Alice", "Bob", "Alice")),
                        "{\"success\":true,\"message\":\"Online users\",\"data\":\"Alice, Bob, Alice\"}"),
                arguments(new Reply.Users(NONE, List.of("Bob")),
                        "{\"success\":true,\"message\":\"Online users\",\"data\":\"Bob\"}"),
                arguments(new Reply.History(NONE, LOBBY, List.of(
                                new StoredMessage(MessageId.of(1), LOBBY, "anonymous", "who am I?", at),
                                new StoredMessage(MessageId.of(2), LOBBY, "Alice", "Hello everyone!", at.plusMillis(400))),
                                true),
                        "{\"success\":true,\"message\":\"Recent messages\",\"data\":"
                                + "\"[14:15:29] anonymous: who am I?\\n[14:15:29] Alice: Hello everyone!\"}"),
                // Not in the transcript: seed-protocol.md gives "No messages yet" for an empty history from the
                // seed's source only; data is "" as in every seed reply without a result.
                arguments(new Reply.History(NONE, LOBBY, List.of(), true),
                        "{\"success\":true,\"message\":\"No messages yet\",\"data\":\"\"}"),
                arguments(new Reply.History(NONE, LOBBY, List.of(), false),
                        "{\"success\":true,\"message\":\"No messages yet\",\"data\":\"\"}"),
                arguments(new Reply.ServerTime(NONE, OffsetDateTime.of(2026, 11, 29, 14, 15, 31, 0, ZoneOffset.UTC)),
                        "{\"success\":true,\"message\":\"Server time\",\"data\":\"2026-11-29T14:15:31Z\"}"),
                arguments(new Reply.Goodbye(NONE),
                        "{\"success\":true,\"message\":\"Goodbye!\",\"data\":\"\"}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("serverReplies")
    void encodesRepliesToRequestsWithoutAnIdAsTheTranscriptsExactBytes(Reply reply, String line) {
        assertThat(CODEC.encode(reply)).isEqualTo(Frame.ofUtf8(line));
    }

    /**
     * The one line a seed client gets, answering no request, before the server closes its connection
     * (texts from {@code ChatServer} and {@code ChatState} with {@code Limits.DEFAULTS}): shutdown,
     * send-queue overflow, registration timeout, and a connection cap refusing it instead of the welcome.
     */
    static Stream<Arguments> lastWords() {
        return Stream.of(
                arguments(new Reply.Failed(NONE, ErrorCode.SERVER_SHUTTING_DOWN, "Server is shutting down"),
                        "{\"success\":false,\"message\":\"Server is shutting down\",\"data\":\"\"}"),
                arguments(new Reply.Failed(NONE, ErrorCode.SENDQ_EXCEEDED, "Too slow: more than 262144 bytes waiting to be sent"),
                        "{\"success\":false,\"message\":\"Too slow: more than 262144 bytes waiting to be sent\",\"data\":\"\"}"),
                arguments(new Reply.Failed(NONE, ErrorCode.REGISTRATION_TIMEOUT, "Did not register within 60 s"),
                        "{\"success\":false,\"message\":\"Did not register within 60 s\",\"data\":\"\"}"),
                arguments(new Reply.Failed(NONE, ErrorCode.TRY_AGAIN, "Server full: 1024 clients connected; try again later"),
                        "{\"success\":false,\"message\":\"Server full: 1024 clients connected; try again later\",\"data\":\"\"}"),
                arguments(new Reply.Failed(NONE, ErrorCode.TRY_AGAIN,
                                "Too many connections waiting to register (64); try again later"),
                        "{\"success\":false,\"message\":\"Too many connections waiting to register (64); try again later\","
                                + "\"data\":\"\"}"),
                arguments(new Reply.Failed(NONE, ErrorCode.TRY_AGAIN, "Too many connections from 203.0.113.7 (16); try again later"),
                        "{\"success\":false,\"message\":\"Too many connections from 203.0.113.7 (16); try again later\","
                                + "\"data\":\"\"}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("lastWords")
    void encodesTheLastWordsToASeedClientAsIdlessFailuresThatLoseTheirCode(Reply.Failed lastWords, String line) {
        assertThat(CODEC.encode(lastWords)).isEqualTo(Frame.ofUtf8(line));
        // Without an id the seed's shape has no code: a client reading the line gets the text only.
        assertThat(CODEC.decode(Frame.ofUtf8(line))).isEqualTo(new Reply.Failed(NONE, ErrorCode.UNSPECIFIED, lastWords.message()));
    }

    static Stream<Arguments> refusedRequests() {
        return Stream.of(
                arguments("{\"command\":\"FOO\",\"data\":\"x\"}",
                        "{\"success\":false,\"message\":\"Validation error: unknown command: FOO\",\"data\":\"\"}"),
                arguments("{\"command\":\"echo\",\"data\":\"x\"}",
                        "{\"success\":false,\"message\":\"Validation error: unknown command: echo\",\"data\":\"\"}"),
                arguments("{\"command\":\"ECHO\"}",
                        "{\"success\":false,\"message\":\"Validation error: command ECHO requires data\",\"data\":\"\"}"),
                // Not in the transcript: the one case where the seed's "cannot be empty" text is right.
                arguments("{\"command\":\"\"}",
                        "{\"success\":false,\"message\":\"Validation error: command cannot be empty\",\"data\":\"\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void answersRefusedRequestsWithTheSeedsExactBytes(String request, String reply) {
        CodecException refused = catchThrowableOfType(CodecException.class, () -> CODEC.decode(Frame.ofUtf8(request)));

        // What the server does with a frame it cannot decode: one Failed reply, same id, same text.
        Reply.Failed failed = new Reply.Failed(refused.requestId(), refused.code(), refused.getMessage());
        assertThat(CODEC.encode(failed)).isEqualTo(Frame.ofUtf8(reply));
    }

    @Test
    void reportsInvalidJsonAsInvalidMessageWhereTheSeedSaidCommandCannotBeEmpty() {
        CodecException refused = catchThrowableOfType(CodecException.class,
                () -> CODEC.decode(Frame.ofUtf8("this is not json")));

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(refused.getMessage()).startsWith("Invalid message format: ").doesNotContain("command cannot be empty");
        assertThat(CODEC.encode(new Reply.Failed(NONE, refused.code(), refused.getMessage())).toUtf8())
                .startsWith("{\"success\":false,\"message\":\"Invalid message format: ")
                .isNotEqualTo("{\"success\":false,\"message\":\"Validation error: command cannot be empty\",\"data\":\"\"}");
    }

    static Stream<Arguments> seedRequests() {
        return Stream.of(
                arguments(new Request.Echo(NONE, "Hello, Server!"), "{\"command\":\"ECHO\",\"data\":\"Hello, Server!\"}"),
                arguments(new Request.Post(NONE, LOBBY, "who am I?"), "{\"command\":\"MESSAGE\",\"data\":\"who am I?\"}"),
                arguments(new Request.Register(NONE, "Alice", Password.NONE), "{\"command\":\"REGISTER\",\"data\":\"Alice\"}"),
                arguments(new Request.ListUsers(NONE), "{\"command\":\"LIST_USERS\"}"),
                arguments(new Request.ListMessages(NONE, LOBBY, HistoryCursor.LATEST, Limits.DEFAULTS.historyPageDefault()),
                        "{\"command\":\"LIST_MESSAGES\"}"),
                arguments(new Request.Time(NONE), "{\"command\":\"TIME\"}"),
                arguments(new Request.Quit(NONE), "{\"command\":\"QUIT\"}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("seedRequests")
    void encodesSeedShapedRequestsAsTheTranscriptShowsThem(Request request, String line) {
        assertThat(CODEC.encode(request)).isEqualTo(Frame.ofUtf8(line));
    }

    static Stream<Arguments> seedReplies() {
        return Stream.of(
                arguments("{\"success\":true,\"message\":\"Welcome to TCP/IP Educational Server!\",\"data\":\"\"}",
                        new Reply.Info(NONE, "Welcome to TCP/IP Educational Server!", "")),
                arguments("{\"success\":true,\"message\":\"Echo response\",\"data\":\"Hello, Server!\"}",
                        new Reply.Echoed(NONE, "Hello, Server!")),
                // No message id or time in the seed's shape: only text survives.
                arguments("{\"success\":true,\"message\":\"Message broadcasted\",\"data\":\"\"}",
                        new Reply.Info(NONE, "Message broadcasted", "")),
                arguments("{\"success\":true,\"message\":\"Registration successful. Welcome, Alice!\",\"data\":\"\"}",
                        new Reply.Registered(NONE, "Alice")),
                arguments("{\"success\":true,\"message\":\"Online users\",\"data\":\"Alice, Bob, Alice\"}",
                        new Reply.Users(NONE, List.of("Alice", "Bob", "Alice"))),
                arguments("{\"success\":true,\"message\":\"Online users\",\"data\":\"\"}", new Reply.Users(NONE, List.of())),
                arguments("{\"success\":true,\"message\":\"Recent messages\",\"data\":"
                                + "\"[14:15:29] anonymous: who am I?\\n[14:15:29] Alice: Hello everyone!\"}",
                        new Reply.Info(NONE, "Recent messages",
                                "[14:15:29] anonymous: who am I?\n[14:15:29] Alice: Hello everyone!")),
                arguments("{\"success\":true,\"message\":\"No messages yet\",\"data\":\"\"}",
                        new Reply.Info(NONE, "No messages yet", "")),
                arguments("{\"success\":true,\"message\":\"Server time\",\"data\":\"2026-11-29T14:15:31Z\"}",
                        new Reply.ServerTime(NONE, OffsetDateTime.of(2026, 11, 29, 14, 15, 31, 0, ZoneOffset.UTC))),
                arguments("{\"success\":false,\"message\":\"Validation error: unknown command: FOO\",\"data\":\"\"}",
                        new Reply.Failed(NONE, ErrorCode.UNSPECIFIED, "Validation error: unknown command: FOO")),
                arguments("{\"success\":false,\"message\":\"Validation error: command cannot be empty\",\"data\":\"\"}",
                        new Reply.Failed(NONE, ErrorCode.UNSPECIFIED, "Validation error: command cannot be empty")),
                arguments("{\"success\":true,\"message\":\"Goodbye!\",\"data\":\"\"}", new Reply.Goodbye(NONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedReplies")
    void decodesTheSeedServersRepliesByTheirText(String line, ChatMessage expected) {
        assertThat(CODEC.decode(Frame.ofUtf8(line))).isEqualTo(expected);
    }
}
