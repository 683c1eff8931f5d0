package dev.wirelab.transport;

import static dev.wirelab.transport.LinkStatistics.MS;
import static dev.wirelab.transport.LinkStatistics.assertBinomial;
import static dev.wirelab.transport.LinkStatistics.assertMean;
import static dev.wirelab.transport.LinkStatistics.count;
import static dev.wirelab.transport.LinkStatistics.lossAfterLoss;
import static dev.wirelab.transport.LinkStatistics.lossPattern;
import static dev.wirelab.transport.LinkStatistics.meanRunLength;
import static dev.wirelab.transport.LinkStatistics.overtaken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.wirelab.transport.LinkModel.Arrival;
import dev.wirelab.transport.LinkModel.LinkStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What one impaired direction does to datagrams. Every random test is seeded, uses 100,000 or more
 * datagrams and checks five-sigma bands, so it cannot flake, yet fails at once if a knob is off.
 */
@Timeout(20)
class LinkModelTest {

    private static final int N = 100_000;

    /** Every knob at once, for the determinism tests. */
    private static final String EVERYTHING =
            "loss=5%,burst=3,delay=20ms,jitter=5ms,reorder=2%,dup=2%,corrupt=1%,rate=10mbit,queue=20kB";

    private static LinkModel link(String spec) {
        return new LinkModel(Impairment.parse(spec));
    }

