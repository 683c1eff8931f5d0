package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.testkit.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shaded {@code wirelab.jar} with impairments, as people run it: a server whose replies are
 * delayed by {@code --impair}, a client pinging it, and {@code wirelab impair} stopped by SIGTERM.
 */
@Timeout(120)
class ImpairJarIT {

    private static final Pattern LISTENING =
            Pattern.compile("listening on tcp/json 127\\.0\\.0\\.1:(\\d+) with impairment delay=40ms");
    private static final Pattern PONG = Pattern.compile("ok pong c\\d+ in (\\d+\\.\\d+) ms");

    private final JarProcesses processes = new JarProcesses();

    @AfterEach
    void stopEverything() throws InterruptedException {
        processes.stopAll();
    }

    @Test
    void aServerWithImpairedRepliesShowsInEveryPing() throws Exception {
        JarProcesses.Running server = processes.start("server", "--bind", "127.0.0.1", "--port", "0", "--impair", "delay=40ms");
        String listening = Await.value("the server says where it listens, and with what impairment",
                () -> server.out.lines().stream().filter(line -> LISTENING.matcher(line).matches()).findFirst().orElse(""),
                line -> !line.isEmpty());
        Matcher matcher = LISTENING.matcher(listening);
        assertThat(matcher.matches()).isTrue();

        JarProcesses.Running client = processes.start("client", "127.0.0.1:" + matcher.group(1));
        client.type("/ping", "/ping", "/ping", "/quit");
        client.process.getOutputStream().close();

        assertThat(client.process.waitFor(30, TimeUnit.SECONDS)).as("client exited").isTrue();
        assertThat(client.process.exitValue()).as("client exit; stderr %s", client.err).isZero();
        List<Double> pings = client.out.lines().stream().map(PONG::matcher).filter(Matcher::matches)
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertThat(pings).as("pings in %s", client.out).hasSize(3).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(40.0));
        assertThat(client.out.lines()).contains("ok Goodbye!"); // the last reply, sent just before the close, still arrives

        server.process.destroy();
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process.exitValue()).isZero();
    }

    @Test
    void theRelayStopsCleanlyOnSigtermAndReportsWhatPassed() throws Exception {
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramChannel client = DatagramChannel.open()) {
            String to = HostPort.format(server.getLocalAddress());
            JarProcesses.Running relay = processes.start("impair", "--udp", "--listen", "127.0.0.1:0", "--to", to,
                    "--spec", "delay=10ms,seed=42", "--loss", "0%", "--report-every", "200ms");
            Pattern relaying = Pattern.compile("relaying udp 127\\.0\\.0\\.1:(\\d+) -> " + Pattern.quote(to)
                    + " with delay=10ms,seed=42");
            String first = Await.value("the relay says where it listens",
                    () -> relay.out.lines().isEmpty() ? "" : relay.out.lines().get(0), line -> !line.isEmpty());
            Matcher matcher = relaying.matcher(first);
            assertThat(matcher.matches()).as(first).isTrue();

            client.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(matcher.group(1))));
            client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(100);
            server.receive(buffer);
            assertThat(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            Await.until("a periodic report counts it",
                    () -> relay.out.lines().stream().anyMatch(line -> line.startsWith("udp: to server 1 passed (5 B)")));

            relay.process.destroy(); // SIGTERM

            assertThat(relay.process.waitFor(30, TimeUnit.SECONDS)).as("relay exited").isTrue();
            assertThat(relay.process.exitValue()).as("exit status; stderr %s", relay.err).isZero();
            // Counts are printed when they changed (after the datagram; nothing while idle), and at the stop.
            List<String> lines = relay.out.lines();
            List<String> periodic = lines.subList(1, lines.size() - 1);
            assertThat(periodic).as("the periodic lines").isNotEmpty().doesNotHaveDuplicates()
                    .allSatisfy(line -> assertThat(line).startsWith("udp: to server "));
            assertThat(periodic.get(periodic.size() - 1)).startsWith("udp: to server 1 passed (5 B), 0 lost, 0 duplicated");
            assertThat(lines.get(lines.size() - 1)).startsWith("udp: to server 1 passed (5 B), 0 lost, 0 duplicated");
            assertThat(relay.err.lines()).anySatisfy(line -> assertThat(line).contains("SIGTERM: stopped relaying"));
        }
    }


}
