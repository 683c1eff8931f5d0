package dev.wirelab.benchmarks;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Encoding and decoding one chat message: the JSON and protobuf codecs, and beside them the raw
 * libraries on an equivalent object, so that {@code json / raw-jackson} and
 * {@code protobuf / raw-protobuf} are the codec layer's own cost as a ratio. Run with
 * {@code -prof gc} for bytes allocated per operation; {@code encodedBytes} is the size on the wire
 * (frame payload, framing excluded).
 *
 * <ul>
 *   <li>{@code json}, {@code protobuf}: the wirelab codecs, records in and out, validation included.</li>
 *   <li>{@code raw-jackson}: Jackson databind on a record of the JSON wire shape (same bytes).</li>
 *   <li>{@code raw-protobuf}: protobuf-java on the generated envelope, already built (same bytes).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    @Param({CodecSubject.JSON, CodecSubject.PROTOBUF, CodecSubject.RAW_JACKSON, CodecSubject.RAW_PROTOBUF})
    public String codec;

    /** {@code request} (a room post), {@code reply} (a page of history), {@code event} (a pushed room message). */
    @Param({"request", "reply", "event"})
    public String message;

    /** Chat text of 16, 256 or 4000 characters (each of the five in a history page). */
    @Param({"small", "medium", "large"})
    public String size;

    private CodecSubject subject;

    /**
     * The encoded size, reported beside the time as {@code encodedBytes}, in bytes per message. JMH
     * sums event counters over measurement iterations and forks, so each measurement iteration
     * carries its share: the raw data shows fractions, the score is the size.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Size {
        public double encodedBytes;
        private double share;

        @Setup(Level.Iteration)
        public void next(BenchmarkParams benchmark, IterationParams iteration) {
            encodedBytes = 0;
            share = iteration.getType() == IterationType.MEASUREMENT
                    ? 1.0 / ((long) iteration.getCount() * Math.max(1, benchmark.getForks()))
                    : 0;
        }

        void record(int bytes) {
            encodedBytes = bytes * share;
        }
    }

    @Setup
    public void setUp() {
        subject = CodecSubject.create(codec, ChatSamples.message(message, size));
    }

    @Benchmark
    public Object encode(Size counters) {
        counters.record(subject.encodedBytes());
        return subject.encode();
    }

    @Benchmark
    public Object decode(Size counters) {
        counters.record(subject.encodedBytes());
        return subject.decode();
    }
}
