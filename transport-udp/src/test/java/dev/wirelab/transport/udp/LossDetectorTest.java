package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LossDetectorTest {

    private static final long MS = 1_000_000L;

    /** An RTT estimate with srtt = latest = 100 ms: loss delay 112.5 ms. */
    private static RttEstimator rtt100() {
        RttEstimator rtt = new RttEstimator(100 * MS, MS, 0, 60_000 * MS, 0);
        rtt.onSample(100 * MS, 0);
        return rtt;
    }

    private static PacketCodec.AckFrame ack(long... bounds) {
        AckRanges.Range[] ranges = new AckRanges.Range[bounds.length / 2];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new AckRanges.Range(bounds[2 * i], bounds[2 * i + 1]);
        }
        return new PacketCodec.AckFrame(Arrays.asList(ranges), 0, 0, 0);
    }

    /** Sends packets 0..count-1, one per millisecond, each 100 bytes. */
    private static LossDetector sent(int packetThreshold, double timeThreshold, int count) {
        LossDetector d = new LossDetector(packetThreshold, timeThreshold);
        for (int i = 0; i < count; i++) {
            d.onSent(SentPacket.of(i, i, i * MS, 100));
        }
        return d;
    }

    private static List<Long> numbers(List<LossDetector.Lost> lost) {
        return lost.stream().map(l -> l.packet().number()).toList();
    }

    @Test
    void anAckRemovesEveryPacketInEachOfItsRanges() {
        LossDetector d = sent(3, 9.0 / 8, 10);

        LossDetector.AckResult r = d.onAck(ack(7, 8, 2, 4));

        assertThat(r.newlyAcked()).extracting(SentPacket::number).containsExactly(2L, 3L, 4L, 7L, 8L);
        assertThat(r.largest()).hasValueSatisfying(p -> assertThat(p.number()).isEqualTo(8));
        assertThat(d.packetsInFlight()).isEqualTo(5);
        assertThat(d.bytesInFlight()).isEqualTo(500);
        assertThat(d.largestAcked()).isEqualTo(8);
    }

    @Test
    void anAckWhoseLargestWasAcknowledgedBeforeGivesNoRttSample() {
        LossDetector d = sent(3, 9.0 / 8, 5);
        d.onAck(ack(4, 4));

        LossDetector.AckResult r = d.onAck(ack(4, 4, 1, 2));

        assertThat(r.newlyAcked()).extracting(SentPacket::number).containsExactly(1L, 2L);
        assertThat(r.largest()).isEmpty();
    }

    @Test
    void aPacketIsLostOnceAPacketThreeLaterIsAcknowledgedAndNotBefore() {
        LossDetector d = sent(3, 0, 6);

        d.onAck(ack(2, 2));
        assertThat(d.detectLost(10 * MS, rtt100())).isEmpty();

        d.onAck(ack(3, 3));
        List<LossDetector.Lost> lost = d.detectLost(10 * MS, rtt100());

        assertThat(numbers(lost)).containsExactly(0L);
        assertThat(lost.get(0).cause()).isEqualTo(LossCause.PACKET_THRESHOLD);
        assertThat(d.inFlight()).extracting(SentPacket::number).containsExactly(1L, 4L, 5L);
    }

    @Test
    void thePacketThresholdCountsAckElicitingPacketsNotPacketNumbers() {
        LossDetector d = new LossDetector(3, 0);
        // packet numbers 0, 2, 4, 6: ACK-only packets took 1, 3 and 5
        for (int i = 0; i < 4; i++) {
            d.onSent(SentPacket.of(2L * i, i, i * MS, 100));
        }

        d.onAck(ack(4, 4));
        assertThat(d.detectLost(10 * MS, rtt100())).as("4 is only two ack-eliciting packets after 0").isEmpty();

        d.onAck(ack(6, 6));
        assertThat(numbers(d.detectLost(10 * MS, rtt100()))).containsExactly(0L);
    }

    @Test
    void theTimeThresholdDeclaresOldPacketsLostAndSchedulesTheYoungerOnes() {
        LossDetector d = new LossDetector(0, 9.0 / 8);
        d.onSent(SentPacket.of(0, 0, 0, 100));
        d.onSent(SentPacket.of(1, 1, 50 * MS, 100));
        d.onSent(SentPacket.of(2, 2, 60 * MS, 100));
        d.onAck(ack(2, 2));

        List<LossDetector.Lost> lost = d.detectLost(120 * MS, rtt100());

        // loss delay 112.5 ms: packet 0 (sent at 0) is older, packet 1 (sent at 50 ms) is not yet
        assertThat(numbers(lost)).containsExactly(0L);
        assertThat(lost.get(0).cause()).isEqualTo(LossCause.TIME_THRESHOLD);
        assertThat(d.lossTime()).isEqualTo(50 * MS + 112_500_000L);
        assertThat(numbers(d.detectLost(d.lossTime(), rtt100()))).containsExactly(1L);
        assertThat(d.lossTime()).isEqualTo(LossDetector.NEVER);
    }

    @Test
    void everyGapInOneAckIsDeclaredLostInTheSamePass() {
        LossDetector d = sent(3, 9.0 / 8, 20);

        // packets 0, 3, 6, 9 and 12 missing
        d.onAck(ack(13, 19, 10, 11, 7, 8, 4, 5, 1, 2));
        List<LossDetector.Lost> lost = d.detectLost(20 * MS, rtt100());

        assertThat(numbers(lost)).containsExactly(0L, 3L, 6L, 9L, 12L);
    }

    @Test
    void anAckForAPacketAlreadyDeclaredLostIsReportedAsLate() {
        LossDetector d = sent(3, 0, 6);
        d.onAck(ack(3, 5));
        assertThat(numbers(d.detectLost(10 * MS, rtt100()))).containsExactly(0L, 1L, 2L);

        LossDetector.AckResult r = d.onAck(ack(3, 5, 0, 1));

        assertThat(r.newlyAcked()).isEmpty();
        assertThat(r.lateAcked()).extracting(SentPacket::number).containsExactly(0L, 1L);
    }

    @Test
    void eachPacketExpiresOnItsOwnBackedOffTimeout() {
        LossDetector d = new LossDetector(0, 0);
        d.onSent(new SentPacket(0, 0, 0, 100, List.of(), 100, 0));
        d.onSent(new SentPacket(1, 1, 10 * MS, 100, List.of(), 200, 2));
        d.onSent(new SentPacket(2, 2, 20 * MS, 100, List.of(), 300, 0));
        java.util.function.IntToLongFunction timeout = e -> (100 * MS) << e;

        assertThat(d.earliestExpiry(timeout)).isEqualTo(100 * MS);
        assertThat(d.expire(119 * MS, timeout)).extracting(SentPacket::number).containsExactly(0L);
        assertThat(d.earliestExpiry(timeout)).isEqualTo(120 * MS);
        assertThat(d.expire(120 * MS, timeout)).extracting(SentPacket::number).containsExactly(2L);
        assertThat(d.expire(409 * MS, timeout)).isEmpty();
        assertThat(d.expire(410 * MS, timeout)).extracting(SentPacket::number).containsExactly(1L);
        assertThat(d.packetsInFlight()).isZero();
        assertThat(d.bytesInFlight()).isZero();
    }

    @Test
    void withBothThresholdsOffNothingIsDeclaredLostByAnAck() {
        LossDetector d = sent(0, 0, 10);
        d.onAck(ack(9, 9));

        assertThat(d.detectLost(10_000 * MS, rtt100())).isEmpty();
        assertThat(d.lossTime()).isEqualTo(LossDetector.NEVER);
    }

    @Test
    void persistentCongestionNeedsALongSpanWithNothingAcknowledgedInBetween() {
        LossDetector d = new LossDetector(1, 0);
        for (int i = 0; i < 10; i++) {
            d.onSent(SentPacket.of(i, i, i * 100 * MS, 100));
        }
        d.onAck(ack(9, 9));
        List<SentPacket> lost = d.detectLost(1_000 * MS, rtt100()).stream().map(LossDetector.Lost::packet).toList();
        assertThat(lost).hasSize(9);

        assertThat(d.persistentCongestion(lost, 800 * MS, true)).isTrue();
        assertThat(d.persistentCongestion(lost, 801 * MS, true)).isFalse();
        assertThat(d.persistentCongestion(lost, 800 * MS, false)).as("needs an RTT sample first").isFalse();
    }

    @Test
    void anAcknowledgedPacketBetweenTwoLostOnesBreaksThePersistentCongestionSpan() {
        LossDetector d = new LossDetector(1, 0);
        for (int i = 0; i < 10; i++) {
            d.onSent(SentPacket.of(i, i, i * 100 * MS, 100));
        }
        d.onAck(ack(9, 9, 5, 5));
        List<SentPacket> lost = d.detectLost(1_000 * MS, rtt100()).stream().map(LossDetector.Lost::packet).toList();
        assertThat(lost).extracting(SentPacket::number).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L);

        assertThat(d.persistentCongestion(lost, 450 * MS, true)).isFalse();
        assertThat(d.persistentCongestion(lost, 400 * MS, true)).isTrue();
    }
}
