package dev.wirelab.lab;

import java.util.BitSet;
import org.HdrHistogram.Histogram;

/**
 * What a receiver makes of the numbered posts it hears: delivered, duplicated and reordered counts,
 * and one-way latency into two histograms, corrected (from each post's intended send time, so a
 * stalled sender or network cannot hide its delay: no coordinated omission) and uncorrected (from
 * when the post actually went out). All times are {@link System#nanoTime()} of this one JVM.
 *
 * <p>Posts numbered below {@code firstMeasured} are warm-up and are ignored. Thread-safe.
 */
final class SequenceTracker {

    /** Latencies above this (nanoseconds) are recorded as this. */
    static final long HIGHEST_NANOS = 60_000_000_000L;

    private final long firstMeasured;
    private final BitSet seen = new BitSet();
    private final Histogram corrected = new Histogram(HIGHEST_NANOS, 3);
    private final Histogram uncorrected = new Histogram(HIGHEST_NANOS, 3);
    private long delivered;
    private long duplicated;
    private long reordered;
    private long highest = -1;
    /** RFC 3550 interarrival jitter, in nanoseconds scaled by 16 (integer arithmetic, as the RFC's sample code). */
    private long jitterScaled;
    private long lastTransit = Long.MIN_VALUE;

    SequenceTracker(long firstMeasured) {
        this.firstMeasured = firstMeasured;
    }

    /**
     * Records post {@code seq}, intended at {@code intendedNanos}, sent at {@code sentNanos},
     * heard at {@code receivedNanos}. A post heard after a higher-numbered one counts as reordered;
     * one heard again as duplicated (and adds no latency).
     */
    synchronized void record(long seq, long intendedNanos, long sentNanos, long receivedNanos) {
        if (seq < firstMeasured) {
            return;
        }
        int index = Math.toIntExact(seq - firstMeasured);
        if (seen.get(index)) {
            duplicated++;
            return;
        }
        seen.set(index);
        delivered++;
        if (seq < highest) {
            reordered++;
        }
        highest = Math.max(highest, seq);
        // RFC 3550 6.4.1: J += (|D| - J) / 16, D the change in transit time between consecutive arrivals.
        long transit = receivedNanos - sentNanos;
        if (lastTransit != Long.MIN_VALUE) {
            long d = Math.abs(transit - lastTransit);
            jitterScaled += d - ((jitterScaled + 8) >> 4);
        }
        lastTransit = transit;
        corrected.recordValue(clamp(receivedNanos - intendedNanos));
        uncorrected.recordValue(clamp(receivedNanos - sentNanos));
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(HIGHEST_NANOS, nanos));
    }

    synchronized long delivered() {
        return delivered;
    }

    synchronized long duplicated() {
        return duplicated;
    }

    synchronized long reordered() {
        return reordered;
    }

    /**
     * Interarrival jitter per RFC 3550 (section 6.4.1 and appendix A.8) over the measured posts in
     * the order they arrived: a running mean of how much the transit time changes from one post to
     * the next, with gain 1/16. Transit is arrival minus actual send time.
     */
    synchronized long jitterNanos() {
        return jitterScaled >> 4;
    }

    /** Measured posts of {@code measuredSent} never heard. */
    synchronized long lost(long measuredSent) {
        return Math.max(0, measuredSent - delivered);
    }

    synchronized Histogram corrected() {
        return corrected.copy();
    }

    synchronized Histogram uncorrected() {
        return uncorrected.copy();
    }
}
