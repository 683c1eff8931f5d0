package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shaded {@code wirelab.jar} as people run it: a real server process and a real client process
 * on loopback, the client driven through its stdin, the server stopped with SIGTERM.
 */
@Timeout(120)
class WirelabJarIT {

    private static final Pattern LISTENING = Pattern.compile("listening on tcp/protobuf 127\\.0\\.0\\.1:(\\d+)");

    private final JarProcesses processes = new JarProcesses();

    @AfterEach
    void stopEverything() throws InterruptedException {
        processes.stopAll();
    }

    @Test
    void serverStoppedBySigtermTellsItsClientsAndExitsZero() throws Exception {
        JarProcesses.Running server = processes.start("server", "--bind", "127.0.0.1", "--port", "0", "--codec", "protobuf");
        String listening = Await.value("the server says where it listens",
                () -> server.out.lines().stream().filter(line -> LISTENING.matcher(line).matches()).findFirst().orElse(""),
                line -> !line.isEmpty());
        Matcher matcher = LISTENING.matcher(listening);
        assertThat(matcher.matches()).isTrue();
        String port = matcher.group(1);

        JarProcesses.Running client = processes.start("client", "--codec", "protobuf", "127.0.0.1:" + port);
        client.type("/register carol", "/join room", "hello over a real socket");
        Await.until("the client saw its own message", () -> client.out.has("[room] carol: hello over a real socket"));

        server.process.destroy(); // SIGTERM on Linux

        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).as("server exited").isTrue();
        assertThat(server.process.exitValue()).as("server exit status; stderr %s", server.err).isZero();
        Await.until("the client heard the shutdown",
                () -> client.out.has("! closing SERVER_SHUTTING_DOWN Server is shutting down"));
        assertThat(client.process.waitFor(30, TimeUnit.SECONDS)).as("client exited").isTrue();
        assertThat(client.process.exitValue()).isEqualTo(ClientLoop.EXIT_DISCONNECTED);
        assertThat(client.out.lines()).startsWith(
                "ok Welcome to TCP/IP Educational Server!",
                "ok connected to wirelab/0.1 (protocol 1; PUSH, ROOMS, PRIVATE_MESSAGES, HISTORY_PAGING)",
                "ok Registration successful. Welcome, carol!",
                "ok joined room: carol",
                "ok posted #1",
                "[room] carol: hello over a real socket",
                "! closing SERVER_SHUTTING_DOWN Server is shutting down");
        assertThat(server.err.lines()).anySatisfy(line -> assertThat(line).matches(".* INFO  ChatServer: connected s1 from .*"));
        assertThat(server.err.lines()).anySatisfy(line -> assertThat(line).contains("SIGTERM: shutting down, telling 1 connected client(s)"));
    }

    @Test
    void printsItsVersion() throws Exception {
        JarProcesses.Running version = processes.start("--version");

        assertThat(version.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(version.process.exitValue()).isZero();
        assertThat(version.out.lines().get(0)).matches("wirelab \\d+\\.\\d+\\.\\d+.*");
    }

    static {
        // Fail early and clearly if the launcher JVM cannot be found (a jlink image without "java").
        ProcessHandle.current().info().command().map(Path::of).filter(Files::isExecutable).orElseThrow();
    }
}
