package dev.wirelab.transport.udp;

/**
 * RFC 9002 §7 NewReno, in bytes (Appendix B's pseudocode):
 * <ul>
 *   <li>initial window {@code min(10 * maxDatagram, max(14720, 2 * maxDatagram))}, minimum
 *       {@code 2 * maxDatagram};</li>
 *   <li>slow start: {@code cwnd += acked bytes} while {@code cwnd < ssthresh};</li>
 *   <li>congestion avoidance: {@code cwnd += maxDatagram * acked / cwnd};</li>
 *   <li>on loss of a packet sent after the current recovery period began: a new recovery period,
 *       {@code ssthresh = cwnd / 2, cwnd = max(ssthresh, minimum)}; acknowledgements of packets sent
 *       before the period began do not grow the window;</li>
 *   <li>persistent congestion: {@code cwnd = minimum};</li>
 *   <li>§7.8: a packet sent while the sender was application-limited (less than half the window
 *       in flight) does not grow the window.</li>
 * </ul>
 */
final class NewReno implements CongestionControl {

    private static final long NO_RECOVERY = Long.MIN_VALUE;

    private final long maxDatagram;
    private final long minimumWindow;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private long recoveryStart = NO_RECOVERY;

    NewReno(int maxDatagramBytes) {
        this.maxDatagram = maxDatagramBytes;
        this.minimumWindow = 2L * maxDatagramBytes;
        this.cwnd = Math.min(10L * maxDatagramBytes, Math.max(14720L, 2L * maxDatagramBytes));
    }

    @Override
    public boolean canSend(long bytesInFlight) {
        return bytesInFlight < cwnd;
    }

    @Override
    public int spanLimit() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void onPacketAcked(SentPacket packet, long nowNanos) {
        if (inRecovery(packet.sentNanos())) {
            return;
        }
        if (2 * packet.bytesInFlightAfter() < cwnd) {
            return; // application-limited: the window was not the limit
        }
        if (cwnd < ssthresh) {
            cwnd += packet.bytes();
        } else {
            cwnd += Math.max(1, maxDatagram * packet.bytes() / cwnd);
        }
    }

    @Override
    public void onAckProcessed(boolean progressed, long nowNanos) {
    }

    @Override
    public void onLost(LossEvent event) {
        if (!inRecovery(event.largestLostSentNanos())) {
            recoveryStart = event.nowNanos();
            ssthresh = cwnd / 2;
            cwnd = Math.max(ssthresh, minimumWindow);
        }
        if (event.persistent()) {
            cwnd = minimumWindow;
            recoveryStart = NO_RECOVERY;
        }
    }

    @Override
    public long window() {
        return cwnd;
    }

    long ssthresh() {
        return ssthresh;
    }

    long minimumWindow() {
        return minimumWindow;
    }

    boolean inRecovery(long sentNanos) {
        return recoveryStart != NO_RECOVERY && sentNanos <= recoveryStart;
    }
}
