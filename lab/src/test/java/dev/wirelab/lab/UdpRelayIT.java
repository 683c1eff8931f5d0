package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.LinkModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The UDP relay between raw datagram sockets on loopback: loss as the seeded link model predicts
 * it, delay as a lower bound both ways, one upstream peer per client, idle expiry, no truncation,
 * and the {@code wirelab impair --udp} command around it.
 */
@Timeout(60)
class UdpRelayIT {

    private static final InetSocketAddress LOOPBACK_ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final long MS = 1_000_000L;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** A datagram socket on loopback, standing in for the server. */
    private DatagramChannel server() throws IOException {
        return closeLater(DatagramChannel.open().bind(LOOPBACK_ANY));
    }

    private UdpRelay relay(DatagramChannel server, Impairment toServer, Impairment toClient, Duration idle)
            throws IOException {
        return closeLater(UdpRelay.start(LOOPBACK_ANY, (InetSocketAddress) server.getLocalAddress(), toServer, toClient,
                System::nanoTime, idle));
    }

    private DatagramChannel client(UdpRelay relay) throws IOException {
        return closeLater(DatagramChannel.open().connect(relay.localAddress()));
    }

    /** Reads datagrams on a virtual thread and hands each one, with its sender, to {@code received}. */
    private static void readInto(DatagramChannel channel, BlockingQueue<Received> received) {
        Thread.ofVirtual().start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(UdpRelay.BUFFER_BYTES);
            while (channel.isOpen()) {
                buffer.clear();
                try {
                    SocketAddress from = channel.receive(buffer);
                    long at = System.nanoTime();
                    buffer.flip();
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    received.add(new Received(from, bytes, at));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private record Received(SocketAddress from, byte[] bytes, long atNanos) {
        int index() {
            return ByteBuffer.wrap(bytes).getInt();
        }

        long firstLong() {
            return ByteBuffer.wrap(bytes).getLong();
        }
    }

    private static ByteBuffer intDatagram(int value) {
        return ByteBuffer.allocate(4).putInt(value).flip();
    }

    /** Sends datagrams 0..n-1 through a relay with {@code spec} toward the server; returns the indices delivered. */
    private Set<Integer> delivered(String spec, int n) throws Exception {
        DatagramChannel server = server();
        UdpRelay relay = relay(server, Impairment.parse(spec), Impairment.NONE, UdpRelay.IDLE_TIMEOUT_DEFAULT);
        DatagramChannel client = client(relay);
        ConcurrentSkipListSet<Integer> indices = new ConcurrentSkipListSet<>();
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        readInto(server, received);
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    indices.add(received.take().index());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // The model says how many of each batch get through; waiting for them before the next batch
        // keeps loopback's socket buffers from dropping anything of their own.
        LinkModel model = new LinkModel(Impairment.parse(spec));
        int expected = 0;
        for (int i = 0; i < n; i++) {
            client.write(intDatagram(i));
            expected += model.send(new byte[4], 0).size();
            if (i % 50 == 49 || i == n - 1) {
                int target = expected;
                Await.until(target + " datagrams at the server", () -> indices.size() >= target);
            }
        }
        assertThat(indices).hasSize(expected);
        return new TreeSet<>(indices);
    }

    @Test
    void twentyPercentLossDeliversAboutEightyPercentTheSameOnEveryRun() throws Exception {
        int n = 1_000;
        Set<Integer> first = delivered("loss=20%,seed=42", n);
        Set<Integer> second = delivered("loss=20%,seed=42", n);
        Set<Integer> other = delivered("loss=20%,seed=43", n);

        assertThat(first.size()).as("delivered of %d", n).isBetween(700, 900);
        assertThat(second).as("the same seed loses the same datagrams").isEqualTo(first);
        assertThat(other).as("another seed loses others").isNotEqualTo(first);

        // Exactly the datagrams the link model keeps, as the docs promise.
        LinkModel model = new LinkModel(Impairment.parse("loss=20%,seed=42"));
        Set<Integer> predicted = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (!model.send(new byte[4], 0).isEmpty()) {
                predicted.add(i);
            }
        }
        assertThat(first).isEqualTo(predicted);
    }

    @Test
    void fiftyMillisecondsOfDelayIsALowerBoundBothWays() throws Exception {
        DatagramChannel server = server();
        Impairment delay = Impairment.parse("delay=50ms,jitter=5ms");
        UdpRelay relay = relay(server, delay.withSeed(1), delay.withSeed(2), UdpRelay.IDLE_TIMEOUT_DEFAULT);
        DatagramChannel client = client(relay);
        BlockingQueue<Received> atServer = new LinkedBlockingQueue<>();
        BlockingQueue<Received> atClient = new LinkedBlockingQueue<>();
        readInto(server, atServer);
        readInto(client, atClient);

        for (int i = 0; i < 20; i++) {
            client.write(ByteBuffer.allocate(8).putLong(System.nanoTime()).flip());
        }
        for (int i = 0; i < 20; i++) {
            Received one = atServer.poll(10, TimeUnit.SECONDS);
            assertThat(one).as("datagram %d at the server", i).isNotNull();
            assertThat(one.atNanos() - one.firstLong()).as("one way, ns").isGreaterThanOrEqualTo(50 * MS);
            server.send(ByteBuffer.wrap(one.bytes()), one.from()); // echo through the relay
        }
        for (int i = 0; i < 20; i++) {
            Received echo = atClient.poll(10, TimeUnit.SECONDS);
            assertThat(echo).as("echo %d at the client", i).isNotNull();
            assertThat(echo.atNanos() - echo.firstLong()).as("round trip, ns").isGreaterThanOrEqualTo(100 * MS);
        }
        // The relay counts a datagram once its send returns, which may be just after it arrived.
        Await.until("the counts catch up", () -> relay.statusLine().equals("udp: to server 20 passed (160 B), 0 lost, "
                + "0 duplicated; to client 20 passed (160 B), 0 lost, 0 duplicated; 1 client(s) now, 1 in all"));
    }

    @Test
    void theServerSeesEachClientAsAPeerOfItsOwn() throws Exception {
        DatagramChannel server = server();
        UdpRelay relay = relay(server, Impairment.NONE, Impairment.NONE, UdpRelay.IDLE_TIMEOUT_DEFAULT);
        DatagramChannel alice = client(relay);
        DatagramChannel bob = client(relay);
        BlockingQueue<Received> atServer = new LinkedBlockingQueue<>();
        BlockingQueue<Received> atAlice = new LinkedBlockingQueue<>();
        BlockingQueue<Received> atBob = new LinkedBlockingQueue<>();
        readInto(server, atServer);
        readInto(alice, atAlice);
        readInto(bob, atBob);

        alice.write(intDatagram(1));
        Received fromAlice = atServer.poll(10, TimeUnit.SECONDS);
        bob.write(intDatagram(2));
        Received fromBob = atServer.poll(10, TimeUnit.SECONDS);

        assertThat(fromAlice.index()).isEqualTo(1);
        assertThat(fromBob.index()).isEqualTo(2);
        assertThat(fromAlice.from()).isNotEqualTo(fromBob.from());
        server.send(intDatagram(10), fromBob.from());
        server.send(intDatagram(20), fromAlice.from());
        assertThat(atBob.poll(10, TimeUnit.SECONDS).index()).isEqualTo(10);
        assertThat(atAlice.poll(10, TimeUnit.SECONDS).index()).isEqualTo(20);
        assertThat(relay.mappings()).isEqualTo(2);
    }

    @Test
    void anIdleClientLosesItsMappingAndGetsANewOneWhenItComesBack() throws Exception {
        DatagramChannel server = server();
        UdpRelay relay = relay(server, Impairment.NONE, Impairment.NONE, Duration.ofMillis(200));
        DatagramChannel client = client(relay);
        BlockingQueue<Received> atServer = new LinkedBlockingQueue<>();
        readInto(server, atServer);

        client.write(intDatagram(1));
        SocketAddress firstPeer = atServer.poll(10, TimeUnit.SECONDS).from();
        assertThat(relay.mappings()).isEqualTo(1);
        Await.until("the idle mapping expires", () -> relay.mappings() == 0);

        client.write(intDatagram(2));
        Received again = atServer.poll(10, TimeUnit.SECONDS);
        assertThat(again.index()).isEqualTo(2);
        assertThat(again.from()).as("a new upstream socket").isNotEqualTo(firstPeer);
        assertThat(relay.statusLine()).endsWith("1 client(s) now, 2 in all");
    }

    @Test
    void neverTruncatesTheLargestDatagram() throws Exception {
        DatagramChannel server = server();
        UdpRelay relay = relay(server, Impairment.NONE, Impairment.NONE, UdpRelay.IDLE_TIMEOUT_DEFAULT);
        DatagramChannel client = client(relay);
        BlockingQueue<Received> atServer = new LinkedBlockingQueue<>();
        readInto(server, atServer);
        byte[] largest = new byte[65_507]; // the most an IPv4 UDP datagram carries
        for (int i = 0; i < largest.length; i++) {
            largest[i] = (byte) i;
        }

        client.write(ByteBuffer.wrap(largest));

        assertThat(atServer.poll(10, TimeUnit.SECONDS).bytes()).isEqualTo(largest);
    }

    @Test
    void theImpairCommandRelaysUntilItIsStoppedAndReportsItsCounts() throws Exception {
        DatagramChannel server = server();
        BlockingQueue<Received> atServer = new LinkedBlockingQueue<>();
        readInto(server, atServer);
        CapturedLines out = new CapturedLines();
        CapturedLines err = new CapturedLines();
        Io io = new Io(new java.io.ByteArrayInputStream(new byte[0]), out.writer(), err.writer(), false, false);
        CommandLine commandLine = Wirelab.commandLine(io);
        ImpairCommand command = (ImpairCommand) commandLine.getSubcommands().get("impair").getCommand();
        AtomicInteger exit = new AtomicInteger(-1);
        String to = HostPort.format(server.getLocalAddress());
        Thread running = Thread.ofPlatform().start(() -> exit.set(commandLine.execute("impair", "--udp",
                "--listen", "127.0.0.1:0", "--to", to, "--delay", "10ms", "--seed", "42", "--report-every", "100ms")));

        Pattern relaying = Pattern.compile("relaying udp 127\\.0\\.0\\.1:(\\d+) -> " + Pattern.quote(to)
                + " with delay=10ms,seed=42");
        String first = Await.value("the relay says where it listens",
                () -> out.lines().isEmpty() ? "" : out.lines().get(0), line -> !line.isEmpty());
        Matcher matcher = relaying.matcher(first);
        assertThat(matcher.matches()).as(first).isTrue();
        DatagramChannel client = closeLater(DatagramChannel.open()
                .connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(matcher.group(1)))));
        client.write(intDatagram(7));
        assertThat(atServer.poll(10, TimeUnit.SECONDS).index()).isEqualTo(7);
        Await.until("a report counts it", () -> out.lines().stream().anyMatch(line -> line.startsWith("udp: to server 1 passed (4 B)")));

        command.requestStop();
        running.join(10_000);

        assertThat(exit.get()).isZero();
        List<String> lines = out.lines();
        assertThat(lines.get(lines.size() - 1)).startsWith("udp: to server 1 passed (4 B), 0 lost, 0 duplicated; "
                + "to client 0 passed (0 B)");
        assertThat(err.text()).isEmpty();
    }
}
