package dev.wirelab.lab;

import dev.wirelab.chat.ChatClient;
import dev.wirelab.chat.ChatConfig;
import dev.wirelab.chat.ChatListener;
import dev.wirelab.chat.ChatServer;
import dev.wirelab.chat.RateLimit;
import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.TrafficStats;
import dev.wirelab.transport.Transport;
import dev.wirelab.transport.udp.UdpTransport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Runs one scenario with real chat traffic: a {@link ChatServer} on loopback and
 * {@link ChatClient}s in one room, a sender posting numbered posts on a fixed schedule (open loop:
 * it never waits for a reply) and one or more receivers each recording what arrives in a
 * {@link SequenceTracker}.
 *
 * <p>Each post's text is {@code #SEQ INTENDED SENT} then padding, the two times being
 * {@link System#nanoTime()} of this JVM: sender and receiver share one monotonic clock, so the
 * latency is one-way (sender to server to receiver), not half a round trip.
 */
final class ScenarioRunner {

    private static final String ROOM = "lab";
    /** Setup requests are retried this often: on unreliable UDP under loss a request or its reply may vanish. */
    private static final int SETUP_ATTEMPTS = 10;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(1);

    private final CompareSettings settings;
    private final LongSupplier tcpRetransmits;

    /**
     * @param tcpRetransmits TCP segments retransmitted so far where only this run's traffic counts
     *                       (the kernel's counter in a private network namespace), or -1 when the
     *                       counter would mix in other traffic
     */
    ScenarioRunner(CompareSettings settings, LongSupplier tcpRetransmits) {
        this.settings = settings;
        this.tcpRetransmits = tcpRetransmits;
    }

    /** A runner that does not count TCP's retransmissions (they are the whole machine's here). */
    ScenarioRunner(CompareSettings settings) {
        this(settings, () -> -1);
    }

    /** Runs the scenario; failures to set up come back as a result with an error, not as an exception. */
    ScenarioResult run(Scenario scenario) {
        try {
            return measure(scenario);
        } catch (IOException | RuntimeException e) {
            return ScenarioResult.failed(scenario, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScenarioResult.failed(scenario, "interrupted");
        }
    }

    private ScenarioResult measure(Scenario scenario) throws IOException, InterruptedException {
        Limits limits = Limits.DEFAULTS;
        Codec codec = scenario.codec().create(limits);
        TransportKind.UdpChoice udp = new TransportKind.UdpChoice(scenario.link().delivery,
                TransportKind.UdpChoice.DEFAULT.profile());
        ScenarioProfile profile = scenario.profile();
        long seed = settings.seed();
        // Every endpoint has a transport of its own, so each one's counters are its own traffic, and
        // its own impairment: sender seed N, server N+1, receiver i N+2+i.
        Transport serverSide = scenario.link().transport.create(limits, profile.impairment(seed + 1), udp);
        Transport senderSide = scenario.link().transport.create(limits, profile.impairment(seed), udp);
        List<Transport> receiverSides = new ArrayList<>();
        for (int i = 0; i < settings.receivers(); i++) {
            receiverSides.add(scenario.link().transport.create(limits, profile.impairment(seed + 2 + i), udp));
        }
        ChatConfig config = ChatConfig.defaults().withRateLimit(RateLimit.UNLIMITED).withZone(ZoneOffset.UTC)
                .withPasswordIterations(1_000);
        long warmupPosts = settings.warmupPosts();
        long measuredPosts = settings.measuredPosts();
        long totalPosts = warmupPosts + measuredPosts;
        List<SequenceTracker> trackers = new ArrayList<>();
        long tcpRetransmitsBefore = tcpRetransmits.getAsLong();
        long cpuBefore = processCpuNanos();
        TrafficStats senderStats;
        List<ChatClient> receivers = new ArrayList<>();
        try (ChatServer server = ChatServer.start(serverSide, codec,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config)) {
            try {
                for (int i = 0; i < settings.receivers(); i++) {
                    SequenceTracker tracker = new SequenceTracker(warmupPosts);
                    trackers.add(tracker);
                    receivers.add(member(receiverSides.get(i), codec, server.address(), "Receiver" + i,
                            recorder(tracker)));
                }
                try (ChatClient sender = member(senderSide, codec, server.address(), "Sender", ChatListener.NONE)) {
                    long lastIntended = post(sender, totalPosts);
                    drain(scenario, trackers, receivers, measuredPosts, lastIntended);
                    senderStats = sender.stats();
                }
            } finally {
                for (ChatClient receiver : receivers) {
                    receiver.close();
                }
            }
        }
        long cpu = cpuBefore < 0 ? -1 : processCpuNanos() - cpuBefore;
        long packets = senderSide instanceof UdpTransport u ? u.counters().datagramsOut() : senderStats.framesOut();
        int headers = scenario.link().transport == TransportKind.UDP ? IPV4_UDP_HEADER_BYTES : IPV4_TCP_HEADER_BYTES;
        ScenarioResult.Wire wire = new ScenarioResult.Wire(senderStats.bytesOut(), packets, headers, totalPosts);
        return merge(scenario, trackers, measuredPosts, wire, retransmits(scenario, tcpRetransmitsBefore,
                serverSide, senderSide, receiverSides), cpu);
    }

    /** IPv4 (20) + UDP (8) header bytes per datagram. */
    static final int IPV4_UDP_HEADER_BYTES = 28;
    /** IPv4 (20) + TCP (20) + the timestamp option Linux puts on every segment (12). */
    static final int IPV4_TCP_HEADER_BYTES = 52;

    private static ChatListener recorder(SequenceTracker tracker) {
        return new ChatListener() {
            @Override
            public void onEvent(Event event) {
                long now = System.nanoTime();
                if (event instanceof Event.RoomMessage room) {
                    parse(room.message().text())
                            .ifPresent(p -> tracker.record(p.seq(), p.intendedNanos(), p.sentNanos(), now));
                }
            }
        };
    }

    /**
     * Posts {@code totalPosts} numbered posts on the fixed schedule, never waiting for a reply, and
     * returns when the last was meant to go.
     */
    private long post(ChatClient sender, long totalPosts) throws IOException {
        long interval = 1_000_000_000L / settings.rate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (long i = 0; i < totalPosts; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long seq = i;
            sender.send(id -> new Request.Post(id, ROOM, text(seq, intended, System.nanoTime(), settings.size())));
        }
        return start + (totalPosts - 1) * interval;
    }

    /** Waits for stragglers: reliable links until all arrived (or five drains), others one whole drain. */
    private void drain(Scenario scenario, List<SequenceTracker> trackers, List<ChatClient> receivers,
                       long measuredPosts, long lastIntended) throws InterruptedException {
        long drain = settings.drain().toNanos() * (scenario.link().reliable() ? 5 : 1);
        while (System.nanoTime() - lastIntended < drain
                && !trackers.stream().allMatch(t -> t.delivered() >= measuredPosts)
                && receivers.stream().noneMatch(ChatClient::isClosed)) {
            Thread.sleep(10);
        }
        if (!scenario.link().reliable()) {
            // Unreliable modes never complete; give stragglers the whole drain.
            long left = lastIntended + drain - System.nanoTime();
            if (left > 0) {
                Thread.sleep(Duration.ofNanos(left));
            }
        }
    }

    private ScenarioResult merge(Scenario scenario, List<SequenceTracker> trackers, long measuredPosts,
                                 ScenarioResult.Wire wire, long retransmits, long cpu) {
        Histogram corrected = new Histogram(SequenceTracker.HIGHEST_NANOS, 3);
        Histogram uncorrected = new Histogram(SequenceTracker.HIGHEST_NANOS, 3);
        long delivered = 0;
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        long jitter = 0;
        for (SequenceTracker t : trackers) {
            corrected.add(t.corrected());
            uncorrected.add(t.uncorrected());
            delivered += t.delivered();
            lost += t.lost(measuredPosts);
            duplicated += t.duplicated();
            reordered += t.reordered();
            jitter += t.jitterNanos();
        }
        return new ScenarioResult(scenario, trackers.size(), measuredPosts, delivered, lost, duplicated, reordered,
                corrected, uncorrected, trackers.isEmpty() ? 0 : jitter / trackers.size(),
                settings.measure().toNanos(), settings.size(), wire, retransmits, cpu, "");
    }

    /**
     * Every endpoint's retransmissions: the UDP engines' own counts (of connections now closed), or
     * TCP's segments retransmitted in this network namespace when the caller can read them.
     */
    private long retransmits(Scenario scenario, long tcpBefore, Transport server, Transport sender,
                             List<Transport> receivers) {
        if (scenario.link().transport == TransportKind.TCP) {
            long after = tcpRetransmits.getAsLong();
            return tcpBefore < 0 || after < 0 ? -1 : after - tcpBefore;
        }
        long total = 0;
        List<Transport> all = new ArrayList<>(receivers);
        all.add(server);
        all.add(sender);
        for (Transport t : all) {
            if (t instanceof UdpTransport u) {
                total += u.counters().retransmits();
            }
        }
        return total;
    }

    /** CPU time of this process so far, or -1 where the JVM cannot say. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Connects, says HELLO with PUSH, registers {@code name} and joins the room, retrying each step lost on the way. */
    private static ChatClient member(Transport transport, Codec codec, SocketAddress server, String name,
                                     ChatListener listener) throws IOException, InterruptedException {
        ChatClient client = connect(transport, codec, server, listener);
        try {
            ask(client, id -> new Request.Hello(id, "wirelab-compare", EnumSet.of(Capability.PUSH)));
            ask(client, id -> new Request.Register(id, name, Password.NONE));
            ask(client, id -> new Request.Join(id, ROOM));
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static ChatClient connect(Transport transport, Codec codec, SocketAddress server, ChatListener listener)
            throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < SETUP_ATTEMPTS; attempt++) {
            FutureTask<ChatClient> task = new FutureTask<>(() -> ChatClient.connect(transport, codec, server, listener));
            Thread.ofVirtual().name("compare-connect").start(task);
            try {
                return task.get(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                task.cancel(true);
                last = new IOException("no welcome from " + server + " within " + SETUP_TIMEOUT);
            } catch (ExecutionException e) {
                last = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        throw last;
    }

    /**
     * Calls and retries until some reply comes. A retried REGISTER or JOIN may be answered with a
     * failure (already done): the first attempt reached the server, which is all that matters.
     */
    private static void ask(ChatClient client, Function<RequestId, ? extends Request> request) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < SETUP_ATTEMPTS; attempt++) {
            try {
                Reply reply = client.call(request, SETUP_TIMEOUT);
                if (!(reply instanceof Reply.Failed) || attempt > 0) {
                    return;
                }
                throw new IOException("setup failed: " + reply);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (client.isClosed()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** What a post's text carries. */
    record Post(long seq, long intendedNanos, long sentNanos) {
    }

    /** {@code #SEQ INTENDED SENT} padded with dots to {@code size} characters. */
    static String text(long seq, long intendedNanos, long sentNanos, int size) {
        StringBuilder text = new StringBuilder(size).append('#').append(seq).append(' ').append(intendedNanos)
                .append(' ').append(sentNanos).append(' ');
        while (text.length() < size) {
            text.append('.');
        }
        return text.toString();
    }

    /** The numbers in a post's text, or empty if it is not one of ours. */
    static Optional<Post> parse(String text) {
        if (!text.startsWith("#")) {
            return Optional.empty();
        }
        String[] parts = text.substring(1).split(" ", 4);
        if (parts.length < 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Post(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
