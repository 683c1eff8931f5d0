package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shaded {@code wirelab.jar} as people run it over TCP: a real server process and real client
 * processes on loopback, the clients driven through their stdin, the server stopped with SIGTERM or
 * SIGINT.
 */
@Timeout(180)
class WirelabJarIT {

    /** Generous: a JVM starting on a loaded 2-core machine, then a chat. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final String HELLO_LINE =
            "ok connected to wirelab/0.1 (protocol 1; PUSH, ROOMS, PRIVATE_MESSAGES, HISTORY_PAGING)";

    private final JarProcesses processes = new JarProcesses();

    @AfterEach
    void stopEverything() throws InterruptedException {
        processes.stopAll();
    }

    /** Starts {@code wirelab server} on a free loopback port and returns it once it says where it listens. */
    private Started startServer(CodecKind codec) throws IOException {
        JarProcesses.Running server = processes.start("server", "--bind", "127.0.0.1", "--port", "0",
                "--codec", codec.label());
        Matcher listening = server.awaitLine("the server says where it listens",
                Pattern.compile("listening on tcp/" + codec.label() + " 127\\.0\\.0\\.1:(\\d+)"), PATIENCE);
        return new Started(server, "127.0.0.1:" + listening.group(1));
    }

    private record Started(JarProcesses.Running server, String address) {
    }

    @ParameterizedTest
    @EnumSource(CodecKind.class)
    void twoClientProcessesChatInARoomAndPrivately(CodecKind codec) throws Exception {
        Started started = startServer(codec);
        JarProcesses.Running alice = processes.start("client", "--codec", codec.label(), started.address());
        alice.type("/register alice", "/join room");
        alice.awaitLine("alice is in the room", Pattern.compile("ok joined room: alice"), PATIENCE);

        JarProcesses.Running bob = processes.start("client", "--codec", codec.label(), started.address());
        // Fewer posts and private messages than the server's rate limit lets through at once (a burst of 20).
        List<String> posts = IntStream.rangeClosed(1, 15).mapToObj(i -> "post " + i + " from bob").toList();
        bob.type("/register bob", "/join room");
        bob.type(posts);
        bob.type("/msg alice psst, over here", "/quit");
        bob.endInput();
        assertThat(bob.awaitExit(PATIENCE)).as("bob's exit status; stderr %s", bob.err).isZero();

        alice.awaitLine("alice saw bob leave", Pattern.compile("\\* bob left room \\(quit\\)"), PATIENCE);
        alice.type("/quit");
        alice.endInput();
        assertThat(alice.awaitExit(PATIENCE)).as("alice's exit status; stderr %s", alice.err).isZero();

        List<String> aliceExpected = new ArrayList<>(List.of(
                "ok Welcome to TCP/IP Educational Server!",
                HELLO_LINE,
                "ok Registration successful. Welcome, alice!",
                "ok joined room: alice",
                "* bob joined lobby",
                "* bob joined room"));
        posts.forEach(post -> aliceExpected.add("[room] bob: " + post));
        aliceExpected.addAll(List.of(
                "(private) bob -> alice: psst, over here",
                "* bob left lobby (quit)",
                "* bob left room (quit)",
                "ok Goodbye!"));
        assertThat(alice.out.lines()).containsExactlyElementsOf(aliceExpected);

        List<String> bobExpected = new ArrayList<>(List.of(
                "ok Welcome to TCP/IP Educational Server!",
                HELLO_LINE,
                "ok Registration successful. Welcome, bob!",
                "ok joined room: alice, bob"));
        for (int i = 0; i < posts.size(); i++) {
            bobExpected.add("ok posted #" + (i + 1));
            bobExpected.add("[room] bob: " + posts.get(i));
        }
        bobExpected.addAll(List.of(
                "ok sent #" + (posts.size() + 1) + " to alice",
                "(private) bob -> alice: psst, over here",
                "ok Goodbye!"));
        assertThat(bob.out.lines()).containsExactlyElementsOf(bobExpected);

        assertThat(started.server().err.lines())
                .anySatisfy(line -> assertThat(line).matches(".* INFO  ChatServer: connected s1 from .*"))
                .anySatisfy(line -> assertThat(line).matches(".* INFO  ChatServer: connected s2 from .*"));
    }

