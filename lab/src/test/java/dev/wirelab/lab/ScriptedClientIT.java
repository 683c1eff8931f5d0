package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.chat.ChatConfig;
import dev.wirelab.chat.ChatServer;
import dev.wirelab.protocol.Limits;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.udp.UdpOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real {@code wirelab client} command, run in this JVM with a script on stdin, against a real
 * {@link ChatServer} on loopback, once per link (TCP, and UDP in both reliable delivery modes) and
 * codec: the exact lines each client prints. Loopback without impairment loses and reorders nothing,
 * so even UDP's unordered {@code reliable} mode shows the lines in the order they were sent.
 */
@Timeout(120)
class ScriptedClientIT {

    private static final String HELLO_LINE =
            "ok connected to wirelab/0.1 (protocol 1; PUSH, ROOMS, PRIVATE_MESSAGES, HISTORY_PAGING)";

    /** The links a script runs over: TCP, and UDP in both reliable modes (the chat needs every reply). */
    private static final List<ScenarioLink> LINKS =
            List.of(ScenarioLink.TCP, ScenarioLink.UDP_RELIABLE_ORDERED, ScenarioLink.UDP_RELIABLE);

    static Stream<Arguments> links() {
        return LINKS.stream()
                .flatMap(link -> Arrays.stream(CodecKind.values()).map(codec -> Arguments.of(link, codec)));
    }

    private ChatServer server;
    private ScenarioLink link;
    private CodecKind codec;

    private String start(ScenarioLink chosenLink, CodecKind chosenCodec) throws Exception {
        link = chosenLink;
        codec = chosenCodec;
        Limits limits = Limits.DEFAULTS;
        server = ChatServer.start(
                link.transport.create(limits, Impairment.NONE,
                        new TransportKind.UdpChoice(link.delivery, UdpOptions.PROFILE_DEFAULT)),
                codec.create(limits),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ChatConfig.defaults().withLimits(limits));
        return HostPort.format(server.address());
    }

