package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.testkit.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private final List<Running> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Running process : started) {
            process.process.destroyForcibly();
            process.process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverStoppedBySigtermTellsItsClientsAndExitsZero() throws Exception {
        Running server = start("server", "--bind", "127.0.0.1", "--port", "0", "--codec", "protobuf");
        String listening = Await.value("the server says where it listens",
                () -> server.out.lines().stream().filter(line -> LISTENING.matcher(line).matches()).findFirst().orElse(""),
                line -> !line.isEmpty());
        Matcher matcher = LISTENING.matcher(listening);
        assertThat(matcher.matches()).isTrue();
        String port = matcher.group(1);

        Running client = start("client", "--codec", "protobuf", "127.0.0.1:" + port);
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
        Running version = start("--version");

        assertThat(version.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(version.process.exitValue()).isZero();
        assertThat(version.out.lines().get(0)).matches("wirelab \\d+\\.\\d+\\.\\d+.*");
    }

    private Running start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "wirelab.jar");
        assertThat(jar).as("the shaded jar (built in the package phase)").isRegularFile();
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path dir = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "it-processes"));
        Path out = Files.createTempFile(dir, args[0].replace("-", ""), ".out");
        Path err = Files.createTempFile(dir, args[0].replace("-", ""), ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Running running = new Running(process, out, err);
        started.add(running);
        return running;
    }

    /**
     * A process whose stdout and stderr go to files, read whole on every look: a thread reading a
     * process's pipe can lose the last lines to "Stream closed" when the process exits meanwhile.
     */
    private static final class Running {
        final Process process;
        final Output out;
        final Output err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = new Output(out);
            this.err = new Output(err);
        }

        void type(String... lines) throws IOException {
            OutputStream in = process.getOutputStream();
            for (String line : lines) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.flush();
        }
    }

    /** The complete lines a process has written to a file so far. */
    private record Output(Path file) {
        List<String> lines() {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean has(String line) {
            return lines().contains(line);
        }

        @Override
        public String toString() {
            return String.join("\n", lines());
        }
    }

    static {
        // Fail early and clearly if the launcher JVM cannot be found (a jlink image without "java").
        ProcessHandle.current().info().command().map(Path::of).filter(Files::isExecutable).orElseThrow();
    }
}