    /** Traffic of mixed sizes and irregular send times, the same for every call. */
    private static List<List<Arrival>> run(LinkModel link) {
        RandomGenerator traffic = new SplittableRandom(7);
        List<List<Arrival>> fates = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] datagram = new byte[traffic.nextInt(1, 1_400)];
            traffic.nextBytes(datagram);
            now += traffic.nextLong(2 * MS);
            fates.add(link.send(datagram, now));
        }
        return fates;
    }

    @Test
    void theSameSeedAndTrafficGiveTheSameArrivals() {
        List<List<Arrival>> first = run(link(EVERYTHING + ",seed=42"));
        List<List<Arrival>> second = run(link(EVERYTHING + ",seed=42"));

        assertThat(second).isEqualTo(first);
        assertThat(first).anySatisfy(fate -> assertThat(fate).isEmpty());
        assertThat(first).anySatisfy(fate -> assertThat(fate).hasSize(2));
    }

    @Test
    void differentSeedsGiveDifferentArrivals() {
        List<List<Arrival>> first = run(link(EVERYTHING + ",seed=42"));
        List<List<Arrival>> other = run(link(EVERYTHING + ",seed=43"));

        assertThat(other).isNotEqualTo(first);
        assertThat(Arrays.equals(lossPattern(link("loss=5%,seed=42"), 1_000),
                lossPattern(link("loss=5%,seed=43"), 1_000))).isFalse();
    }

    @Test
    void anInjectedGeneratorSeedsTheLinkLikeTheImpairmentSeed() {
        Impairment impairment = Impairment.parse(EVERYTHING + ",seed=42");

        assertThat(run(new LinkModel(impairment, new SplittableRandom(42)))).isEqualTo(run(new LinkModel(impairment)));
    }

    @Test
    void theLossPatternDoesNotDependOnTheOtherKnobs() {
        boolean[] plain = lossPattern(link("loss=5%,burst=3,seed=42"), N);
        boolean[] busy = lossPattern(link(
                "loss=5%,burst=3,delay=20ms,jitter=15ms,reorder=10%,dup=10%,corrupt=10%,rate=1mbit,seed=42"), N);

        assertThat(busy).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.05, 0.20, 0.30})
    void losesTheGivenShareOfDatagrams(double loss) {
        LinkModel link = new LinkModel(new Impairment(loss, 1, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, 11));

        long lost = count(lossPattern(link, N));

        assertBinomial("lost at " + loss, lost, N, loss);
        assertThat(link.stats()).isEqualTo(new LinkStats(N, lost, 0, 0, 0, 0));
    }

    @Test
    void independentLossHasNoMemory() {
        boolean[] lost = lossPattern(link("loss=30%,burst=1,seed=5"), N);
        long losses = count(lost);

        assertMean("P(lost | previous lost)", lossAfterLoss(lost), 0.30, Math.sqrt(0.30 * 0.70), losses);
        // Runs of independent losses are geometric with mean 1 / (1 - loss) and sd sqrt(loss) / (1 - loss).
        long runs = Math.round(losses * 0.70);
        assertMean("mean loss run", meanRunLength(lost), 1 / 0.70, Math.sqrt(0.30) / 0.70, runs);
    }

    @Test
    void gilbertElliottKeepsTheLongRunLossAndTheMeanBurstLength() {
        int n = 200_000;
        double loss = 0.10;
        double burst = 4;
        boolean[] lost = lossPattern(link("loss=10%,burst=4,seed=8"), n);

        double r = 1 / burst;
        double p = loss * r / (1 - loss);
        double lambda = 1 - p - r; // lag-1 correlation of the chain; inflates the variance of the count
        assertBinomial("lost", count(lost), n, loss, (1 + lambda) / (1 - lambda));
        long bursts = Math.round(n * loss / burst);
        assertMean("mean burst", meanRunLength(lost), burst, Math.sqrt(1 - r) / r, bursts);
        assertMean("P(lost | previous lost)", lossAfterLoss(lost), 1 - r, Math.sqrt(r * (1 - r)), Math.round(n * loss));
    }

    @Test
    void gilbertElliottAtBurstOneOverOneMinusLossIsIndependent() {
        boolean[] lost = lossPattern(link("loss=20%,burst=1.25,seed=3"), N);

        assertBinomial("lost", count(lost), N, 0.20);
        assertMean("P(lost | previous lost)", lossAfterLoss(lost), 0.20, 0.40, Math.round(N * 0.2));
    }

    @Test
    void theFirstDatagramFindsTheChainInItsLongRunState() {
        Impairment bursty = Impairment.parse("loss=20%,burst=8");
        int links = 20_000;
        long firstLost = 0;
        for (int seed = 0; seed < links; seed++) {
            if (new LinkModel(bursty.withSeed(seed)).send(new byte[1], 0).isEmpty()) {
                firstLost++;
            }
        }

        assertBinomial("first datagrams lost", firstLost, links, 0.20);
    }

    @Test
    void noLossDeliversEverythingAndFullLossNothing() {
        assertThat(count(lossPattern(link("loss=0%,seed=1"), 10_000))).isZero();
        assertThat(count(lossPattern(link("loss=100%,seed=1"), 10_000))).isEqualTo(10_000);
        assertThat(count(lossPattern(link("loss=100%,burst=8,seed=1"), 10_000))).isEqualTo(10_000);
    }

    @Test
    void aPerfectLinkDeliversACopyAtOnce() {
        LinkModel link = new LinkModel(Impairment.NONE);
        byte[] datagram = {1, 2, 3};

        List<Arrival> arrivals = link.send(datagram, 123);

        assertThat(arrivals).containsExactly(new Arrival(123, new byte[] {1, 2, 3}));
        assertThat(arrivals.get(0).bytes()).isNotSameAs(datagram);
        assertThat(link.stats()).isEqualTo(new LinkStats(1, 0, 0, 0, 0, 0));
    }

    @Test
    void delayAndJitterKeepEveryArrivalWithinTheirBoundsAndLetDatagramsOvertake() {
        LinkModel link = link("delay=20ms,jitter=5ms,seed=9");
        List<Long> arrivals = new ArrayList<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        double sum = 0;
        for (int i = 0; i < N; i++) {
            long sentAt = i * MS;
            long transit = link.send(new byte[8], sentAt).get(0).atNanos() - sentAt;
            arrivals.add(sentAt + transit);
            min = Math.min(min, transit);
            max = Math.max(max, transit);
            sum += transit;
        }

        assertThat(min).isGreaterThanOrEqualTo(20 * MS).isLessThan(20 * MS + 10_000);
        assertThat(max).isLessThanOrEqualTo(25 * MS).isGreaterThan(25 * MS - 10_000);
        assertMean("mean transit", sum / N, 22.5 * MS, 5 * MS / Math.sqrt(12), N);
        // Sent 1 ms apart with 5 ms of jitter, a datagram is overtaken about 40% of the time.
        assertThat(overtaken(arrivals)).isGreaterThan(N / 4);
        assertThat(link.stats().reordered()).isZero();
    }

    @Test
    void withoutJitterOrReorderDatagramsArriveInSendOrderAfterExactlyTheDelay() {
        LinkModel link = link("loss=10%,delay=20ms,seed=9");
        RandomGenerator gaps = new SplittableRandom(1);
        List<Long> arrivals = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < N; i++) {
            now += gaps.nextLong(100_000);
            for (Arrival arrival : link.send(new byte[8], now)) {
                assertThat(arrival.atNanos() - now).isEqualTo(20 * MS);
                arrivals.add(arrival.atNanos());
            }
        }

        assertThat(overtaken(arrivals)).isZero();
        assertThat(arrivals).isSorted();
    }

    @Test
    void reorderHoldsTheGivenShareBackSoThatLaterDatagramsOvertakeIt() {
        LinkModel link = link("reorder=5%,hold=10ms,seed=4");
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            long sentAt = i * MS;
            long at = link.send(new byte[8], sentAt).get(0).atNanos();
            assertThat(at - sentAt).isIn(0L, 10 * MS);
            arrivals.add(at);
        }

        long held = link.stats().reordered();
        assertBinomial("held back", held, N, 0.05);
        // Sent 1 ms apart, a held datagram is overtaken unless all nine after it are held too
        // (or it is among the last nine sent).
        assertThat(overtaken(arrivals)).isBetween(held - 9, held);
    }

    @Test
    void reorderDoesNotReorderDatagramsSentFurtherApartThanTheHold() {
        LinkModel link = link("reorder=20%,seed=4");
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            arrivals.add(link.send(new byte[8], i * 20 * MS).get(0).atNanos());
        }

        assertThat(link.stats().reordered()).isPositive();
        assertThat(overtaken(arrivals)).isZero();
    }

    @Test
    void duplicateDeliversTheGivenShareTwiceWithTheSameBytes() {
        LinkModel link = link("dup=10%,seed=6");
        RandomGenerator content = new SplittableRandom(2);
        long twice = 0;
        for (int i = 0; i < N; i++) {
            byte[] datagram = new byte[content.nextInt(1, 64)];
            content.nextBytes(datagram);
            long sentAt = i * MS;
            List<Arrival> arrivals = link.send(datagram, sentAt);
            assertThat(arrivals).hasSizeBetween(1, 2);
            assertThat(arrivals).allSatisfy(arrival -> {
                assertThat(arrival.bytes()).isEqualTo(datagram).isNotSameAs(datagram);
                assertThat(arrival.atNanos()).isEqualTo(sentAt);
            });
            if (arrivals.size() == 2) {
                twice++;
                assertThat(arrivals.get(0).bytes()).isNotSameAs(arrivals.get(1).bytes());
            }
        }

        assertBinomial("duplicated", twice, N, 0.10);
        assertThat(link.stats().duplicated()).isEqualTo(twice);
    }

    @Test
    void duplicatesWithJitterComeBackInTimeOrder() {
        LinkModel link = link("dup=100%,jitter=10ms,seed=6");
        long swapped = 0;
        for (int i = 0; i < 10_000; i++) {
            List<Arrival> arrivals = link.send(new byte[] {(byte) i}, i * MS);
            assertThat(arrivals).hasSize(2);
            assertThat(arrivals.get(0).atNanos()).isLessThanOrEqualTo(arrivals.get(1).atNanos());
            if (arrivals.get(0).atNanos() != arrivals.get(1).atNanos()) {
                swapped++;
            }
        }
        assertThat(swapped).isPositive();
    }

    @Test
    void corruptFlipsExactlyOneBitOfACopyAndLeavesTheInputAlone() {
        LinkModel link = link("corrupt=100%,seed=12");
        RandomGenerator content = new SplittableRandom(3);
        int[] flipsPerBitPosition = new int[8];
        for (int i = 0; i < 10_000; i++) {
            byte[] datagram = new byte[content.nextInt(1, 200)];
            content.nextBytes(datagram);
            byte[] before = datagram.clone();

            byte[] received = link.send(datagram, i * MS).get(0).bytes();

            assertThat(datagram).isEqualTo(before);
            int differingBits = 0;
            for (int b = 0; b < datagram.length; b++) {
                int xor = (datagram[b] ^ received[b]) & 0xff;
                differingBits += Integer.bitCount(xor);
                if (xor != 0) {
                    flipsPerBitPosition[Integer.numberOfTrailingZeros(xor)]++;
                }
            }
            assertThat(differingBits).isEqualTo(1);
        }
        assertThat(link.stats().corrupted()).isEqualTo(10_000);
        // 10,000 flips over 8 bit positions: about 1,250 each (sd 33).
        assertThat(Arrays.stream(flipsPerBitPosition).min().orElseThrow()).isGreaterThan(1_000);
        assertThat(Arrays.stream(flipsPerBitPosition).max().orElseThrow()).isLessThan(1_500);
    }

    @Test
    void corruptHitsTheGivenShare() {
        LinkModel link = link("corrupt=10%,seed=13");
        byte[] datagram = new byte[32];
        long corrupted = 0;
        for (int i = 0; i < N; i++) {
            if (!Arrays.equals(link.send(datagram, i * MS).get(0).bytes(), datagram)) {
                corrupted++;
            }
        }

        assertBinomial("corrupted", corrupted, N, 0.10);
        assertThat(link.stats().corrupted()).isEqualTo(corrupted);
        assertThat(datagram).containsOnly(0);
    }

    @Test
    void aCorruptedDuplicateKeepsOneIntactCopyAndAnEmptyDatagramCannotBeCorrupted() {
        LinkModel link = link("corrupt=100%,dup=100%,seed=14");
        byte[] datagram = {1, 2, 3, 4};

        List<Arrival> arrivals = link.send(datagram, 0);

        assertThat(arrivals).hasSize(2);
        assertThat(arrivals).filteredOn(arrival -> Arrays.equals(arrival.bytes(), datagram)).hasSize(1);
        assertThat(link.send(new byte[0], 1)).allSatisfy(arrival -> assertThat(arrival.bytes()).isEmpty());
        assertThat(link.stats().corrupted()).isEqualTo(1);
    }

    @Test
    void aRateSpacesABurstOfDatagramsByTheirSerialisationTime() {
        // 1 Mbit/s is 125,000 B/s: 1,250 B take exactly 10 ms.
        LinkModel link = link("rate=1mbit,queue=200kB,delay=5ms");
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<Arrival> fate = link.send(new byte[1_250], 0);
            assertThat(fate).hasSize(1);
            arrivals.add(fate.get(0).atNanos());
        }

        for (int i = 0; i < 100; i++) {
            assertThat(arrivals.get(i)).isEqualTo((i + 1) * 10 * MS + 5 * MS);
        }
        assertThat(link.stats().tailDropped()).isZero();
    }

    @Test
    void aFullQueueDropsAtTheTailUntilItDrains() {
        LinkModel link = link("rate=1mbit"); // queue 64 KiB = 65,536 B: room for 52 datagrams of 1,250 B
        int delivered = 0;
        for (int i = 0; i < 100; i++) {
            delivered += link.send(new byte[1_250], 0).size();
        }

        assertThat(delivered).isEqualTo(52);
        assertThat(link.stats()).isEqualTo(new LinkStats(100, 0, 0, 0, 0, 48));
        // Half-way through draining, 26 datagrams' worth of room is back; once empty, a datagram goes at once.
        assertThat(link.send(new byte[1_250], 260 * MS)).hasSize(1);
        assertThat(link.send(new byte[1_250], 530 * MS)).containsExactly(new Arrival(540 * MS, new byte[1_250]));
        assertThat(link.send(new byte[1_250], 2_000 * MS)).containsExactly(new Arrival(2_010 * MS, new byte[1_250]));
    }

    @Test
    void trafficBelowTheRateIsNeverQueued() {
        LinkModel link = link("rate=1mbit,queue=1250");
        for (int i = 0; i < 1_000; i++) {
            long sentAt = i * 10 * MS;
            assertThat(link.send(new byte[1_250], sentAt)).containsExactly(new Arrival(sentAt + 10 * MS, new byte[1_250]));
        }
        assertThat(link.send(new byte[1], 10_000 * MS + 5 * MS)).hasSize(1);
        assertThat(link.send(new byte[1_250], 10_000 * MS + 5 * MS)).isEmpty();
        assertThat(link.stats().tailDropped()).isEqualTo(1);
    }

    @Test
    void rejectsNullArguments() {
        assertThatNullPointerException().isThrownBy(() -> new LinkModel(null));
        assertThatNullPointerException().isThrownBy(() -> new LinkModel(Impairment.NONE, null));
        assertThatNullPointerException().isThrownBy(() -> new LinkModel(Impairment.NONE).send(null, 0));
        assertThatNullPointerException().isThrownBy(() -> new Arrival(0, null));
    }

    @Test
    void arrivalsCompareByContent() {
        assertThat(new Arrival(5, new byte[] {1, 2})).isEqualTo(new Arrival(5, new byte[] {1, 2}))
                .hasSameHashCodeAs(new Arrival(5, new byte[] {1, 2}))
                .isNotEqualTo(new Arrival(6, new byte[] {1, 2}))
                .isNotEqualTo(new Arrival(5, new byte[] {1, 3}))
                .hasToString("Arrival[at 5 ns, 2 bytes: 0102]");
    }

    @Test
    void statsCountWhatHappened() {
        LinkModel link = link("loss=10%,dup=10%,reorder=10%,corrupt=10%,rate=1mbit,queue=5000,seed=21");
        for (int i = 0; i < 10_000; i++) {
            link.send(new byte[1_250], i * 5 * MS); // twice the rate: the queue overflows now and then
        }

        LinkStats stats = link.stats();
        assertThat(stats.sent()).isEqualTo(10_000);
        assertThat(stats.lost()).isPositive();
        assertThat(stats.tailDropped()).isPositive();
        assertThat(stats.duplicated()).isPositive();
        assertThat(stats.corrupted()).isPositive();
        assertThat(stats.reordered()).isPositive();
        assertThat(stats.delivered()).isEqualTo(stats.sent() - stats.lost() - stats.tailDropped());
    }
}
