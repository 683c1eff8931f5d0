package dev.wirelab.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One direction of an impaired <em>reliable byte stream</em> (TCP, memory), as a pure function of
 * what is sent and when: no threads, no clock, no sockets. The counterpart of {@link LinkModel}
 * for streams: the caller says when each frame (or relayed chunk) is sent and gets back when it is
 * handed to the far end, or that the connection is reset instead.
 *
 * <p>A reliable stream never loses, duplicates, reorders or corrupts: TCP repairs all of that, and
 * what the application sees is <em>time</em>. So the knobs of an {@link Impairment} mean, per frame:
 * <ol>
 *   <li><b>rate</b>: a bottleneck serialises the stream at {@code rateBytesPerSecond}; a frame of
 *       {@code n} bytes leaves at {@code max(now, busyUntil) + n / rate}. No tail drop: a stream
 *       queues, and its sender feels back-pressure instead ({@code queue} is not used).</li>
 *   <li><b>delay</b> and <b>jitter</b>: it arrives {@code delay} plus a uniform draw from
 *       {@code [0, jitter]} after it left.</li>
 *   <li><b>loss</b> (and <b>burst</b>) become a <b>stall</b>: the frame picked is "lost and
 *       retransmitted", arriving one {@linkplain #stallDuration(Impairment) RTO} later:
 *       {@code max(200 ms, 2 x delay)}, TCP's minimum retransmission timeout or one round trip of
 *       this link, whichever is longer. Which frames stall is decided by the same loss chain, seeded
 *       the same way, as in {@link LinkModel}: frame <i>i</i> stalls exactly when datagram <i>i</i>
 *       would be lost by a {@code LinkModel} built from the same impairment and generator.</li>
 *   <li><b>order</b>: a frame is handed over at {@code max(its arrival, the previous frame's)}, so
 *       nothing overtakes: jitter only bunches frames up, and a stalled frame holds back every frame
 *       sent before it finally arrives. This is head-of-line blocking, what real TCP does when it
 *       holds received data behind a hole until the retransmission fills it.</li>
 *   <li><b>reset</b>: with this probability the connection is reset when the frame would have been
 *       handed over; the frame and everything after it are lost.</li>
 * </ol>
 * {@code duplicate}, {@code reorder} (with {@code hold}) and {@code corrupt} do not apply to a
 * reliable stream and are ignored; {@link #ignoredOnStreams(Impairment)} names them for a log line.
 *
 * <p>Determinism: the constructor reads seven longs from the generator (the five {@link LinkModel}
 * reads, then one for jitter and one for resets) and never touches it again; each knob draws from
 * its own stream, and every draw is made for every frame, so which frames stall or reset depends only
 * on the seed and the frame's position in the sequence, never on sizes, times, delay or rate.
 *
 * <p>Not thread-safe: one sender calls {@link #send} (or the caller serialises the calls).
 * {@link #stats()} may be read from any thread.
 */
public final class StreamModel {

    /** TCP's minimum retransmission timeout (RFC 6298 says 1 s; Linux uses 200 ms): the shortest stall. */
    public static final Duration MIN_RTO = Duration.ofMillis(200);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final byte[] NOTHING = new byte[0];

    private final Impairment impairment;
    private final LinkModel lossChain;
    private final RandomGenerator jitterRandom;
    private final RandomGenerator resetRandom;
    private final long delayNanos;
    private final long jitterNanos;
    private final long stallNanos;

    private boolean started;
    private long lastRelease;
    private boolean linkUsed;
    private long busyUntil;

    private volatile long sent;
    private volatile long bytes;
    private volatile long stalled;
    private volatile long resets;

    /** A stream whose draws come from {@link Impairment#newRandom()}: seeded by the impairment's seed. */
    public StreamModel(Impairment impairment) {
        this(impairment, Objects.requireNonNull(impairment, "impairment").newRandom());
    }

    /**
     * A stream whose draws are seeded from {@code random}: seven longs are read here and the
     * generator is never used again.
     */
    public StreamModel(Impairment impairment, RandomGenerator random) {
        this.impairment = Objects.requireNonNull(impairment, "impairment");
        Objects.requireNonNull(random, "random");
        // Only loss and burst: the chain LinkModel would run, fed from the same first five longs.
        Impairment lossOnly = new Impairment(impairment.loss(), impairment.burstLength(), Duration.ZERO,
                Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, impairment.seed());
        this.lossChain = new LinkModel(lossOnly, random);
        this.jitterRandom = new SplittableRandom(random.nextLong());
        this.resetRandom = new SplittableRandom(random.nextLong());
        this.delayNanos = impairment.delay().toNanos();
        this.jitterNanos = impairment.jitter().toNanos();
        this.stallNanos = stallDuration(impairment).toNanos();
    }

    /** The impairment this stream applies. */
    public Impairment impairment() {
        return impairment;
    }

    /**
     * How long a "lost" frame holds the stream up: {@code max(200 ms, 2 x delay)}, TCP's minimum
     * retransmission timeout or one round trip over a link with this one-way delay each way.
     */
    public static Duration stallDuration(Impairment impairment) {
        Duration roundTrip = impairment.delay().multipliedBy(2);
        return roundTrip.compareTo(MIN_RTO) > 0 ? roundTrip : MIN_RTO;
    }

    /** Whether the impairment does anything to a reliable stream (loss, delay, jitter, rate or reset). */
    public static boolean affectsStreams(Impairment impairment) {
        return impairment.loss() > 0 || !impairment.delay().isZero() || !impairment.jitter().isZero()
                || impairment.rateBytesPerSecond() > 0 || impairment.reset() > 0;
    }

    /**
     * The knobs of {@code impairment} a reliable stream ignores, as spec items
     * ({@code "reorder=1%,duplicate=1%"}), or {@code ""} when none is set.
     */
    public static String ignoredOnStreams(Impairment impairment) {
        Impairment only = new Impairment(0, 1, Duration.ZERO, Duration.ZERO, impairment.reorder(),
                impairment.reorderHold(), impairment.duplicate(), impairment.corrupt(), 0, 0);
        return only.isNone() ? "" : only.toSpec();
    }

    /**
     * What becomes of one frame of {@code bytes} bytes sent at {@code nowNanos}: when it is handed to
     * the far end, or that the connection is reset at that time instead.
     *
     * @param bytes    the frame's size on the wire; used only by the rate
     * @param nowNanos when it is sent, on the caller's nano clock; calls should not go back in time
     */
    public Release send(int bytes, long nowNanos) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        boolean stall = lossChain.send(NOTHING, 0).isEmpty();
        long jitter = jitterNanos == 0 ? 0 : jitterRandom.nextLong(jitterNanos + 1);
        boolean reset = impairment.reset() > 0 && resetRandom.nextDouble() < impairment.reset();
        long departure = nowNanos;
        if (impairment.rateBytesPerSecond() > 0) {
            long start = linkUsed ? Math.max(nowNanos, busyUntil) : nowNanos;
            departure = start + serialisationNanos(bytes);
            busyUntil = departure;
            linkUsed = true;
        }
        long arrival = departure + delayNanos + jitter + (stall ? stallNanos : 0);
        long release = started ? Math.max(arrival, lastRelease) : arrival;
        started = true;
        lastRelease = release;
        this.sent++;
        this.bytes += bytes;
        if (stall) {
            stalled++;
        }
        if (reset) {
            resets++;
        }
        return new Release(release, stall, reset);
    }

    /** What has happened so far; callable from any thread. */
    public StreamStats stats() {
        return new StreamStats(sent, bytes, stalled, resets);
    }

    private long serialisationNanos(int size) {
        long rate = impairment.rateBytesPerSecond();
        long scaled = size * NANOS_PER_SECOND; // at most 2^31 * 10^9, below 2^63
        return scaled / rate + (scaled % rate == 0 ? 0 : 1);
    }

    @Override
    public String toString() {
        return "StreamModel[" + impairment.toSpec() + "]";
    }

    /**
     * The fate of one frame.
     *
     * @param atNanos when it is handed to the far end (or the connection is reset), on the sender's
     *                clock; never earlier than the previous frame's
     * @param stalled whether it was picked by the loss chain and held one RTO
     * @param reset   whether the connection is reset at {@code atNanos} instead of delivering it
     */
    public record Release(long atNanos, boolean stalled, boolean reset) {
    }

    /**
     * Counts of what a {@link StreamModel} did, since it was made.
     *
     * @param sent    frames handed to {@link StreamModel#send}
     * @param bytes   their bytes
     * @param stalled frames held one RTO (the stream's form of loss)
     * @param resets  frames that reset the connection
     */
    public record StreamStats(long sent, long bytes, long stalled, long resets) {
    }
}
