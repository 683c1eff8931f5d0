package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CongestionControlTest {

    private static final int MAX_DATAGRAM = 1184;

    /** A packet of {@code bytes} sent at {@code sentNanos} while the window was full. */
    private static SentPacket full(long number, long sentNanos, int bytes) {
        return new SentPacket(number, number, sentNanos, bytes, List.of(), Long.MAX_VALUE / 4, 0);
    }

    private static CongestionControl.LossEvent loss(long sentNanos, LossCause cause, boolean persistent,
            int inFlight, long now) {
        return new CongestionControl.LossEvent(List.of(full(0, sentNanos, 1000)), cause, persistent, inFlight, now);
    }

    // -------------------------------------------------------------------------------------- NewReno

    @Test
    void newRenoStartsWithTheRfc9002InitialWindow() {
        NewReno reno = new NewReno(MAX_DATAGRAM);

        assertThat(reno.window()).isEqualTo(Math.min(10L * MAX_DATAGRAM, Math.max(14720, 2L * MAX_DATAGRAM)));
        assertThat(reno.window()).isEqualTo(11840);
        assertThat(reno.minimumWindow()).isEqualTo(2368);
        assertThat(new NewReno(1200).window()).isEqualTo(12000);
        assertThat(new NewReno(9000).window()).isEqualTo(18000);
    }

    @Test
    void itMaySendWhileLessThanTheWindowIsInFlight() {
        NewReno reno = new NewReno(MAX_DATAGRAM);

        assertThat(reno.canSend(11839)).isTrue();
        assertThat(reno.canSend(11840)).isFalse();
    }

    @Test
    void slowStartGrowsTheWindowByEveryAcknowledgedByte() {
        NewReno reno = new NewReno(MAX_DATAGRAM);

        reno.onPacketAcked(full(1, 0, 1000), 10);
        reno.onPacketAcked(full(2, 0, 500), 10);

        assertThat(reno.window()).isEqualTo(11840 + 1500);
    }

    @Test
    void aLossHalvesTheWindowAndCongestionAvoidanceThenAddsOneDatagramPerWindow() {
        NewReno reno = new NewReno(MAX_DATAGRAM);
        reno.onLost(loss(5, LossCause.PACKET_THRESHOLD, false, 10, 100));
        assertThat(reno.window()).isEqualTo(5920);
        assertThat(reno.ssthresh()).isEqualTo(5920);

        long before = reno.window();
        reno.onPacketAcked(full(3, 200, 1184), 300);

        assertThat(reno.window()).isEqualTo(before + (long) MAX_DATAGRAM * 1184 / before);
    }

    @Test
    void lossesWithinOneRecoveryPeriodReduceTheWindowOnce() {
        NewReno reno = new NewReno(MAX_DATAGRAM);
        reno.onLost(loss(5, LossCause.PACKET_THRESHOLD, false, 10, 100));

        reno.onLost(loss(50, LossCause.TIME_THRESHOLD, false, 10, 150));
        assertThat(reno.window()).as("sent before the period began at 100").isEqualTo(5920);

        reno.onLost(loss(120, LossCause.PACKET_THRESHOLD, false, 10, 200));
        assertThat(reno.window()).as("sent after it: a new period").isEqualTo(2960);
    }

    @Test
    void packetsSentBeforeTheRecoveryPeriodDoNotGrowTheWindow() {
        NewReno reno = new NewReno(MAX_DATAGRAM);
        reno.onLost(loss(5, LossCause.PACKET_THRESHOLD, false, 10, 100));

        reno.onPacketAcked(full(1, 99, 1184), 150);
        assertThat(reno.window()).isEqualTo(5920);

        reno.onPacketAcked(full(2, 101, 1184), 150);
        assertThat(reno.window()).isGreaterThan(5920);
    }

    @Test
    void theWindowNeverFallsBelowTwoDatagrams() {
        NewReno reno = new NewReno(MAX_DATAGRAM);
        for (int i = 0; i < 10; i++) {
            reno.onLost(loss(i * 100 + 1, LossCause.PACKET_THRESHOLD, false, 10, i * 100 + 50));
        }

        assertThat(reno.window()).isEqualTo(2 * MAX_DATAGRAM);
    }

    @Test
    void persistentCongestionCollapsesTheWindowToTheMinimum() {
        NewReno reno = new NewReno(MAX_DATAGRAM);
        reno.onPacketAcked(full(1, 0, 50_000), 1);

        reno.onLost(loss(5, LossCause.TIMEOUT, true, 10, 100));

        assertThat(reno.window()).isEqualTo(2368);
    }

    @Test
    void anApplicationLimitedSenderDoesNotGrowItsWindow() {
        NewReno reno = new NewReno(MAX_DATAGRAM);

        reno.onPacketAcked(new SentPacket(1, 1, 0, 40, List.of(), 40, 0), 10);

        assertThat(reno.window()).isEqualTo(11840);
    }

    // ----------------------------------------------------------------------------------------- KCP

    @Test
    void kcpStartsAtOneGrowsByOneBelowSsthreshThenByItsCongestionAvoidanceCounter() {
        int mss = 1000;
        KcpWindow kcp = new KcpWindow(mss, 128, 0);
        assertThat(kcp.window()).isEqualTo(1);
        assertThat(kcp.spanLimit()).isEqualTo(1);

        kcp.onAckProcessed(true, 0);
        assertThat(kcp.window()).as("slow start below ssthresh 2").isEqualTo(2);

        // ikcp.c: incr = 2000 after slow start; each step adds mss*mss/incr + mss/16
        long incr = 2000;
        long cwnd = 2;
        for (int i = 0; i < 20; i++) {
            kcp.onAckProcessed(true, 0);
            incr += (long) mss * mss / incr + mss / 16;
            if ((cwnd + 1) * mss <= incr) {
                cwnd = (incr + mss - 1) / mss;
            }
            assertThat(kcp.window()).isEqualTo(cwnd);
        }
    }

    @Test
    void kcpIgnoresAcknowledgementsThatMakeNoProgress() {
        KcpWindow kcp = new KcpWindow(1000, 128, 0);

        kcp.onAckProcessed(false, 0);

        assertThat(kcp.window()).isEqualTo(1);
    }

    @Test
    void aKcpTimeoutHalvesSsthreshAndDropsTheWindowToOne() {
        KcpWindow kcp = new KcpWindow(1000, 128, 0);
        for (int i = 0; i < 40; i++) {
            kcp.onAckProcessed(true, 0);
        }
        long before = kcp.window();
        assertThat(before).isGreaterThan(4);

        kcp.onLost(loss(0, LossCause.TIMEOUT, false, 10, 1));

        assertThat(kcp.window()).isEqualTo(1);
        assertThat(kcp.ssthresh()).isEqualTo(before / 2);
    }

    @Test
    void aKcpFastResendSetsSsthreshToHalfTheInflightAndAddsTheResendCount() {
        KcpWindow kcp = new KcpWindow(1000, 128, 2);

        kcp.onLost(loss(0, LossCause.PACKET_THRESHOLD, false, 10, 1));

        assertThat(kcp.ssthresh()).isEqualTo(5);
        assertThat(kcp.window()).isEqualTo(7);
    }

    @Test
    void theKcpWindowNeverExceedsThePeersWindow() {
        KcpWindow kcp = new KcpWindow(1000, 8, 0);
        for (int i = 0; i < 1_000; i++) {
            kcp.onAckProcessed(true, 0);
        }

        assertThat(kcp.window()).isEqualTo(8);
    }

    @Test
    void aFixedWindowNeitherLimitsBytesNorChanges() {
        CongestionControl fixed = CongestionControl.create(EngineConfig.profile("kcp-nocc"));
        assertThat(fixed).isInstanceOf(CongestionControl.Fixed.class);

        fixed.onLost(loss(0, LossCause.TIMEOUT, true, 10, 1));

        assertThat(fixed.canSend(Long.MAX_VALUE / 2)).isTrue();
        assertThat(fixed.spanLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(fixed.window()).isEqualTo(128);
    }

    @Test
    void eachProfileGetsTheControllerItNames() {
        assertThat(CongestionControl.create(EngineConfig.profile("quic-like"))).isInstanceOf(NewReno.class);
        assertThat(CongestionControl.create(EngineConfig.profile("tcp-like"))).isInstanceOf(NewReno.class);
        assertThat(CongestionControl.create(EngineConfig.profile("kcp-default"))).isInstanceOf(KcpWindow.class);
        assertThat(CongestionControl.create(EngineConfig.profile("kcp-turbo")))
                .isInstanceOf(CongestionControl.Fixed.class);
    }
}
