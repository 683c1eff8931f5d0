package dev.wirelab.transport;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One direction of an impaired link, as a pure function of what is sent and when: no threads, no
 * clock, no sockets. The caller says when each datagram leaves ({@code nowNanos}, from whatever
 * nano clock it uses) and gets back when, and as what, it arrives; delivering it at that time is
 * the caller's business (a UDP transport's delay queue, a simulator's event loop).
 *
 * <p>Each datagram passes these stages in this order:
 * <ol>
 *   <li><b>loss</b>: independent, or the Gilbert-Elliott chain described in {@link Impairment}. The
 *       first datagram finds the chain in Bad with probability {@code loss} (its stationary
 *       distribution); each later one first moves the chain (Good&rarr;Bad with
 *       {@code p = loss * r / (1 - loss)}, Bad&rarr;Good with {@code r = 1 / burstLength}) and is
 *       lost if the chain is then in Bad.</li>
 *   <li><b>bottleneck</b> (only with a rate): the link is busy until {@code busyUntil}; a datagram
 *       of {@code n} bytes starts at {@code max(now, busyUntil)} and takes {@code n / rate} seconds.
 *       The bytes still queued at {@code now}, the one being serialised included, are
 *       {@code (busyUntil - now) * rate}; if those plus {@code n} exceed {@code queueBytes}, the
 *       datagram is dropped at the tail and uses no capacity.</li>
 *   <li><b>duplicate</b>: a second copy is made after the bottleneck (it uses no capacity).</li>
 *   <li><b>propagation</b>, per copy: {@code delay} plus a uniform draw from {@code [0, jitter]},
 *       plus {@code reorderHold} if the datagram was picked for reordering (both copies are held).</li>
 *   <li><b>corrupt</b>: one uniformly chosen bit of the original copy is flipped (the duplicate
 *       stays intact, as netem corrupts the original after cloning it). An empty datagram cannot be
 *       corrupted.</li>
 * </ol>
 *
 * <p>Determinism: each knob draws from its own stream, seeded at construction from the given
 * generator, and the loss, duplicate, reorder and corrupt decisions are drawn for every datagram
 * sent, whatever became of it (and the corrupted bit's position for every datagram picked). So the same impairment and the same traffic (sizes and send
 * times) give the same arrivals, and the loss pattern depends only on the seed, {@code loss} and
 * {@code burstLength}: adding delay, jitter or a rate does not change which datagrams are lost.
 *
 * <p>Not thread-safe: one sender calls {@link #send} (or the caller serialises calls). The
 * counters are written only by that sender and published through volatile fields, so
 * {@link #stats()} may be read from any thread; a snapshot taken during a send may count that
 * datagram in some fields and not yet in others.
 */
public final class LinkModel {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Impairment impairment;
    private final RandomGenerator lossRandom;
    private final RandomGenerator duplicateRandom;
    private final RandomGenerator reorderRandom;
    private final RandomGenerator corruptRandom;
    private final RandomGenerator jitterRandom;

    private final boolean gilbertElliott;
    private final double goodToBad;
    private final double badToGood;
    private final long delayNanos;
    private final long jitterNanos;
    private final long holdNanos;

    private boolean chainStarted;
    private boolean bad;
    private boolean linkUsed;
    private long busyUntil;

    private volatile long sent;
    private volatile long lost;
    private volatile long duplicated;
    private volatile long corrupted;
    private volatile long reordered;
    private volatile long tailDropped;

    /** A link whose draws come from {@link Impairment#newRandom()}: seeded by the impairment's seed. */
    public LinkModel(Impairment impairment) {
        this(impairment, Objects.requireNonNull(impairment, "impairment").newRandom());
    }

    /**
     * A link whose draws are seeded from {@code random}: the generator is read only here (one long
     * per knob, five in all) and never afterwards, so sharing it later changes nothing.
     */
    public LinkModel(Impairment impairment, RandomGenerator random) {
        this.impairment = Objects.requireNonNull(impairment, "impairment");
        Objects.requireNonNull(random, "random");
        this.lossRandom = new SplittableRandom(random.nextLong());
        this.duplicateRandom = new SplittableRandom(random.nextLong());
        this.reorderRandom = new SplittableRandom(random.nextLong());
        this.corruptRandom = new SplittableRandom(random.nextLong());
        this.jitterRandom = new SplittableRandom(random.nextLong());
        double loss = impairment.loss();
        this.gilbertElliott = impairment.burstLength() > 1 && loss > 0 && loss < 1;
        this.badToGood = 1 / impairment.burstLength();
        this.goodToBad = gilbertElliott ? Math.min(1, Impairment.goodToBad(loss, impairment.burstLength())) : loss;
        this.delayNanos = impairment.delay().toNanos();
        this.jitterNanos = impairment.jitter().toNanos();
        this.holdNanos = impairment.reorderHold().toNanos();
    }

    /** The impairment this link applies. */
    public Impairment impairment() {
        return impairment;
    }

    /**
     * What becomes of one datagram sent at {@code nowNanos}: no arrival (lost or tail-dropped), one,
     * or two (duplicated), each with its arrival time and bytes (a corrupted copy when corrupted;
     * the input array is never modified, and every arrival owns a fresh copy). Arrivals are
     * returned in time order.
     *
     * @param datagram the bytes sent; read, never kept or changed
     * @param nowNanos when it is sent, on the caller's nano clock; calls should not go back in time
     * @return the arrivals, earliest first; an immutable list
     */
    public List<Arrival> send(byte[] datagram, long nowNanos) {
        Objects.requireNonNull(datagram, "datagram");
        sent++;
        boolean lose = lose();
        boolean duplicate = draw(duplicateRandom, impairment.duplicate());
        boolean hold = draw(reorderRandom, impairment.reorder());
        boolean corrupt = draw(corruptRandom, impairment.corrupt()) && datagram.length > 0;
        int corruptBit = corrupt ? corruptRandom.nextInt(datagram.length * 8) : 0;
        if (lose) {
            lost++;
            return List.of();
        }
        long departure = nowNanos;
        if (impairment.rateBytesPerSecond() > 0) {
            long start = linkUsed ? Math.max(nowNanos, busyUntil) : nowNanos;
            if (queuedBytes(start - nowNanos) + datagram.length > impairment.queueBytes()) {
                tailDropped++;
                return List.of();
            }
            departure = start + serialisationNanos(datagram.length);
            busyUntil = departure;
            linkUsed = true;
        }
        long extra = hold ? holdNanos : 0;
        if (hold) {
            reordered++;
        }
        byte[] bytes = datagram.clone();
        if (corrupt) {
            bytes[corruptBit >>> 3] ^= (byte) (1 << (corruptBit & 7));
            corrupted++;
        }
        Arrival first = new Arrival(departure + propagationNanos() + extra, bytes);
        if (!duplicate) {
            return List.of(first);
        }
        duplicated++;
        Arrival second = new Arrival(departure + propagationNanos() + extra, datagram.clone());
        return second.atNanos() < first.atNanos() ? List.of(second, first) : List.of(first, second);
    }

    /** What has happened so far; callable from any thread. */
    public LinkStats stats() {
        return new LinkStats(sent, lost, duplicated, corrupted, reordered, tailDropped);
    }

    private boolean lose() {
        double loss = impairment.loss();
        if (loss == 0) {
            return false;
        }
        if (loss == 1) {
            return true;
        }
        if (!gilbertElliott) {
            return lossRandom.nextDouble() < loss;
        }
        if (!chainStarted) {
            chainStarted = true;
            bad = lossRandom.nextDouble() < loss;
        } else if (bad) {
            bad = lossRandom.nextDouble() >= badToGood;
        } else {
            bad = lossRandom.nextDouble() < goodToBad;
        }
        return bad;
    }

    private static boolean draw(RandomGenerator random, double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    private long propagationNanos() {
        return jitterNanos == 0 ? delayNanos : delayNanos + jitterRandom.nextLong(jitterNanos + 1);
    }

    private long serialisationNanos(int bytes) {
        long rate = impairment.rateBytesPerSecond();
        long scaled = bytes * NANOS_PER_SECOND; // at most 2^31 * 10^9, below 2^63
        return scaled / rate + (scaled % rate == 0 ? 0 : 1);
    }

    /** Bytes still in the queue when the link is busy for {@code busyNanos} more: rounded up. */
    private long queuedBytes(long busyNanos) {
        if (busyNanos <= 0) {
            return 0;
        }
        long rate = impairment.rateBytesPerSecond();
        if (Math.multiplyHigh(busyNanos, rate) != 0 || busyNanos * rate < 0) {
            return Long.MAX_VALUE / 2;
        }
        long scaled = busyNanos * rate;
        return scaled / NANOS_PER_SECOND + (scaled % NANOS_PER_SECOND == 0 ? 0 : 1);
    }

    /**
     * One copy of a datagram reaching the far end.
     *
     * <p>The arrival owns its array; equality is by content, as a record holding an array must define it.
     *
     * @param atNanos when it arrives, on the clock the sender used
     * @param bytes   what arrives
     */
    public record Arrival(long atNanos, byte[] bytes) {

        public Arrival {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Arrival arrival && atNanos == arrival.atNanos && Arrays.equals(bytes, arrival.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(atNanos) + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            int shown = Math.min(bytes.length, 16);
            return "Arrival[at " + atNanos + " ns, " + bytes.length + " bytes: "
                    + HexFormat.of().formatHex(bytes, 0, shown) + (shown < bytes.length ? "..." : "") + "]";
        }
    }

    /**
     * Counts of what a {@link LinkModel} did, since it was made.
     *
     * @param sent        datagrams handed to {@link LinkModel#send}
     * @param lost        datagrams lost by the loss model (no arrival)
     * @param duplicated  datagrams delivered twice
     * @param corrupted   datagrams delivered with one bit flipped
     * @param reordered   datagrams delivered late by the reorder hold
     * @param tailDropped datagrams dropped because the bottleneck queue was full (no arrival)
     */
    public record LinkStats(long sent, long lost, long duplicated, long corrupted, long reordered, long tailDropped) {

        public LinkStats {
            if (sent < 0 || lost < 0 || duplicated < 0 || corrupted < 0 || reordered < 0 || tailDropped < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
        }

        /** Datagrams that arrived at least once: {@code sent - lost - tailDropped}. */
        public long delivered() {
            return sent - lost - tailDropped;
        }
    }
}
