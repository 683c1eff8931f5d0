package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private static final long MS = 1_000_000L;

    @Test
    void countsDeliveredLostDuplicatedAndReordered() {
        SequenceTracker tracker = new SequenceTracker(0);
        for (long seq : new long[] {0, 1, 3, 2, 3, 5, 4, 5}) {
            tracker.record(seq, seq * 10 * MS, seq * 10 * MS, seq * 10 * MS + MS);
        }

        assertThat(tracker.delivered()).isEqualTo(6);
        assertThat(tracker.duplicated()).as("3 and 5 twice").isEqualTo(2);
        assertThat(tracker.reordered()).as("2 after 3, 4 after 5").isEqualTo(2);
        assertThat(tracker.lost(8)).as("6 and 7 never came").isEqualTo(2);
    }

    @Test
    void ignoresWarmUpPosts() {
        SequenceTracker tracker = new SequenceTracker(100);
        tracker.record(5, 0, 0, 500 * MS);
        tracker.record(100, 0, 0, MS);
        tracker.record(101, 0, 0, MS);

        assertThat(tracker.delivered()).isEqualTo(2);
        assertThat(tracker.lost(3)).isEqualTo(1);
        assertThat(tracker.corrected().getMaxValue()).isLessThan(2 * MS);
    }

    @Test
    void correctedLatencyCountsFromTheIntendedSendTime() {
        SequenceTracker tracker = new SequenceTracker(0);
        // The sender stalled: post 0 was meant at 0 but left at 90 ms, and arrived at 91 ms.
        tracker.record(0, 0, 90 * MS, 91 * MS);

        assertThat(tracker.corrected().getMaxValue()).isBetween(90 * MS, 92 * MS);
        assertThat(tracker.uncorrected().getMaxValue()).isBetween(MS - MS / 100, MS + MS / 100);
    }

    @Test
    void duplicatesAddNoLatency() {
        SequenceTracker tracker = new SequenceTracker(0);
        tracker.record(0, 0, 0, MS);
        tracker.record(0, 0, 0, 900 * MS);

        assertThat(tracker.corrected().getTotalCount()).isEqualTo(1);
        assertThat(tracker.corrected().getMaxValue()).isLessThan(2 * MS);
    }

    @Test
    void jitterIsZeroForAConstantTransitTime() {
        SequenceTracker tracker = new SequenceTracker(0);
        for (long seq = 0; seq < 100; seq++) {
            tracker.record(seq, seq * 5 * MS, seq * 5 * MS, seq * 5 * MS + 3 * MS);
        }

        assertThat(tracker.jitterNanos()).isZero();
    }

    @Test
    void jitterConvergesOnTheMeanChangeInTransitTimePerRfc3550() {
        SequenceTracker tracker = new SequenceTracker(0);
        // Transit alternates 1 ms and 3 ms: every |D| is 2 ms, so J tends to 2 ms (gain 1/16).
        for (long seq = 0; seq < 400; seq++) {
            long sent = seq * 5 * MS;
            tracker.record(seq, sent, sent, sent + (seq % 2 == 0 ? MS : 3 * MS));
        }

        assertThat(tracker.jitterNanos()).isBetween(2 * MS - MS / 50, 2 * MS);
    }

    @Test
    void jitterAfterTheFirstStepIsOneSixteenthOfIt() {
        SequenceTracker tracker = new SequenceTracker(0);
        tracker.record(0, 0, 0, MS);
        tracker.record(1, 10 * MS, 10 * MS, 10 * MS + 17 * MS);

        assertThat(tracker.jitterNanos()).isEqualTo(MS); // |D| = 16 ms, J = 16/16
    }
}
