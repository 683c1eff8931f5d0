package dev.wirelab.lab;

import org.HdrHistogram.Histogram;

/**
 * What one scenario measured. Latencies are in nanoseconds in the histograms.
 *
 * @param scenario      what ran
 * @param sent          measured posts sent (warm-up excluded)
 * @param delivered     distinct measured posts the receiver heard
 * @param lost          measured posts never heard, after the drain
 * @param duplicated    posts heard more than once (extra copies)
 * @param reordered     posts heard after a higher-numbered one
 * @param corrected     latency from each post's intended send time
 * @param uncorrected   latency from each post's actual send time
 * @param senderBytesOut bytes the sender's connection sent over the whole run (warm-up included),
 *                      as its transport counts them
 * @param senderFramesOut frames the sender's connection sent over the whole run
 * @param totalPosts    posts sent over the whole run (warm-up included)
 * @param error         why the scenario could not run, or empty; starts with {@link #NOT_AVAILABLE}
 *                      when this machine cannot run it
 */
record ScenarioResult(Scenario scenario, long sent, long delivered, long lost, long duplicated, long reordered,
                      Histogram corrected, Histogram uncorrected, long senderBytesOut, long senderFramesOut,
                      long totalPosts, String error) {

    static ScenarioResult failed(Scenario scenario, String error) {
        return new ScenarioResult(scenario, 0, 0, 0, 0, 0, new Histogram(SequenceTracker.HIGHEST_NANOS, 3),
                new Histogram(SequenceTracker.HIGHEST_NANOS, 3), 0, 0, 0, error);
    }

    /** What {@link #error} starts with when the scenario could not run on this machine at all. */
    static final String NOT_AVAILABLE = "not available: ";

    /** A scenario this machine cannot run (say, no nft for kernel loss), with the reason. */
    static ScenarioResult unavailable(Scenario scenario, String reason) {
        return failed(scenario, NOT_AVAILABLE + reason);
    }

    boolean ok() {
        return error.isEmpty();
    }

    /** Whether the scenario could not run on this machine (not a failure of the run). */
    boolean unavailable() {
        return error.startsWith(NOT_AVAILABLE);
    }

    double deliveredPercent() {
        return sent == 0 ? 0 : 100.0 * delivered / sent;
    }

    /** Bytes the sender put on the wire per post, headers and retransmits included as far as its transport counts them. */
    double bytesPerPost() {
        return totalPosts == 0 ? 0 : (double) senderBytesOut / totalPosts;
    }

    /** A corrected percentile in milliseconds, or NaN when nothing arrived. */
    double percentileMillis(double percentile) {
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getValueAtPercentile(percentile) / 1e6;
    }

    double maxMillis() {
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getMaxValue() / 1e6;
    }
}