    @Test
    void serverStoppedBySigtermTellsItsClientsAndExitsZero() throws Exception {
        Started started = startServer(CodecKind.PROTOBUF);
        JarProcesses.Running server = started.server();
        JarProcesses.Running client = chattingClient(started, CodecKind.PROTOBUF);

        server.process.destroy(); // SIGTERM on Linux

        assertStoppedCleanly(server, client, "SIGTERM");
    }

    @Test
    void serverStoppedBySigintTellsItsClientsAndExitsZero() throws Exception {
        Started started = startServer(CodecKind.JSON);
        JarProcesses.Running server = started.server();
        // A process started in the background by a non-interactive shell ignores SIGINT, and so do
        // its children: then the JVM cannot catch it either, and Ctrl-C would not reach it anyway.
        Assumptions.assumeFalse(ignoresSigint(server.process.pid()),
                "SIGINT is ignored by this process tree (started in the background?), so it cannot be tested");
        JarProcesses.Running client = chattingClient(started, CodecKind.JSON);

        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -INT").isZero();

        assertStoppedCleanly(server, client, "SIGINT");
    }

    private JarProcesses.Running chattingClient(Started started, CodecKind codec) throws IOException {
        JarProcesses.Running client = processes.start("client", "--codec", codec.label(), started.address());
        client.type("/register carol", "/join room", "hello over a real socket");
        client.awaitLine("the client saw its own message",
                Pattern.compile(Pattern.quote("[room] carol: hello over a real socket")), PATIENCE);
        return client;
    }

    private void assertStoppedCleanly(JarProcesses.Running server, JarProcesses.Running client, String signal)
            throws InterruptedException {
        assertThat(server.awaitExit(PATIENCE)).as("server exit status; stderr %s", server.err).isZero();
        client.awaitLine("the client heard the shutdown",
                Pattern.compile(Pattern.quote("! closing SERVER_SHUTTING_DOWN Server is shutting down")), PATIENCE);
        assertThat(client.awaitExit(PATIENCE)).isEqualTo(ClientLoop.EXIT_DISCONNECTED);
        assertThat(client.out.lines()).startsWith(
                "ok Welcome to TCP/IP Educational Server!",
                HELLO_LINE,
                "ok Registration successful. Welcome, carol!",
                "ok joined room: carol",
                "ok posted #1",
                "[room] carol: hello over a real socket",
                "! closing SERVER_SHUTTING_DOWN Server is shutting down");
        assertThat(server.err.lines()).anySatisfy(line -> assertThat(line).matches(".* INFO  ChatServer: connected s1 from .*"));
        assertThat(server.err.lines())
                .anySatisfy(line -> assertThat(line).contains(signal + ": shutting down, telling 1 connected client(s)"));
    }

    /** Whether the process ignores SIGINT, from its {@code SigIgn} mask in {@code /proc}; false where there is none. */
    private static boolean ignoresSigint(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                return (mask & (1L << (2 - 1))) != 0; // SIGINT is signal 2, bit 1
            }
        }
        return false;
    }

    @Test
    void printsItsVersion() throws Exception {
        JarProcesses.Running version = processes.start("--version");

        assertThat(version.awaitExit(PATIENCE)).isZero();
        assertThat(version.out.lines().get(0)).matches("wirelab \\d+\\.\\d+\\.\\d+.*");
    }

    static {
        // Fail early and clearly if the launcher JVM cannot be found (a jlink image without "java").
        ProcessHandle.current().info().command().map(Path::of).filter(Files::isExecutable).orElseThrow();
    }
}
