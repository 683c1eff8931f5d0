package dev.wirelab.benchmarks;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * One-way throughput over loopback: the benchmark thread sends frames of {@code bytes} bytes as fast
 * as the transport accepts them (a send blocks while the transport applies back-pressure) and the
 * server side reads and counts them. The score is frames sent per second; {@code delivered} is the
 * frames the receiver read in the same iteration, per second. No codec: frames are opaque bytes
 * behind a length prefix. Compare with iperf3 from {@code peers.sh} (bulk bytes, no framing).
 *
 * <p>The sender also keeps at most {@value #WINDOW} frames unread by the receiver, an application
 * window like the chat's send queue. The UDP transport needs it: its back-pressure covers the
 * network (the engine's windows), not the receiving application, so a sender of 1 KiB frames
 * outruns a reader on the same two cores, the reader's receive queue passes its 4 MiB limit and the
 * connection ends as {@code LOST}. The same window applies to TCP, so both are measured alike.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThroughputBenchmark {

    static final int WINDOW = 1024;

    /** Reliable links only: an unreliable sender outrunning its reader measures loss, not throughput. */
    @Param({"tcp", "udp-reliable-ordered"})
    public String link;

    /** Payload bytes per frame. */
    @Param({"64", "1024"})
    public int bytes;

    private Link chosen;
    private Listener listener;
    private Connection client;
    private Frame frame;
    private long sent;
    /** Frames the server side has read; static so the counter state can see it (one trial per forked JVM). */
    static final AtomicLong RECEIVED = new AtomicLong();

    /** Frames the receiver read during the iteration, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivered {
        public long delivered;
        private long before;

        @Setup(Level.Iteration)
        public void start() {
            before = RECEIVED.get();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            delivered = RECEIVED.get() - before;
        }
    }

    @Setup
    public void setUp() throws IOException {
        chosen = Link.parse(link);
        frame = new Frame(ChatSamples.text(bytes).getBytes(StandardCharsets.US_ASCII));
        Framing framing = Framing.lengthPrefixed(Limits.DEFAULTS.maxFrameBytes());
        Transport transport = chosen.transport();
        listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), framing,
                connection -> {
                    while (true) {
                        connection.receive();
                        RECEIVED.incrementAndGet();
                    }
                });
        client = transport.connect(listener.localAddress(), framing);
        sent = RECEIVED.get();
    }

    @TearDown
    public void tearDown() {
        client.close();
        listener.close();
    }

    @Benchmark
    public void send(Delivered counters) throws IOException {
        client.send(frame, chosen.delivery());
        sent++;
        while (sent - RECEIVED.get() > WINDOW) {
            LockSupport.parkNanos(20_000);
        }
    }
}
