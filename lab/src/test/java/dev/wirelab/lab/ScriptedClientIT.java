package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.chat.ChatConfig;
import dev.wirelab.chat.ChatServer;
import dev.wirelab.protocol.Limits;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.tcp.TcpTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real {@code wirelab client} command, run in this JVM with a script on stdin, against a real
 * {@link ChatServer} on loopback TCP, once per codec: the exact lines each client prints.
 */
@Timeout(60)
class ScriptedClientIT {

    private static final String HELLO_LINE =
            "ok connected to wirelab/0.1 (protocol 1; PUSH, ROOMS, PRIVATE_MESSAGES, HISTORY_PAGING)";

    private ChatServer server;

    private String start(CodecKind codec) throws Exception {
        Limits limits = Limits.DEFAULTS;
        server = ChatServer.start(TcpTransport.create(limits), codec.create(limits),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ChatConfig.defaults().withLimits(limits));
        return HostPort.format(server.address());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(CodecKind.class)
    void twoScriptedClientsChatInARoom(CodecKind codec) throws Exception {
        String address = start(codec);
        ScriptFeed bobIn = new ScriptFeed().send("/register bob", "/join room");
        ScriptedClient bob = ScriptedClient.start(bobIn, "client", "--codec", codec.label(), address);
        Await.until("bob is in the room", () -> bob.out.lines().contains("ok joined room: bob"));

        ScriptFeed aliceIn = new ScriptFeed().send("/register alice", "/join room", "hello from alice", "/users",
                "/history", "/frobnicate", "/quit");
        ScriptedClient alice = ScriptedClient.start(aliceIn, "client", "--codec", codec.label(), address);

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

    @ParameterizedTest
    @EnumSource(CodecKind.class)
    void saysGoodbyeAtTheEndOfInput(CodecKind codec) throws Exception {
        String address = start(codec);
        ScriptFeed in = new ScriptFeed().send("/register carol", "/echo  two  spaces ", "/leave", "/rooms");
        in.close();

        ScriptedClient carol = ScriptedClient.start(in, "client", "--codec", codec.label(), address);

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

    @ParameterizedTest
    @EnumSource(CodecKind.class)
    void hearsPrivateMessagesAndTheServerShuttingDown(CodecKind codec) throws Exception {
        String address = start(codec);
        ScriptFeed bobIn = new ScriptFeed().send("/register bob");
        ScriptedClient bob = ScriptedClient.start(bobIn, "client", "--codec", codec.label(), address);
        Await.until("bob registered", () -> bob.out.lines().contains("ok Registration successful. Welcome, bob!"));
        ScriptFeed aliceIn = new ScriptFeed().send("/register alice", "/msg bob psst, over here", "/msg nobody hi", "/quit");
        ScriptedClient alice = ScriptedClient.start(aliceIn, "client", "--codec", codec.label(), address);
        assertThat(alice.awaitExit()).isZero();
        Await.until("bob heard alice leave", () -> bob.out.lines().contains("* alice left lobby (quit)"));

        server.close();

        assertThat(bob.awaitExit()).isEqualTo(ClientLoop.EXIT_DISCONNECTED);
        bobIn.close();
        assertThat(alice.out.lines()).containsSubsequence(
                "ok sent #1 to bob",
                "(private) alice -> bob: psst, over here",
                "error UNKNOWN_USER No such user online: nobody");
        List<String> bobLines = bob.out.lines();
        assertThat(bobLines.subList(3, bobLines.size() - 1)).containsExactly(
                "* alice joined lobby",
                "(private) alice -> bob: psst, over here",
                "* alice left lobby (quit)",
                "! closing SERVER_SHUTTING_DOWN Server is shutting down");
        assertThat(bobLines.get(bobLines.size() - 1)).startsWith("! connection closed: ");
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
