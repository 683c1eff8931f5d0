package dev.wirelab.benchmarks;

import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.udp.EngineConfig;
import dev.wirelab.transport.udp.LinkSimulator;
import dev.wirelab.transport.udp.Offer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The UDP reliability engine alone, with no sockets and no threads: two {@link
 * dev.wirelab.transport.udp.ReliableEngine}s in the deterministic {@link LinkSimulator}, side A
 * sending {@value #MESSAGES} reliable-ordered messages of {@code messageBytes} to side B, one every
 * {@value #GAP_MICROS} µs of simulated time, over links with {@value #DELAY_MILLIS} ms of delay and
 * {@code lossPercent} loss each way, until everything is delivered and acknowledged. The score is CPU
 * time per delivered message (retransmissions, ACKs and loss detection included, and the simulator's
 * own event loop, which is small beside them); {@code -prof gc} gives bytes allocated per message.
 * Every operation uses fresh seeds, so the losses differ from one operation to the next.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBenchmark {

    static final int MESSAGES = 200;
    static final int GAP_MICROS = 100;
    static final int DELAY_MILLIS = 5;

    @Param({"0", "5", "20"})
    public int lossPercent;

    /** An engine profile: {@code quic-like} (the default), {@code tcp-like}, {@code kcp-turbo}, ... */
    @Param({"quic-like"})
    public String profile;

    @Param({"256"})
    public int messageBytes;

    private EngineConfig config;
    private Impairment forward;
    private Impairment backward;
    private byte[] message;
    private long seed;

    @Setup
    public void setUp() {
        config = EngineConfig.profile(profile);
        forward = Impairment.parse("loss=" + lossPercent + "%,delay=" + DELAY_MILLIS + "ms");
        backward = forward;
        message = new byte[messageBytes];
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int deliver() {
        seed++;
        LinkSimulator sim = LinkSimulator.create(config, forward.withSeed(seed), backward.withSeed(-seed));
        for (int i = 0; i < MESSAGES; i++) {
            sim.schedule(i * TimeUnit.MICROSECONDS.toNanos(GAP_MICROS), () -> offer(sim));
        }
        sim.runUntilIdle();
        int delivered = sim.b().received().size();
        if (delivered != MESSAGES) {
            throw new IllegalStateException(delivered + " of " + MESSAGES + " messages delivered at "
                    + lossPercent + "% loss");
        }
        return delivered;
    }

    /** Offers the message, and again a millisecond later while the engine is back-pressured. */
    private void offer(LinkSimulator sim) {
        if (sim.a().send(message, Delivery.RELIABLE_ORDERED, 0) == Offer.BACK_PRESSURED) {
            sim.schedule(sim.now() + TimeUnit.MILLISECONDS.toNanos(1), () -> offer(sim));
        }
    }
}
