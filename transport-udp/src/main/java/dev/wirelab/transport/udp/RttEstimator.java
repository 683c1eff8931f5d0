package dev.wirelab.transport.udp;

/**
 * Round-trip time estimate and the timeouts derived from it: RFC 6298's gains (1/8 for the mean,
 * 1/4 for the variation) with RFC 9002 §5's rules (ack delay subtracted when that does not go
 * below the minimum RTT; the first sample sets {@code srtt = r, rttvar = r/2}).
 *
 * <pre>
 *   rttvar = 3/4 rttvar + 1/4 |srtt - adjusted|
 *   srtt   = 7/8 srtt   + 1/8 adjusted
 *   pto    = clamp(srtt + max(4 rttvar, granularity) + maxAckDelay, minRto, maxRto)
 *   timeout after n expiries = min(maxRto, pto * backoff^n)
 * </pre>
 * All times in nanoseconds. Not thread-safe.
 */
final class RttEstimator {

    private final long granularity;
    private final long minRto;
    private final long maxRto;
    private final long maxAckDelay;
    private long smoothed;
    private long rttvar;
    private long min;
    private long latest;
    private boolean hasSample;

    RttEstimator(long initialRtt, long granularity, long minRto, long maxRto, long maxAckDelay) {
        if (initialRtt <= 0 || granularity <= 0 || minRto < 0 || maxRto < minRto || maxAckDelay < 0) {
            throw new IllegalArgumentException("bad RTT parameters");
        }
        this.granularity = granularity;
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.maxAckDelay = maxAckDelay;
        this.smoothed = initialRtt;
        this.rttvar = initialRtt / 2;
    }

    static RttEstimator of(EngineConfig config) {
        return new RttEstimator(config.initialRtt().toNanos(), config.granularityNanos(), config.minRto().toNanos(),
                config.maxRto().toNanos(), config.maxAckDelay().toNanos());
    }

    /**
     * Takes one sample.
     *
     * @param latestRtt time from sending the largest newly acknowledged packet to receiving its ACK
     * @param ackDelay  the delay the peer reported; counted at most up to {@code maxAckDelay}
     */
    void onSample(long latestRtt, long ackDelay) {
        long r = Math.max(0, latestRtt);
        latest = r;
        if (!hasSample) {
            hasSample = true;
            min = r;
            smoothed = r;
            rttvar = r / 2;
            return;
        }
        min = Math.min(min, r);
        long delay = Math.min(Math.max(0, ackDelay), maxAckDelay);
        long adjusted = r >= min + delay ? r - delay : r;
        rttvar = (3 * rttvar + Math.abs(smoothed - adjusted)) / 4;
        smoothed = (7 * smoothed + adjusted) / 8;
    }

    boolean hasSample() {
        return hasSample;
    }

    long smoothed() {
        return smoothed;
    }

    long rttvar() {
        return rttvar;
    }

    /** The smallest sample so far; 0 before the first. */
    long min() {
        return min;
    }

    /** The latest sample; 0 before the first. */
    long latest() {
        return latest;
    }

    /** The probe/retransmission timeout before back-off. */
    long pto() {
        long v = smoothed + Math.max(4 * rttvar, granularity) + maxAckDelay;
        return Math.max(minRto, Math.min(maxRto, v));
    }

    /** The timeout after {@code expiries} expiries without progress, each multiplying it by {@code backoff}. */
    long backedOff(double backoff, int expiries) {
        double v = pto() * Math.pow(backoff, Math.min(expiries, 64));
        return v >= maxRto ? Math.max(maxRto, pto()) : (long) v;
    }

    /**
     * RFC 9002 §6.1.2: how old a packet must be, when a later one is acknowledged, to count as lost:
     * {@code max(threshold * max(srtt, latest), granularity)}.
     */
    long lossDelay(double timeThreshold) {
        double base = Math.max(smoothed, hasSample ? latest : smoothed);
        return Math.max((long) (timeThreshold * base), granularity);
    }

    /** The persistent-congestion period of RFC 9002 §7.6.1: three PTOs without back-off. */
    long persistentCongestionDuration() {
        return 3 * (smoothed + Math.max(4 * rttvar, granularity) + maxAckDelay);
    }
}
