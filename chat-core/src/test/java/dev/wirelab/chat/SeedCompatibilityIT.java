package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.codec.json.JsonCodec;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.tcp.TcpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's transcript ({@code reference/seed-protocol.md}, "Raw transcript") replayed byte for
 * byte against a real server over TCP and JSON lines, from raw sockets: no wirelab client is
 * involved, so this is what the seed's Go client sees. Where wirelab agrees with the seed the
 * reply bytes are compared exactly; where it deliberately departs (docs/protocol-json.md §9 for the
 * wire format, ChatState's class comment for the chat rules) our exact bytes are asserted and the
 * departure is named in a comment.
 */
@Timeout(30)
class SeedCompatibilityIT {

    private static final String WELCOME = "{\"success\":true,\"message\":\"Welcome to TCP/IP Educational Server!\",\"data\":\"\"}\n";
    private static final String BROADCASTED = "{\"success\":true,\"message\":\"Message broadcasted\",\"data\":\"\"}\n";
    private static final String GOODBYE = "{\"success\":true,\"message\":\"Goodbye!\",\"data\":\"\"}\n";
    private static final String HH_MM_SS = "\\[\\d\\d:\\d\\d:\\d\\d]";

    private final List<RawLineClient> clients = new ArrayList<>();
    private final List<ChatClient> wirelabClients = new ArrayList<>();
    private TcpTransport tcp;
    private JsonCodec codec;
    private ChatServer server;

    @BeforeEach
    void startServer() throws IOException {
        tcp = TcpTransport.create(Limits.DEFAULTS);
        codec = JsonCodec.create(Limits.DEFAULTS, ZoneOffset.UTC);
        server = ChatServer.start(tcp, codec, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ChatConfig.defaults().withZone(ZoneOffset.UTC).withPasswordIterations(1_000));
    }

    @AfterEach
    void stopServer() throws IOException {
        for (RawLineClient client : clients) {
            client.close();
        }
        wirelabClients.forEach(ChatClient::close);
        server.close();
    }

    /** Connects a raw client and checks the seed's welcome line is the very first thing it reads. */
    private RawLineClient seedClient() throws IOException {
        RawLineClient client = RawLineClient.connect(server.address());
        clients.add(client);
        assertThat(client.readLine()).as("the first line").isEqualTo(WELCOME);
        return client;
    }

    private static String ok(String message, String data) {
        return "{\"success\":true,\"message\":\"" + message + "\",\"data\":\"" + data + "\"}\n";
    }

    private static String failed(String message) {
        return "{\"success\":false,\"message\":\"" + message + "\",\"data\":\"\"}\n";
    }

    @Test
    void replaysTheSeedTranscriptByteForByte() throws IOException {
        // ---- connection A
        RawLineClient a = seedClient();
        assertThat(a.exchange("{\"command\":\"ECHO\",\"data\":\"Hello, Server!\"}\n"))
                .isEqualTo(ok("Echo response", "Hello, Server!"));
        // Deliberate departure (ChatState: "posting before REGISTER is refused"): the seed stored
        // this as "anonymous: who am I?"; wirelab answers NOT_REGISTERED, so history never shows
        // "anonymous".
        assertThat(a.exchange("{\"command\":\"MESSAGE\",\"data\":\"who am I?\"}\n"))
                .isEqualTo(failed("Please register first: REGISTER <name>"));
        assertThat(a.exchange("{\"command\":\"REGISTER\",\"data\":\"Alice\"}\n"))
                .isEqualTo(ok("Registration successful. Welcome, Alice!", ""));

        // ---- connection B
        RawLineClient b = seedClient();
        assertThat(b.exchange("{\"command\":\"REGISTER\",\"data\":\"Bob\"}\n"))
                .isEqualTo(ok("Registration successful. Welcome, Bob!", ""));
        assertThat(a.exchange("{\"command\":\"MESSAGE\",\"data\":\"Hello everyone!\"}\n")).isEqualTo(BROADCASTED);
        // No broadcast is pushed to a seed client: B's next line is the answer to its own request.
        assertThat(b.exchange("{\"command\":\"LIST_USERS\"}\n")).isEqualTo(ok("Online users", "Alice, Bob"));
        assertThat(b.exchange("{\"command\":\"LIST_MESSAGES\"}\n"))
                .matches(Pattern.quote("{\"success\":true,\"message\":\"Recent messages\",\"data\":\"")
                        + HH_MM_SS + " Alice: Hello everyone!" + Pattern.quote("\"}") + "\n");
        String time = b.exchange("{\"command\":\"TIME\"}\n");
        Matcher rfc3339 = Pattern.compile(Pattern.quote("{\"success\":true,\"message\":\"Server time\",\"data\":\"")
                + "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)" + Pattern.quote("\"}") + "\n").matcher(time);
        assertThat(rfc3339.matches()).as("TIME reply %s is RFC 3339 in UTC", time).isTrue();
        assertThat(Duration.between(OffsetDateTime.parse(rfc3339.group(1)), OffsetDateTime.now()).abs())
                .isLessThan(Duration.ofMinutes(1));
        // The spoofed "from" is ignored, as by the seed: the message is stored under Bob.
        assertThat(b.exchange("{\"command\":\"MESSAGE\",\"data\":\"spoof\",\"from\":\"Mallory\"}\n")).isEqualTo(BROADCASTED);
        assertThat(b.exchange("{\"command\":\"LIST_MESSAGES\"}\n"))
                .matches(".*" + HH_MM_SS + " Alice: Hello everyone!\\\\n" + HH_MM_SS + " Bob: spoof\"}\n");

        // ---- connection C
        RawLineClient c = seedClient();
        // Deliberate departure (ChatState: "names are unique and validated"): the seed accepted a
        // second "Alice"; wirelab answers NAME_TAKEN.
        assertThat(c.exchange("{\"command\":\"REGISTER\",\"data\":\"Alice\"}\n"))
                .isEqualTo(failed("Name already taken: Alice"));
        // Consequently the seed's "Alice, Bob, Alice" is "Alice, Bob" here (C has no name).
        assertThat(c.exchange("{\"command\":\"LIST_USERS\"}\n")).isEqualTo(ok("Online users", "Alice, Bob"));
        // Deliberate departure (docs/protocol-json.md §9): the seed said "command cannot be empty";
        // wirelab reports an invalid message (the detail after the colon is the JSON parser's).
        assertThat(c.exchange("this is not json\n"))
                .matches(Pattern.quote("{\"success\":false,\"message\":\"Invalid message format: Unrecognized token 'this'")
                        + "[^\"\\n]*" + Pattern.quote("\",\"data\":\"\"}") + "\n");
        assertThat(c.exchange("{\"command\":\"FOO\",\"data\":\"x\"}\n"))
                .isEqualTo(failed("Validation error: unknown command: FOO"));
        assertThat(c.exchange("{\"command\":\"echo\",\"data\":\"x\"}\n"))
                .isEqualTo(failed("Validation error: unknown command: echo"));
        assertThat(c.exchange("{\"command\":\"ECHO\"}\n"))
                .isEqualTo(failed("Validation error: command ECHO requires data"));
        assertThat(c.exchange("{\"COMMAND\":\"ECHO\",\"Data\":\"caps\",\"extra\":42}\n"))
                .isEqualTo(ok("Echo response", "caps"));

        // Pretty-printed JSON: each physical line is judged on its own and gets its own reply, as
        // with the seed; the texts depart deliberately (invalid message, not "cannot be empty").
        c.write("{\n  \"command\": \"ECHO\",\n  \"data\": \"pretty\"\n}\n");
        assertThat(c.readLine()).matches(Pattern.quote("{\"success\":false,\"message\":\"Invalid message format: ")
                + "[^\"\\n]*" + Pattern.quote("\",\"data\":\"\"}") + "\n");
        assertThat(c.readLine()).isEqualTo(failed("Invalid message format: expected a JSON object, got a string"));
        assertThat(c.readLine()).isEqualTo(failed("Invalid message format: expected a JSON object, got a string"));
        assertThat(c.readLine()).matches(Pattern.quote("{\"success\":false,\"message\":\"Invalid message format: ")
                + "[^\"\\n]*" + Pattern.quote("\",\"data\":\"\"}") + "\n");

        // Two requests in one write: two replies, in order.
        c.write("{\"command\":\"ECHO\",\"data\":\"one\"}\n{\"command\":\"ECHO\",\"data\":\"two\"}\n");
        assertThat(c.readLine()).isEqualTo(ok("Echo response", "one"));
        assertThat(c.readLine()).isEqualTo(ok("Echo response", "two"));

        // A request split across two writes is answered once, when its newline arrives; the next
        // exchange's reply coming next proves the first half drew no reply of its own.
        c.write("{\"command\":\"ECHO\",");
        c.write("\"data\":\"joined\"}\n");
        assertThat(c.readLine()).isEqualTo(ok("Echo response", "joined"));
        assertThat(c.exchange("{\"command\":\"ECHO\",\"data\":\"after the split\"}\n"))
                .isEqualTo(ok("Echo response", "after the split"));

        assertThat(c.exchange("{\"command\":\"ECHO\",\"data\":\"crlf\"}\r\n")).isEqualTo(ok("Echo response", "crlf"));
        assertThat(c.exchange("{\"command\":\"QUIT\"}\n")).isEqualTo(GOODBYE);
        assertThat(c.atEndOfStream()).as("C closed by the server after Goodbye").isTrue();

        // ---- after A and C quit
        assertThat(a.exchange("{\"command\":\"QUIT\"}\n")).isEqualTo(GOODBYE);
        assertThat(a.atEndOfStream()).as("A closed by the server after Goodbye").isTrue();
        assertThat(b.exchange("{\"command\":\"LIST_USERS\"}\n")).isEqualTo(ok("Online users", "Bob"));
    }

    @Test
    void acceptsTheGoClientsRealRequestLines() throws IOException {
        RawLineClient go = seedClient();

        assertThat(go.exchange("{\"command\":\"REGISTER\",\"data\":\"Alice\",\"from\":\"\"}\n"))
                .isEqualTo(ok("Registration successful. Welcome, Alice!", ""));
        assertThat(go.exchange("{\"command\":\"MESSAGE\",\"data\":\"Hello everyone!\",\"from\":\"Alice\"}\n"))
                .isEqualTo(BROADCASTED);
        assertThat(go.exchange("{\"command\":\"LIST_USERS\",\"data\":\"\",\"from\":\"Alice\"}\n"))
                .isEqualTo(ok("Online users", "Alice"));
        assertThat(go.exchange("{\"command\":\"QUIT\",\"data\":\"\",\"from\":\"Alice\"}\n")).isEqualTo(GOODBYE);
        assertThat(go.atEndOfStream()).isTrue();
    }

    @Test
    void neverSendsASeedClientAnythingUnsolicitedWhileOthersPostJoinAndLeave() throws IOException {
        RawLineClient seed = seedClient();
        assertThat(seed.exchange("{\"command\":\"REGISTER\",\"data\":\"Quiet\"}\n"))
                .isEqualTo(ok("Registration successful. Welcome, Quiet!", ""));
        SocketAddress address = server.address();
        RecordingListener pusherHeard = new RecordingListener();
        ChatClient pusher = ChatClients.pushUser(tcp, codec, address, "Pusher", pusherHeard);
        wirelabClients.add(pusher);
        RawLineClient other = seedClient();
        assertThat(other.exchange("{\"command\":\"REGISTER\",\"data\":\"Other\"}\n"))
                .isEqualTo(ok("Registration successful. Welcome, Other!", ""));

        // 15 posts each: within the default rate limit's burst of 20, so none is refused.
        for (int i = 0; i < 15; i++) {
            String text = "busy " + i;
            ChatClients.ask(pusher, id -> new Request.Post(id, Request.DEFAULT_ROOM, text), Reply.Posted.class);
            assertThat(other.exchange("{\"command\":\"MESSAGE\",\"data\":\"from other " + i + "\"}\n")).isEqualTo(BROADCASTED);
        }
        ChatClients.ask(pusher, id -> new Request.Join(id, "side"), Reply.Joined.class);
        assertThat(other.exchange("{\"command\":\"QUIT\"}\n")).isEqualTo(GOODBYE);
        // The pusher heard all 30 posts: the server did broadcast them, to those who asked.
        Await.until("the pusher hears every post", () -> pusherHeard.roomMessages(Request.DEFAULT_ROOM).size() == 30);

        // The seed client's very next line is the answer to its own request, nothing queued before it.
        assertThat(seed.exchange("{\"command\":\"ECHO\",\"data\":\"ping\"}\n")).isEqualTo(ok("Echo response", "ping"));
        assertThat(seed.exchange("{\"command\":\"LIST_USERS\"}\n")).isEqualTo(ok("Online users", "Quiet, Pusher"));
    }
}
