package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shaded {@code wirelab.jar} over UDP as people run it: a server process and two client
 * processes, every one of them dropping a fifth of the datagrams it sends ({@code --impair}, seeded),
 * and the reliable delivery modes still bringing every post across.
 */
@Timeout(180)
class WirelabUdpJarIT {

    /** Generous: JVMs starting on a loaded 2-core machine, then retransmissions under 20% loss each way. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Fewer than the server's rate limit lets through at once (a burst of 20), however fast bob types. */
    private static final int POSTS = 15;

    private final JarProcesses processes = new JarProcesses();

    @AfterEach
    void stopEverything() throws InterruptedException {
        processes.stopAll();
    }

    @ParameterizedTest(name = "{0} over udp/{1}")
    @CsvSource({"reliable-ordered, json", "reliable, protobuf"})
    void everyPostCrossesALossyLinkBetweenClientProcesses(String delivery, String codec) throws Exception {
        JarProcesses.Running server = processes.start("server", "--bind", "127.0.0.1", "--port", "0",
                "--transport", "udp", "--codec", codec, "--delivery", delivery, "--impair", "loss=20%,seed=3");
        Matcher listening = server.awaitLine("the server says where it listens",
                Pattern.compile("listening on udp/" + codec + " 127\\.0\\.0\\.1:(\\d+) \\(" + delivery
                        + ", quic-like\\) with impairment loss=20%,seed=3"), PATIENCE);
        String address = "127.0.0.1:" + listening.group(1);
        String[] client = {"client", "--transport", "udp", "--codec", codec, "--delivery", delivery,
                "--impair", "loss=20%,seed=4", address};

        // Alice's stdin stays open until she has seen every post: the end of input would make her quit.
        JarProcesses.Running alice = processes.start(client);
        alice.type("/register alice", "/join room");
        alice.awaitLine("alice is in the room", Pattern.compile("ok joined room: alice"), PATIENCE);

        JarProcesses.Running bob = processes.start(client);
        List<String> posts = IntStream.rangeClosed(1, POSTS).mapToObj(i -> "post " + i + " from bob").toList();
        bob.type("/register bob", "/join room");
        bob.type(posts);
        bob.type("/quit");
        bob.endInput();

        Await.until("alice saw all " + POSTS + " posts", () -> postsSeenBy(alice).size() >= POSTS, PATIENCE);
        assertThat(bob.awaitExit(PATIENCE)).as("bob's exit status; stderr %s", bob.err).isZero();
        alice.type("/quit");
        alice.endInput();
        assertThat(alice.awaitExit(PATIENCE)).as("alice's exit status; stderr %s", alice.err).isZero();

        List<String> expected = posts.stream().map(post -> "[room] bob: " + post).toList();
        if (delivery.equals("reliable-ordered")) {
            assertThat(postsSeenBy(alice)).as("alice's lines %s", alice.out).containsExactlyElementsOf(expected);
        } else {
            assertThat(postsSeenBy(alice)).as("alice's lines %s", alice.out).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(alice.out.lines()).contains("ok Goodbye!");
        assertThat(bob.out.lines()).contains("ok posted #" + POSTS, "ok Goodbye!")
                .noneSatisfy(line -> assertThat(line).startsWith("error"));
        assertThat(alice.err.lines()).anySatisfy(line -> assertThat(line)
                .endsWith("connected to " + address + " over udp/" + codec + " (" + delivery
                        + ", quic-like) with impairment loss=20%,seed=4"));

        server.process.destroy(); // SIGTERM
        assertThat(server.awaitExit(PATIENCE)).as("server exit status; stderr %s", server.err).isZero();
    }

    private static List<String> postsSeenBy(JarProcesses.Running client) {
        return client.out.lines().stream().filter(line -> line.startsWith("[room] bob: ")).toList();
    }
}