    /** The client command's arguments for this test's link and codec. */
    private String[] client(String address) {
        List<String> args = new ArrayList<>(List.of("client", "--codec", codec.label()));
        if (link.transport == TransportKind.UDP) {
            args.addAll(List.of("--transport", link.transport.label(), "--delivery", TransportKind.UdpChoice.label(link.delivery)));
        }
        args.add(address);
        return args.toArray(String[]::new);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("links")
    void twoScriptedClientsChatInARoom(ScenarioLink link, CodecKind codec) throws Exception {
        String address = start(link, codec);
        ScriptFeed bobIn = new ScriptFeed().send("/register bob", "/join room");
        ScriptedClient bob = ScriptedClient.start(bobIn, client(address));
        Await.until("bob is in the room", () -> bob.out.lines().contains("ok joined room: bob"));

        ScriptFeed aliceIn = new ScriptFeed().send("/register alice", "/join room", "hello from alice", "/users",
                "/history", "/frobnicate", "/quit");
        ScriptedClient alice = ScriptedClient.start(aliceIn, client(address));

        assertThat(alice.awaitExit()).isZero();
        assertThat(alice.out.lines()).containsExactly(
                "ok Welcome to TCP/IP Educational Server!",
                HELLO_LINE,
                "ok Registration successful. Welcome, alice!",
                "ok joined room: bob, alice",
                "ok posted #1",
                "[room] alice: hello from alice",
                "ok 2 users online: bob, alice",
                "ok history room: 1 message, complete | #1 alice: hello from alice",
                "error USAGE unknown command /frobnicate (try /help)",
                "ok Goodbye!");

        Await.until("bob sees alice leave", () -> bob.out.lines().contains("* alice left room (quit)"));
        bobIn.send("/quit");
        assertThat(bob.awaitExit()).isZero();
        assertThat(bob.out.lines()).containsExactly(
                "ok Welcome to TCP/IP Educational Server!",
                HELLO_LINE,
                "ok Registration successful. Welcome, bob!",
                "ok joined room: bob",
                "* alice joined lobby",
                "* alice joined room",
                "[room] alice: hello from alice",
                "* alice left lobby (quit)",
                "* alice left room (quit)",
                "ok Goodbye!");
        assertThat(alice.err.text() + bob.err.text()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("links")
    void saysGoodbyeAtTheEndOfInput(ScenarioLink link, CodecKind codec) throws Exception {
        String address = start(link, codec);
        ScriptFeed in = new ScriptFeed().send("/register carol", "/echo  two  spaces ", "/leave", "/rooms");
        in.close();

        ScriptedClient carol = ScriptedClient.start(in, client(address));

        assertThat(carol.awaitExit()).isZero();
        assertThat(carol.out.lines()).containsExactly(
                "ok Welcome to TCP/IP Educational Server!",
                HELLO_LINE,
                "ok Registration successful. Welcome, carol!",
                "ok echo: two  spaces",
                "ok left lobby",
                "ok 1 room: lobby (0)",
                "ok Goodbye!");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("links")
    void hearsPrivateMessagesReadsThemBackAndHearsTheServerShuttingDown(ScenarioLink link, CodecKind codec) throws Exception {
        String address = start(link, codec);
        ScriptFeed bobIn = new ScriptFeed().send("/register bob");
        ScriptedClient bob = ScriptedClient.start(bobIn, client(address));
        Await.until("bob registered", () -> bob.out.lines().contains("ok Registration successful. Welcome, bob!"));
        ScriptFeed aliceIn = new ScriptFeed().send("/register alice", "/msg bob psst, over here", "/msg nobody hi",
                "/history @bob", "/quit");
        ScriptedClient alice = ScriptedClient.start(aliceIn, client(address));
        assertThat(alice.awaitExit()).isZero();
        Await.until("bob heard alice leave", () -> bob.out.lines().contains("* alice left lobby (quit)"));
        bobIn.send("/history @Alice");
        String bobsHistory = "ok history @Alice: 1 message, complete | #1 alice: psst, over here";
        Await.until("bob read his conversation with alice", () -> bob.out.lines().contains(bobsHistory));

        server.close();

        assertThat(bob.awaitExit()).isEqualTo(ClientLoop.EXIT_DISCONNECTED);
        bobIn.close();
        assertThat(alice.out.lines()).containsSubsequence(
                "ok sent #1 to bob",
                "(private) alice -> bob: psst, over here",
                "error UNKNOWN_USER No such user online: nobody",
                "ok history @bob: 1 message, complete | #1 alice: psst, over here");
        List<String> bobLines = bob.out.lines();
        assertThat(bobLines.subList(3, bobLines.size() - 1)).containsExactly(
                "* alice joined lobby",
                "(private) alice -> bob: psst, over here",
                "* alice left lobby (quit)",
                bobsHistory,
                "! closing SERVER_SHUTTING_DOWN Server is shutting down");
        assertThat(bobLines.get(bobLines.size() - 1)).startsWith("! connection closed: ");
    }

    /** What every transport's /stats line carries: frames and bytes each way. */
    private static final String TRAFFIC = "sent (\\d+) frames? / \\d+ B, received (\\d+) frames? / \\d+ B";
    private static final String MS = "\\d+\\.\\d{3}";
    /** The UDP line, field by field as LineFormat.stats documents it. */
    private static final Pattern UDP_STATS = Pattern.compile("ok stats udp: rtt " + MS + " ms \\(var " + MS
            + ", min " + MS + "\\), cwnd \\d+ B, in flight \\d+ B; " + TRAFFIC
            + "; retransmits \\d+ \\(fast \\d+, time \\d+, pto \\d+\\), spurious \\d+, lost \\d+"
            + "; duplicates \\d+ packets? / \\d+ frames?; head-of-line wait " + MS + " ms total, " + MS + " ms max"
            + "; \\d+\\.\\d\\d wire bytes per delivered byte; back-pressured sends \\d+");
    private static final Pattern TCP_STATS = Pattern.compile("ok stats tcp: " + TRAFFIC);

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("links")
    void showsTheConnectionsCountersOnOneLineWithTheEngineOnesOverUdpOnly(ScenarioLink link, CodecKind codec) throws Exception {
        String address = start(link, codec);
        ScriptFeed in = new ScriptFeed().send("/register dave", "/echo counted", "/stats", "/quit");
        in.close();

        ScriptedClient dave = ScriptedClient.start(in, client(address));

        assertThat(dave.awaitExit()).isZero();
        List<String> lines = dave.out.lines();
        assertThat(lines).hasSize(6);
        assertThat(lines.subList(0, 4)).containsExactly(
                "ok Welcome to TCP/IP Educational Server!",
                HELLO_LINE,
                "ok Registration successful. Welcome, dave!",
                "ok echo: counted");
        assertThat(lines.get(5)).isEqualTo("ok Goodbye!");
        String stats = lines.get(4);
        Matcher matcher = (link.transport == TransportKind.UDP ? UDP_STATS : TCP_STATS).matcher(stats);
        assertThat(matcher.matches()).as("the /stats line %s", stats).isTrue();
        if (link.transport == TransportKind.TCP) {
            assertThat(stats).doesNotContain("rtt", "cwnd", "retransmits");
        }
        // Before /stats: HELLO, REGISTER and ECHO out; the welcome and their three replies in.
        assertThat(Long.parseLong(matcher.group(1))).isEqualTo(3);
        assertThat(Long.parseLong(matcher.group(2))).isEqualTo(4);
        assertThat(dave.err.text()).isEmpty();
    }

    /** One run of the client command on a thread of its own. */
    private static final class ScriptedClient {
        final CapturedLines out = new CapturedLines();
        final CapturedLines err = new CapturedLines();
        final AtomicInteger exit = new AtomicInteger(-1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread;

        static ScriptedClient start(ScriptFeed in, String... args) {
            ScriptedClient client = new ScriptedClient();
            Io io = new Io(in, client.out.writer(), client.err.writer(), false, false);
            client.thread = Thread.ofPlatform().name("scripted-client").start(() -> {
                try {
                    client.exit.set(Wirelab.run(io, args));
                } catch (Throwable t) {
                    client.failure.set(t);
                    throw t;
                }
            });
            return client;
        }

        int awaitExit() throws InterruptedException {
            thread.join(Await.DEFAULT_TIMEOUT);
            assertThat(thread.isAlive()).as("client still running; printed %s", out.lines()).isFalse();
            assertThat(failure.get()).as("the client command threw").isNull();
            return exit.get();
        }
    }
}
