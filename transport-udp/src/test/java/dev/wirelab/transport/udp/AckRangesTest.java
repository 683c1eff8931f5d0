package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AckRangesTest {

    private static AckRanges.Range r(long smallest, long largest) {
        return new AckRanges.Range(smallest, largest);
    }

    @Test
    void adjacentNumbersFormOneRange() {
        AckRanges set = new AckRanges(8);
        set.add(3);
        set.add(4);
        set.add(2);

        assertThat(set.descending(10)).containsExactly(r(2, 4));
        assertThat(set.largest()).isEqualTo(4);
    }

    @Test
    void fillingAGapMergesTheRangesOnBothSides() {
        AckRanges set = new AckRanges(8);
        for (long n : new long[] {0, 1, 2, 4, 5, 7}) {
            set.add(n);
        }
        assertThat(set.descending(10)).containsExactly(r(7, 7), r(4, 5), r(0, 2));

        set.add(3);

        assertThat(set.descending(10)).containsExactly(r(7, 7), r(0, 5));
    }

    @Test
    void rangesComeLargestFirstAndAreCutAtTheLimitAsked() {
        AckRanges set = new AckRanges(8);
        for (long n = 0; n < 20; n += 2) {
            set.add(n);
        }

        assertThat(set.descending(3)).containsExactly(r(18, 18), r(16, 16), r(14, 14));
    }

    @Test
    void aNumberAlreadyPresentOrBelowTheFloorIsNotAddedAgain() {
        AckRanges set = new AckRanges(8);
        assertThat(set.add(5)).isTrue();
        assertThat(set.add(5)).isFalse();
        set.removeBelow(4);

        assertThat(set.add(3)).isFalse();
        assertThat(set.isBelowFloor(3)).isTrue();
        assertThat(set.isBelowFloor(4)).isFalse();
    }

    @Test
    void beyondItsLimitTheLowestRangeIsForgottenAndTheFloorRises() {
        AckRanges set = new AckRanges(3);
        for (long n : new long[] {0, 1, 3, 5, 7}) {
            set.add(n);
        }

        assertThat(set.rangeCount()).isEqualTo(3);
        assertThat(set.descending(10)).containsExactly(r(7, 7), r(5, 5), r(3, 3));
        assertThat(set.floor()).isEqualTo(2);
        assertThat(set.isBelowFloor(1)).isTrue();
    }

    @Test
    void addingARangeMergesEveryRangeItTouches() {
        AckRanges set = new AckRanges(8);
        for (long n : new long[] {1, 4, 9, 20}) {
            set.add(n);
        }

        set.addRange(2, 10);

        assertThat(set.descending(10)).containsExactly(r(20, 20), r(1, 10));
    }

    @Test
    void intersectsFindsAnyNumberInAnInterval() {
        AckRanges set = new AckRanges(8);
        set.addRange(10, 12);
        set.add(20);

        assertThat(set.intersects(0, 9)).isFalse();
        assertThat(set.intersects(12, 19)).isTrue();
        assertThat(set.intersects(13, 19)).isFalse();
        assertThat(set.intersects(15, 25)).isTrue();
        assertThat(set.intersects(5, 4)).isFalse();
    }

    @Test
    void removeBelowCutsARangeInTwo() {
        AckRanges set = new AckRanges(8);
        set.addRange(0, 10);

        set.removeBelow(6);

        assertThat(set.descending(10)).containsExactly(r(6, 10));
        assertThat(set.contains(5)).isFalse();
    }

    @Test
    void agreesWithAPlainSetForSeededRandomInsertions() {
        SplittableRandom random = new SplittableRandom(7);
        AckRanges set = new AckRanges(1_000);
        TreeSet<Long> naive = new TreeSet<>();
        for (int i = 0; i < 3_000; i++) {
            long n = random.nextLong(2_000);
            assertThat(set.add(n)).isEqualTo(naive.add(n));
        }
        List<AckRanges.Range> expected = new ArrayList<>();
        Long start = null;
        Long prev = null;
        for (long n : naive.descendingSet()) {
            if (prev != null && n == prev - 1) {
                prev = n;
                continue;
            }
            if (start != null) {
                expected.add(r(prev, start));
            }
            start = n;
            prev = n;
        }
        expected.add(r(prev, start));

        assertThat(set.descending(Integer.MAX_VALUE)).isEqualTo(expected);
        for (long n = 0; n < 2_000; n++) {
            assertThat(set.contains(n)).isEqualTo(naive.contains(n));
        }
    }
}
