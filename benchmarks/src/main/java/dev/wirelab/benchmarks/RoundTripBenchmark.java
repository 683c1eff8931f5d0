package dev.wirelab.benchmarks;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Ping-pong over loopback: the client encodes an ECHO request of {@code bytes} bytes, sends it, the
 * server decodes it and sends back an ECHOED reply, and the client decodes that. One operation is one
 * full round trip, four codec calls included; the sample-time mode gives its percentiles. Compare with
 * sockperf's ping-pong from {@code peers.sh}, whose figure is half a round trip.
 *
 * <p>A closed loop over UDP must not hang on a lost datagram: if no reply comes within
 * {@value #RESEND_AFTER_MS} ms the request is sent again (on loopback this should never happen; the
 * count is printed at the end of the trial if it does, and such a round trip shows in the tail).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundTripBenchmark {

    static final long RESEND_AFTER_MS = 200;

    @Param({"tcp", "udp-reliable-ordered", "udp-reliable", "udp-sequenced", "udp-unreliable"})
    public String link;

    @Param({"json", "protobuf"})
    public String codec;

    /** Bytes of the encoded request (and, within a few bytes, of the reply). */
    @Param({"64", "1024"})
    public int bytes;

    private Link chosen;
    private Codec wire;
    private Listener listener;
    private Connection client;
    private String text;
    private long seq = 10_000_000L;
    private final AtomicLong resends = new AtomicLong();
    private volatile Frame inFlight;
    private volatile long sentAtNanos;
    private Thread watchdog;

    @Setup
    public void setUp() throws IOException {
        chosen = Link.parse(link);
        wire = CodecSubject.codec(codec);
        text = paddedText(wire, bytes);
        Transport transport = chosen.transport();
        listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), wire.framing(),
                connection -> {
                    while (true) {
                        ChatMessage message = wire.decode(connection.receive());
                        if (message instanceof Request.Echo echo) {
                            connection.send(wire.encode(new Reply.Echoed(echo.id(), echo.text())), chosen.delivery());
                        }
                    }
                });
        client = transport.connect(listener.localAddress(), wire.framing());
        watchdog = Thread.ofPlatform().daemon().name("round-trip-watchdog").start(this::watch);
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        watchdog.interrupt();
        watchdog.join();
        client.close();
        listener.close();
        if (resends.get() > 0) {
            System.out.println(link + ": " + resends.get() + " requests sent again after " + RESEND_AFTER_MS
                    + " ms without a reply");
        }
    }

    @Benchmark
    public ChatMessage roundTrip() throws IOException {
        String id = Long.toString(++seq);
        Frame request = wire.encode(new Request.Echo(RequestId.of(id), text));
        inFlight = request;
        sentAtNanos = System.nanoTime();
        client.send(request, chosen.delivery());
        while (true) {
            ChatMessage reply = wire.decode(client.receive());
            if (reply instanceof Reply.Echoed echoed && echoed.id().value().equals(id)) {
                sentAtNanos = 0;
                return reply;
            }
            // A late reply to a request sent twice: skip it.
        }
    }

    /** Sends the request in flight again when its reply is overdue (a datagram was lost). */
    private void watch() {
        long overdue = TimeUnit.MILLISECONDS.toNanos(RESEND_AFTER_MS);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(RESEND_AFTER_MS / 4);
                long sent = sentAtNanos;
                Frame frame = inFlight;
                if (sent != 0 && frame != null && System.nanoTime() - sent > overdue) {
                    sentAtNanos = System.nanoTime();
                    resends.incrementAndGet();
                    client.send(frame, chosen.delivery());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The connection ended: the benchmark thread sees it too.
        }
    }

    /** Text that makes an ECHO request with an 8-digit id exactly {@code size} bytes in {@code codec}. */
    static String paddedText(Codec codec, int size) {
        RequestId id = RequestId.of("10000000");
        int length = 1;
        for (int attempt = 0; attempt < 4; attempt++) {
            int actual = codec.encode(new Request.Echo(id, ChatSamples.text(length))).length();
            if (actual == size) {
                return ChatSamples.text(length);
            }
            length += size - actual;
            if (length < 1) {
                break;
            }
        }
        throw new IllegalArgumentException("no ECHO of exactly " + size + " bytes in " + codec.name());
    }
}
