package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RttEstimatorTest {

    private static final long MS = 1_000_000L;

    private static RttEstimator estimator(long minRto, long maxAckDelay) {
        return new RttEstimator(333 * MS, 1 * MS, minRto, 60_000 * MS, maxAckDelay);
    }

    @Test
    void beforeAnySampleTheTimeoutComesFromTheInitialRtt() {
        RttEstimator rtt = estimator(0, 25 * MS);

        assertThat(rtt.hasSample()).isFalse();
        assertThat(rtt.smoothed()).isEqualTo(333 * MS);
        assertThat(rtt.rttvar()).isEqualTo(166_500_000L);
        assertThat(rtt.pto()).isEqualTo(333 * MS + 4 * 166_500_000L + 25 * MS);
    }

    @Test
    void theFirstSampleSetsTheMeanToItAndTheVariationToHalfOfIt() {
        RttEstimator rtt = estimator(0, 25 * MS);

        rtt.onSample(100 * MS, 20 * MS);

        assertThat(rtt.smoothed()).isEqualTo(100 * MS);
        assertThat(rtt.rttvar()).isEqualTo(50 * MS);
        assertThat(rtt.min()).isEqualTo(100 * MS);
        assertThat(rtt.latest()).isEqualTo(100 * MS);
    }

    @Test
    void laterSamplesMoveTheMeanByAnEighthAndTheVariationByAQuarter() {
        RttEstimator rtt = estimator(0, 0);
        rtt.onSample(100 * MS, 0);

        rtt.onSample(180 * MS, 0);

        // RFC 6298 §2.3: rttvar = 3/4 * 50 + 1/4 * |100 - 180| = 57.5; srtt = 7/8 * 100 + 1/8 * 180 = 110
        assertThat(rtt.rttvar()).isEqualTo(57_500_000L);
        assertThat(rtt.smoothed()).isEqualTo(110 * MS);
    }

    @Test
    void theAckDelayIsSubtractedWhenThatStaysAboveTheMinimumRtt() {
        RttEstimator rtt = estimator(0, 25 * MS);
        rtt.onSample(100 * MS, 0);

        rtt.onSample(140 * MS, 20 * MS);

        // adjusted = 140 - 20 = 120
        assertThat(rtt.smoothed()).isEqualTo((7 * 100 * MS + 120 * MS) / 8);
    }

    @Test
    void theAckDelayIsIgnoredWhenSubtractingItWouldGoBelowTheMinimumRtt() {
        RttEstimator rtt = estimator(0, 25 * MS);
        rtt.onSample(100 * MS, 0);

        rtt.onSample(110 * MS, 20 * MS);

        assertThat(rtt.smoothed()).isEqualTo((7 * 100 * MS + 110 * MS) / 8);
    }

    @Test
    void theAckDelayCountsAtMostUpToTheMaximumAckDelay() {
        RttEstimator rtt = estimator(0, 25 * MS);
        rtt.onSample(100 * MS, 0);

        rtt.onSample(200 * MS, 80 * MS);

        assertThat(rtt.smoothed()).isEqualTo((7 * 100 * MS + 175 * MS) / 8);
    }

    @Test
    void thePtoIsTheMeanPlusFourVariationsPlusTheMaximumAckDelay() {
        RttEstimator rtt = estimator(0, 25 * MS);
        rtt.onSample(100 * MS, 0);

        assertThat(rtt.pto()).isEqualTo(100 * MS + 4 * 50 * MS + 25 * MS);
    }

    @Test
    void theGranularityIsTheFloorOfTheVariationTerm() {
        RttEstimator rtt = new RttEstimator(100 * MS, 10 * MS, 0, 60_000 * MS, 0);
        for (int i = 0; i < 100; i++) {
            rtt.onSample(50 * MS, 0);
        }

        assertThat(rtt.rttvar()).isLessThan(MS);
        assertThat(rtt.pto()).isEqualTo(50 * MS + 10 * MS);
    }

    @Test
    void theMinimumRtoIsAFloorAndTheMaximumACeiling() {
        RttEstimator low = estimator(200 * MS, 0);
        low.onSample(10 * MS, 0);
        assertThat(low.pto()).isEqualTo(200 * MS);

        RttEstimator high = new RttEstimator(100 * MS, MS, 0, 500 * MS, 0);
        high.onSample(400 * MS, 0);
        assertThat(high.pto()).isEqualTo(500 * MS);
    }

    @Test
    void eachExpiryMultipliesTheTimeoutByTheBackoffUpToTheMaximum() {
        RttEstimator rtt = new RttEstimator(100 * MS, MS, 100 * MS, 2_000 * MS, 0);
        rtt.onSample(50 * MS, 0);
        long pto = rtt.pto();
        assertThat(pto).isEqualTo(150 * MS);

        assertThat(rtt.backedOff(2.0, 0)).isEqualTo(pto);
        assertThat(rtt.backedOff(2.0, 1)).isEqualTo(2 * pto);
        assertThat(rtt.backedOff(2.0, 3)).isEqualTo(8 * pto);
        assertThat(rtt.backedOff(1.5, 2)).isEqualTo((long) (pto * 2.25));
        assertThat(rtt.backedOff(2.0, 10)).isEqualTo(2_000 * MS);
        assertThat(rtt.backedOff(2.0, 1_000)).isEqualTo(2_000 * MS);
    }

    @Test
    void theLossDelayIsNineEighthsOfTheLargerOfTheMeanAndTheLatestSample() {
        RttEstimator rtt = estimator(0, 0);
        rtt.onSample(80 * MS, 0);
        rtt.onSample(160 * MS, 0); // srtt 90, latest 160

        assertThat(rtt.lossDelay(9.0 / 8)).isEqualTo(180 * MS);
        rtt.onSample(40 * MS, 0); // srtt 83.75, latest 40
        assertThat(rtt.lossDelay(9.0 / 8)).isEqualTo((long) (9.0 / 8 * rtt.smoothed()));
    }

    @Test
    void persistentCongestionLastsThreeUnbackedOffPtos() {
        RttEstimator rtt = estimator(0, 25 * MS);
        rtt.onSample(100 * MS, 0);

        assertThat(rtt.persistentCongestionDuration()).isEqualTo(3 * (100 * MS + 200 * MS + 25 * MS));
    }
}
