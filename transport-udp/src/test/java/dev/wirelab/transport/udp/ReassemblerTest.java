package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReassemblerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int STREAM = 5;

    private static byte[] bytes(int length, int fill) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static Reassembler reassembler(long capacity) {
        return new Reassembler(capacity, 10_000, 2 * SECOND);
    }

    @Test
    void fragmentsArrivingInAnyOrderMakeTheWholeMessage() {
        Reassembler r = reassembler(100_000);

        assertThat(r.offer(STREAM, true, 7, 2, 3, bytes(10, 3), 0, 100_000)).isInstanceOf(Reassembler.Result.Incomplete.class);
        assertThat(r.offer(STREAM, true, 7, 0, 3, bytes(100, 1), 0, 100_000)).isInstanceOf(Reassembler.Result.Incomplete.class);
        Reassembler.Result last = r.offer(STREAM, true, 7, 1, 3, bytes(100, 2), 0, 100_000);

        assertThat(last).isInstanceOfSatisfying(Reassembler.Result.Complete.class, c -> {
            assertThat(c.message()).hasSize(210);
            assertThat(c.message()[0]).isEqualTo((byte) 1);
            assertThat(c.message()[100]).isEqualTo((byte) 2);
            assertThat(c.message()[209]).isEqualTo((byte) 3);
        });
        assertThat(r.held()).isZero();
        assertThat(r.partialCount()).isZero();
    }

    @Test
    void aFragmentReceivedTwiceIsADuplicateAndCostsNothingMore() {
        Reassembler r = reassembler(100_000);
        r.offer(STREAM, true, 1, 0, 2, bytes(50, 1), 0, 100_000);
        long held = r.held();

        assertThat(r.offer(STREAM, true, 1, 0, 2, bytes(50, 1), 0, 100_000)).isInstanceOf(Reassembler.Result.Duplicate.class);
        assertThat(r.held()).isEqualTo(held);
        assertThat(r.has(STREAM, true, 1, 0)).isTrue();
        assertThat(r.bytesToAdd(STREAM, true, 1, 0, 50)).isZero();
    }

    @Test
    void theSameNumberOnAnotherStreamOrInTheOtherPoolIsAnotherMessage() {
        Reassembler r = reassembler(100_000);
        r.offer(STREAM, true, 1, 0, 2, bytes(50, 1), 0, 100_000);

        assertThat(r.offer(STREAM + 1, true, 1, 0, 2, bytes(50, 1), 0, 100_000)).isInstanceOf(Reassembler.Result.Incomplete.class);
        assertThat(r.offer(STREAM, false, 1, 0, 2, bytes(50, 1), 0, 100_000)).isInstanceOf(Reassembler.Result.Incomplete.class);
        assertThat(r.partialCount()).isEqualTo(3);
    }

    @Test
    void fragmentsAddingUpToMoreThanTheMaximumMessageAreDropped() {
        Reassembler r = reassembler(100_000);
        r.offer(STREAM, false, 1, 0, 3, bytes(6_000, 1), 0, 100_000);

        Reassembler.Result result = r.offer(STREAM, false, 1, 1, 3, bytes(6_000, 1), 0, 100_000);

        assertThat(result).isEqualTo(new Reassembler.Result.Dropped(Reassembler.Reason.TOO_LARGE));
        assertThat(r.held()).isZero();
        assertThat(r.partialCount()).isZero();
    }

    @Test
    void aFragmentCountThatDisagreesWithEarlierFragmentsIsDropped() {
        Reassembler r = reassembler(100_000);
        r.offer(STREAM, true, 1, 0, 3, bytes(10, 1), 0, 100_000);

        assertThat(r.offer(STREAM, true, 1, 1, 4, bytes(10, 1), 0, 100_000))
                .isEqualTo(new Reassembler.Result.Dropped(Reassembler.Reason.INCONSISTENT));
    }

    @Test
    void partialUnreliableMessagesExpireAfterTheTimeoutAndReliableOnesNever() {
        Reassembler r = reassembler(100_000);
        r.offer(STREAM, false, 1, 0, 2, bytes(10, 1), 1 * SECOND, 100_000);
        r.offer(STREAM, false, 2, 0, 2, bytes(10, 1), 2 * SECOND, 100_000);
        r.offer(STREAM, true, 3, 0, 2, bytes(10, 1), 0, 100_000);

        assertThat(r.nextDeadline()).isEqualTo(3 * SECOND);
        assertThat(r.expire(3 * SECOND - 1)).isZero();
        assertThat(r.expire(3 * SECOND)).isEqualTo(1);
        assertThat(r.nextDeadline()).isEqualTo(4 * SECOND);
        assertThat(r.expire(100 * SECOND)).isEqualTo(1);
        assertThat(r.nextDeadline()).isEqualTo(Reassembler.NEVER);
        assertThat(r.partialCount()).isEqualTo(1);
        assertThat(r.droppedPartials()).isEqualTo(2);
    }

    @Test
    void theMemoryCapEvictsTheOldestUnreliablePartialsFirst() {
        long perMessage = Reassembler.MESSAGE_OVERHEAD + Reassembler.PIECE_OVERHEAD + 1_000;
        Reassembler r = reassembler(3 * perMessage);
        for (int seq = 0; seq < 3; seq++) {
            r.offer(STREAM, false, seq, 0, 2, bytes(1_000, seq), seq, 3 * perMessage);
        }
        assertThat(r.held()).isEqualTo(3 * perMessage);

        r.offer(STREAM, false, 3, 0, 2, bytes(1_000, 3), 3, 3 * perMessage);

        assertThat(r.held()).isEqualTo(3 * perMessage);
        assertThat(r.has(STREAM, false, 0, 0)).as("the oldest went").isFalse();
        assertThat(r.has(STREAM, false, 3, 0)).isTrue();
        assertThat(r.droppedPartials()).isEqualTo(1);
    }

    @Test
    void aReliableFragmentOverTheLimitIsRefusedWithoutEvictingAnything() {
        long perMessage = Reassembler.MESSAGE_OVERHEAD + Reassembler.PIECE_OVERHEAD + 1_000;
        Reassembler r = reassembler(2 * perMessage);
        r.offer(STREAM, false, 0, 0, 2, bytes(1_000, 0), 0, 2 * perMessage);
        r.offer(STREAM, true, 1, 0, 2, bytes(1_000, 0), 0, 2 * perMessage);

        assertThat(r.offer(STREAM, true, 2, 0, 2, bytes(1_000, 0), 0, 2 * perMessage))
                .isEqualTo(new Reassembler.Result.Dropped(Reassembler.Reason.MEMORY));
        assertThat(r.has(STREAM, false, 0, 0)).isTrue();
        assertThat(r.held()).isEqualTo(2 * perMessage);
    }

    @Test
    void emptyFragmentsStillCostMemorySoAFloodOfThemHitsTheCap() {
        Reassembler r = reassembler(10_000);
        int stored = 0;
        for (int i = 0; i < 10_000; i++) {
            if (r.offer(STREAM, true, 1, i, 65_535, new byte[0], 0, 10_000) instanceof Reassembler.Result.Incomplete) {
                stored++;
            }
        }

        assertThat(stored).isLessThan(10_000 / Reassembler.PIECE_OVERHEAD);
        assertThat(r.held()).isLessThanOrEqualTo(10_000);
    }

    @Test
    void heldBytesCountWaitingWholeMessagesToo() {
        Reassembler r = reassembler(10_000);

        r.hold(4_000);
        assertThat(r.free()).isEqualTo(6_000);
        r.release(4_000);

        assertThat(r.free()).isEqualTo(10_000);
    }

    @Test
    void discardBelowDropsOlderPartialsOfOneStreamOnly() {
        Reassembler r = reassembler(100_000);
        r.offer(STREAM, false, 1, 0, 2, bytes(10, 1), 0, 100_000);
        r.offer(STREAM, false, 5, 0, 2, bytes(10, 1), 0, 100_000);
        r.offer(STREAM + 1, false, 1, 0, 2, bytes(10, 1), 0, 100_000);

        assertThat(r.discardBelow(STREAM, 5)).isEqualTo(1);
        assertThat(r.has(STREAM, false, 5, 0)).isTrue();
        assertThat(r.has(STREAM + 1, false, 1, 0)).isTrue();
    }
}
