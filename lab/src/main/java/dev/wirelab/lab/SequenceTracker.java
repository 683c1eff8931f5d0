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
