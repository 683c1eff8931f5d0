package dev.wirelab.benchmarks;

import dev.wirelab.protocol.Decoded;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameDecoder;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cutting frames out of a byte stream: a stream of {@value #FRAMES} frames fed to a
 * {@link FrameDecoder} in reads of {@code readBytes} (one TCP segment's worth, or a large socket
 * read), as a stream transport does. The score is per frame. Lines must scan every byte for the
 * newline; a length prefix jumps over the payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FramingBenchmark {

    static final int FRAMES = 1000;

    /** {@code lines} (JSON) or {@code length-prefix} (protobuf). */
    @Param({"lines", "length-prefix"})
    public String framing;

    /** Payload bytes per frame, delimiter or prefix excluded. */
    @Param({"64", "1024"})
    public int frameBytes;

    /** Bytes handed to the decoder at a time. */
    @Param({"1460", "65536"})
    public int readBytes;

    private byte[] stream;
    private FrameDecoder decoder;

    @Setup
    public void setUp() throws FrameTooLargeException {
        int max = Limits.DEFAULTS.maxFrameBytes();
        Framing chosen = switch (framing) {
            case "lines" -> Framing.lines(max);
            case "length-prefix" -> Framing.lengthPrefixed(max);
            default -> throw new IllegalArgumentException("unknown framing '" + framing + "': lines or length-prefix");
        };
        Frame frame = new Frame(ChatSamples.text(frameBytes).getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < FRAMES; i++) {
            out.writeBytes(chosen.encode(frame));
        }
        stream = out.toByteArray();
        decoder = chosen.newDecoder();
        int frames = 0;
        for (int off = 0; off < stream.length; off += readBytes) {
            for (Decoded d : decoder.feed(stream, off, Math.min(readBytes, stream.length - off))) {
                if (!(d instanceof Decoded.Complete c) || c.frame().length() != frameBytes) {
                    throw new IllegalStateException("unexpected " + d);
                }
                frames++;
            }
        }
        if (frames != FRAMES || decoder.bufferedBytes() != 0) {
            throw new IllegalStateException(frames + " frames decoded, " + FRAMES + " expected");
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decode(Blackhole blackhole) {
        byte[] bytes = stream;
        int step = readBytes;
        for (int off = 0; off < bytes.length; off += step) {
            List<Decoded> decoded = decoder.feed(bytes, off, Math.min(step, bytes.length - off));
            for (int i = 0, n = decoded.size(); i < n; i++) {
                blackhole.consume(decoded.get(i));
            }
        }
    }
}
