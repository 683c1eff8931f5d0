package dev.wirelab.transport.udp;

/**
 * KCP's congestion window (ikcp.c, {@code nc=0}), counted in packets and applied, as KCP applies
 * it, to how far past a channel's oldest unacknowledged message new data may go:
 * <ul>
 *   <li>starts at 1 with {@code ssthresh = 2} (IKCP_THRESH_INIT);</li>
 *   <li>each ACK that makes progress (KCP: {@code snd_una} advanced), while the window is below
 *       the peer's window: +1 below ssthresh; above it the byte counter {@code incr} grows by
 *       {@code mss^2 / incr + mss / 16} and the window follows {@code incr / mss};</li>
 *   <li>fast resend: {@code ssthresh = max(inflight / 2, 2)}, {@code cwnd = ssthresh + resend};</li>
 *   <li>timeout: {@code ssthresh = max(cwnd / 2, 2)}, {@code cwnd = 1}.</li>
 * </ul>
 */
final class KcpWindow implements CongestionControl {

    static final int THRESH_INIT = 2;
    static final int THRESH_MIN = 2;

    private final long mss;
    private final long remoteWindow;
    private final int resend;
    private long cwnd = 1;
    private long ssthresh = THRESH_INIT;
    private long incr;

    KcpWindow(int mss, int remoteWindow, int resend) {
        this.mss = mss;
        this.remoteWindow = remoteWindow;
        this.resend = resend;
        this.incr = mss;
    }

    @Override
    public boolean canSend(long bytesInFlight) {
        return true;
    }

    @Override
    public int spanLimit() {
        return (int) Math.min(Integer.MAX_VALUE, cwnd);
    }

    @Override
    public void onPacketAcked(SentPacket packet, long nowNanos) {
    }

    @Override
    public void onAckProcessed(boolean progressed, long nowNanos) {
        if (!progressed || cwnd >= remoteWindow) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd++;
            incr += mss;
        } else {
            if (incr < mss) {
                incr = mss;
            }
            incr += (mss * mss) / incr + (mss / 16);
            if ((cwnd + 1) * mss <= incr) {
                cwnd = (incr + mss - 1) / mss;
            }
        }
        if (cwnd > remoteWindow) {
            cwnd = remoteWindow;
            incr = remoteWindow * mss;
        }
    }

    @Override
    public void onLost(LossEvent event) {
        if (event.cause() == LossCause.TIMEOUT) {
            ssthresh = Math.max(cwnd / 2, THRESH_MIN);
            cwnd = 1;
            incr = mss;
        } else {
            ssthresh = Math.max(event.packetsInFlightBefore() / 2, THRESH_MIN);
            cwnd = ssthresh + resend;
            incr = cwnd * mss;
        }
    }

    @Override
    public long window() {
        return cwnd;
    }

    long ssthresh() {
        return ssthresh;
    }
}
