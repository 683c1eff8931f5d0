package dev.wirelab.benchmarks;

import dev.wirelab.chat.ChatClient;
import dev.wirelab.chat.ChatConfig;
import dev.wirelab.chat.ChatListener;
import dev.wirelab.chat.ChatServer;
import dev.wirelab.chat.RateLimit;
import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chat's fan-out: a {@link ChatServer} on loopback, one sender and {@code receivers} clients in
 * one room (all in this JVM, so they share its two cores with the server). A post goes to the server
 * and from there to every member.
 *
 * <ul>
 *   <li>{@code latency} (sample time): post one message and wait until all receivers have it: the
 *       end-to-end latency to the last receiver.</li>
 *   <li>{@code deliveries} (throughput): post with up to {@value #WINDOW} posts not yet delivered to
 *       everyone; the score is posts per second and {@code deliveries} is messages delivered to
 *       receivers per second (posts times receivers).</li>
 * </ul>
 *
 * <p>UDP runs reliable-ordered, as the chat needs. A post not delivered everywhere within
 * {@value #TIMEOUT_SECONDS} s fails the benchmark.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanOutBenchmark {

    static final int WINDOW = 8;
    static final int TIMEOUT_SECONDS = 10;
    private static final String ROOM = "bench";
    private static final int TEXT_BYTES = 64;

    @Param({"tcp", "udp-reliable-ordered"})
    public String link;

    @Param({"protobuf", "json"})
    public String codec;

    @Param({"1", "10", "100"})
    public int receivers;

    private ChatServer server;
    private ChatClient sender;
    private final List<ChatClient> members = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile Thread waiter;
    private long posted;
    private String text;

    /** Room messages delivered to receivers, per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Deliveries {
        public long deliveries;
    }

    @Setup
    public void setUp() throws IOException {
        Link chosen = Link.parse(link);
        Codec wire = CodecSubject.codec(codec);
        text = ChatSamples.text(TEXT_BYTES);
        ChatConfig config = ChatConfig.defaults().withRateLimit(RateLimit.UNLIMITED).withZone(ZoneOffset.UTC);
        Transport transport = chosen.transport();
        server = ChatServer.start(transport, wire, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
        ChatListener counting = new ChatListener() {
            @Override
            public void onEvent(Event event) {
                if (event instanceof Event.RoomMessage room && room.message().from().equals("sender")
                        && delivered.incrementAndGet() >= target) {
                    Thread waiting = waiter;
                    if (waiting != null) {
                        LockSupport.unpark(waiting);
                    }
                }
            }
        };
        for (int i = 0; i < receivers; i++) {
            members.add(join(transport, wire, "r" + i, counting));
        }
        sender = join(transport, wire, "sender", ChatListener.NONE);
    }

    @TearDown
    public void tearDown() {
        if (sender != null) {
            sender.close();
        }
        members.forEach(ChatClient::close);
        members.clear();
        server.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public long latency() throws IOException {
        post();
        return await(posted * receivers);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long deliveries(Deliveries counters) throws IOException {
        post();
        counters.deliveries += receivers;
        return await((posted - WINDOW) * receivers);
    }

    private void post() throws IOException {
        posted++;
        sender.send(id -> new Request.Post(id, ROOM, text));
    }

    /** Parks until {@code count} room messages have been delivered in all. */
    private long await(long count) {
        waiter = Thread.currentThread();
        target = count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        long now;
        while ((now = delivered.get()) < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + now + " of " + count + " room messages delivered within "
                        + TIMEOUT_SECONDS + " s");
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
        }
        return now;
    }

    /** Connects, says HELLO with PUSH, registers {@code name} and joins the room. */
    private ChatClient join(Transport transport, Codec codec, String name, ChatListener listener) throws IOException {
        ChatClient client = ChatClient.connect(transport, codec, server.address(), listener);
        try {
            expect(client, id -> new Request.Hello(id, "wirelab-bench", EnumSet.of(Capability.PUSH)));
            expect(client, id -> new Request.Register(id, name, Password.NONE));
            expect(client, id -> new Request.Join(id, ROOM));
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static void expect(ChatClient client, Function<RequestId, ? extends Request> request) throws IOException {
        Reply reply = client.call(request, Link.SETUP_TIMEOUT);
        if (reply instanceof Reply.Failed failed) {
            throw new IOException("setup failed: " + failed);
        }
    }
}
