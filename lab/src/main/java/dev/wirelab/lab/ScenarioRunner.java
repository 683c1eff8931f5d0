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
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Runs one scenario with real chat traffic: a {@link ChatServer} on loopback and two
 * {@link ChatClient}s in one room, a sender posting numbered posts on a fixed schedule (open loop:
 * it never waits for a reply) and a receiver recording what arrives in a {@link SequenceTracker}.
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

    ScenarioRunner(CompareSettings settings) {
        this.settings = settings;
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
        Transport serverSide = scenario.link().transport.create(limits,
                scenario.profile().impairment(settings.seed() + 1), udp);
        Transport clientSide = scenario.link().transport.create(limits,
                scenario.profile().impairment(settings.seed()), udp);
        ChatConfig config = ChatConfig.defaults().withRateLimit(RateLimit.UNLIMITED).withZone(ZoneOffset.UTC)
                .withPasswordIterations(1_000);
        long warmupPosts = settings.warmupPosts();
        long measuredPosts = settings.measuredPosts();
        long totalPosts = warmupPosts + measuredPosts;
        SequenceTracker tracker = new SequenceTracker(warmupPosts);
        ChatListener receiving = new ChatListener() {
            @Override
            public void onEvent(Event event) {
                long now = System.nanoTime();
                if (event instanceof Event.RoomMessage room) {
                    parse(room.message().text()).ifPresent(p -> tracker.record(p.seq(), p.intendedNanos(), p.sentNanos(), now));
                }
            }
        };
        try (ChatServer server = ChatServer.start(serverSide, codec,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
             ChatClient receiver = member(clientSide, codec, server.address(), "Receiver", receiving);
             ChatClient sender = member(clientSide, codec, server.address(), "Sender", ChatListener.NONE)) {
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
            long lastIntended = start + (totalPosts - 1) * interval;
            long drain = settings.drain().toNanos() * (scenario.link().reliable() ? 5 : 1);
            while (System.nanoTime() - lastIntended < drain && tracker.delivered() < measuredPosts && !receiver.isClosed()) {
                Thread.sleep(10);
            }
            if (!scenario.link().reliable()) {
                // Unreliable modes never complete; give stragglers the whole drain.
                long left = lastIntended + drain - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(Duration.ofNanos(left));
                }
            }
            return new ScenarioResult(scenario, measuredPosts, tracker.delivered(), tracker.lost(measuredPosts),
                    tracker.duplicated(), tracker.reordered(), tracker.corrected(), tracker.uncorrected(),
                    sender.stats().bytesOut(), sender.stats().framesOut(), totalPosts, "");
        }
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
