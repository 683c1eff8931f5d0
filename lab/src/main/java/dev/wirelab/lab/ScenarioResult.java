package dev.wirelab.lab;

import org.HdrHistogram.Histogram;

/**
 * What one scenario measured. Latencies are in nanoseconds in the histograms; counts are summed
 * over the receivers.
 *
 * @param scenario        what ran
 * @param receivers       clients in the room that record what arrives (one more client posts)
 * @param posts           measured posts sent (warm-up excluded); each is due at every receiver
 * @param delivered       distinct measured posts heard, summed over the receivers
 * @param lost            measured posts never heard, after the drain, summed over the receivers
 * @param duplicated      posts heard more than once (extra copies)
 * @param reordered       posts heard after a higher-numbered one (for SEQUENCED: stale deliveries)
 * @param corrected       latency from each post's intended send time
 * @param uncorrected     latency from each post's actual send time
 * @param jitterNanos     RFC 3550 interarrival jitter, the mean of the receivers'
 * @param measuredNanos   how long the measured posting lasted (the rate's schedule)
 * @param postBytes       bytes of each post's text (the application payload)
 * @param wire            what the sender put on the wire
 * @param retransmits     retransmissions over the whole run by every endpoint, or -1 where this
 *                        run cannot see them (TCP outside a network namespace)
 * @param cpuNanos        CPU time of the process that ran server and clients (and, in-process,
 *                        the impairment) over the whole run, or -1 where the JVM cannot say
 * @param error           why the scenario could not run, or empty; starts with {@link #NOT_AVAILABLE}
 *                        when this machine cannot run it
 */
record ScenarioResult(Scenario scenario, int receivers, long posts, long delivered, long lost, long duplicated,
                      long reordered, Histogram corrected, Histogram uncorrected, long jitterNanos,
                      long measuredNanos, int postBytes, Wire wire, long retransmits, long cpuNanos, String error) {

    /**
     * The sender's traffic over the whole run (warm-up included): bytes as its transport counts them
     * (TCP: frames; UDP: datagram payloads with wirelab's header, acks and retransmits), the packets
     * they went out in (UDP: datagrams, counted; TCP: frames, one segment each at these rates with
     * TCP_NODELAY), and the IP and transport header bytes each packet adds on the wire (IPv4 + UDP:
     * 28; IPv4 + TCP with the timestamp option Linux uses: 52).
     */
    record Wire(long bytes, long packets, int headerBytesPerPacket, long totalPosts) {

        static final Wire NONE = new Wire(0, 0, 0, 0);

        /** Bytes on the wire per post, IP and transport headers included. */
        double bytesPerPost() {
            return totalPosts == 0 ? 0 : (double) (bytes + packets * (long) headerBytesPerPacket) / totalPosts;
        }

        /** Bytes per post as the transport counts them, without IP and transport headers. */
        double payloadBytesPerPost() {
            return totalPosts == 0 ? 0 : (double) bytes / totalPosts;
        }
    }

    static ScenarioResult failed(Scenario scenario, String error) {
        return new ScenarioResult(scenario, 0, 0, 0, 0, 0, 0, new Histogram(SequenceTracker.HIGHEST_NANOS, 3),
                new Histogram(SequenceTracker.HIGHEST_NANOS, 3), 0, 0, 0, Wire.NONE, -1, -1, error);
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

    /** Deliveries that were due: every measured post at every receiver. */
    long due() {
        return posts * receivers;
    }

    double deliveredPercent() {
        return due() == 0 ? 0 : 100.0 * delivered / due();
    }

    double lostPercent() {
        return due() == 0 ? 0 : 100.0 * lost / due();
    }

    double reorderedPercent() {
        return due() == 0 ? 0 : 100.0 * reordered / due();
    }

    /** Application bytes delivered per second of measured posting, over all receivers. */
    double goodputBytesPerSecond() {
        return measuredNanos == 0 ? 0 : delivered * (double) postBytes / (measuredNanos / 1e9);
    }

    /** CPU microseconds per post sent (warm-up included, as the CPU time is), or NaN when unknown. */
    double cpuMicrosPerPost() {
        return cpuNanos < 0 || wire.totalPosts() == 0 ? Double.NaN : cpuNanos / 1e3 / wire.totalPosts();
    }

    /** A corrected percentile in milliseconds, or NaN when nothing arrived. */
    double percentileMillis(double percentile) {
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getValueAtPercentile(percentile) / 1e6;
    }

    double maxMillis() {
        return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getMaxValue() / 1e6;
    }

    double jitterMillis() {
        return jitterNanos / 1e6;
    }
}
