package dev.wirelab.transport.udp;

import static dev.wirelab.transport.udp.Traffic.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.LinkModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two engines over seeded lossy links in the simulator: what each delivery mode promises, under
 * 0 to 30% loss with reordering and duplication, for several seeds: the default profile at every
 * loss rate, every other profile at 5% and 30%, and reliable-ordered delivery with every profile
 * under bursty (Gilbert-Elliott) loss.
 */
@Timeout(60)
class EngineUnderLossTest {

    private static final double[] LOSSES = {0, 0.01, 0.05, 0.20, 0.30};
    /** The loss rates the profiles other than the default run at. */
    private static final double[] OTHER_PROFILES_LOSSES = {0.05, 0.30};
    private static final long[] SEEDS = {1, 2, 3};

    /** The default profile at every loss rate, the others at {@link #OTHER_PROFILES_LOSSES}; every seed. */
    static Stream<Arguments> profilesLossesAndSeeds() {
        List<Arguments> out = new ArrayList<>();
        for (String profile : EngineConfig.profileNames()) {
            double[] losses = profile.equals(EngineConfig.DEFAULT_PROFILE) ? LOSSES : OTHER_PROFILES_LOSSES;
            for (double loss : losses) {
                for (long seed : SEEDS) {
                    out.add(Arguments.of(profile, loss, seed));
                }
            }
        }
        return out.stream();
    }

    /** Every profile under bursty loss: 10% in bursts of 4 datagrams on average, and 20% in bursts of 8; two seeds each. */
    static Stream<Arguments> profilesAndBurstyLinks() {
        List<Arguments> out = new ArrayList<>();
        for (String profile : EngineConfig.profileNames()) {
            for (double[] lossAndBurst : new double[][] {{0.10, 4}, {0.20, 8}}) {
                for (long seed : new long[] {1, 2}) {
                    out.add(Arguments.of(profile, lossAndBurst[0], lossAndBurst[1], seed));
                }
            }
        }
        return out.stream();
    }

    static Stream<String> profiles() {
        return EngineConfig.profileNames().stream();
    }

    private static LinkSimulator lossySim(EngineConfig config, double loss, long seed) {
        return LinkSimulator.create(config, Traffic.lossy(loss, seed), Traffic.lossy(loss, seed + 1_000));
    }

    @ParameterizedTest(name = "{0}, loss {1}, seed {2}")
    @MethodSource("profilesLossesAndSeeds")
    void reliableOrderedDeliversEveryMessageExactlyOnceInOrderPerChannel(String profile, double loss, long seed) {
        LinkSimulator sim = lossySim(EngineConfig.profile(profile), loss, seed);
        Map<Integer, List<Integer>> sent = Traffic.schedule(sim, 300, 5 * MS, 3, Delivery.RELIABLE_ORDERED, 40);

        sim.runUntilIdle();

        assertThat(Traffic.byChannel(sim.b().received())).isEqualTo(sent);
        assertThat(sim.b().received()).allSatisfy(r -> assertThat(Traffic.intact(r.message())).isTrue());
        if (loss > 0) {
            assertThat(sim.a().stats().retransmits()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}, loss {1}, seed {2}")
    @MethodSource("profilesLossesAndSeeds")
    void reliableDeliversEveryMessageExactlyOnce(String profile, double loss, long seed) {
        LinkSimulator sim = lossySim(EngineConfig.profile(profile), loss, seed);
        Traffic.schedule(sim, 300, 5 * MS, 2, Delivery.RELIABLE, 40);

        sim.runUntilIdle();

        List<Integer> got = sim.b().received().stream().map(r -> Traffic.index(r.message())).toList();
        assertThat(got).hasSize(300).doesNotHaveDuplicates();
        assertThat(new HashSet<>(got)).hasSize(300);
    }

    @ParameterizedTest(name = "{0}, loss {1}, seed {2}")
    @MethodSource("profilesLossesAndSeeds")
    void sequencedNeverDeliversAMessageOlderThanOneAlreadyDeliveredOnItsChannel(String profile, double loss, long seed) {
        LinkSimulator sim = lossySim(EngineConfig.profile(profile), loss, seed);
        Traffic.schedule(sim, 400, 2 * MS, 2, Delivery.SEQUENCED, 40);

        sim.runUntilIdle();

        Map<Integer, List<Integer>> got = Traffic.byChannel(sim.b().received());
        assertThat(got).isNotEmpty();
        for (List<Integer> channel : got.values()) {
            assertThat(channel).isSorted().doesNotHaveDuplicates();
        }
        assertThat(sim.a().stats().retransmits()).isZero();
    }

    @ParameterizedTest(name = "{0}, loss {1}, seed {2}")
    @MethodSource("profilesLossesAndSeeds")
    void unreliableLosesAboutTheConfiguredShareAndDuplicatesNothing(String profile, double loss, long seed) {
        int n = 2_000;
        LinkSimulator sim = lossySim(EngineConfig.profile(profile), loss, seed);
        Traffic.schedule(sim, n, 2 * MS, 1, Delivery.UNRELIABLE, 40);

        sim.runUntilIdle();

        List<Integer> got = sim.b().received().stream().map(r -> Traffic.index(r.message())).toList();
        assertThat(got).doesNotHaveDuplicates();
        // each message is one datagram, lost with probability `loss`: allow 8 standard deviations + 1%
        double sigma = Math.sqrt(n * loss * (1 - loss));
        double expected = n * (1 - loss);
        assertThat((double) got.size()).isBetween(expected - 8 * sigma - 0.01 * n, Math.min(n, expected + 8 * sigma));
        if (loss == 0) {
            assertThat(got).hasSize(n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyProfileDeliversEverythingInOrderUnderTwentyPercentLoss(String profile) {
        LinkSimulator sim = lossySim(EngineConfig.profile(profile), 0.20, 7);
        Map<Integer, List<Integer>> sent = Traffic.schedule(sim, 200, 10 * MS, 2, Delivery.RELIABLE_ORDERED, 40);

        sim.runUntilIdle();

        assertThat(Traffic.byChannel(sim.b().received())).isEqualTo(sent);
        assertThat(sim.a().stats().retransmits()).isPositive();
        assertThat(sim.a().engine().quiescent()).isTrue();
    }

    @ParameterizedTest(name = "{0}, loss {1} in bursts of {2}, seed {3}")
    @MethodSource("profilesAndBurstyLinks")
    void reliableOrderedDeliversEveryMessageExactlyOnceInOrderThroughLossBursts(String profile, double loss,
            double burstLength, long seed) {
        BurstCounter aToB = new BurstCounter(new LinkModel(Traffic.bursty(loss, burstLength, seed)));
        BurstCounter bToA = new BurstCounter(new LinkModel(Traffic.bursty(loss, burstLength, seed + 1_000)));
        EngineConfig config = EngineConfig.profile(profile);
        LinkSimulator sim = LinkSimulator.create(config, config, aToB, bToA);
        Map<Integer, List<Integer>> sent = Traffic.schedule(sim, 1_000, 5 * MS, 3, Delivery.RELIABLE_ORDERED, 40);

        sim.runUntilIdle();

        assertThat(Traffic.byChannel(sim.b().received())).as("every message once, in order per channel")
                .isEqualTo(sent);
        assertThat(sim.b().received()).allSatisfy(r -> assertThat(Traffic.intact(r.message())).isTrue());
        assertThat(aToB.lost).as("datagrams lost on the data's way").isPositive();
        assertThat(Math.max(aToB.longestBurst, bToA.longestBurst)).as("datagrams lost in a row, either way")
                .isGreaterThanOrEqualTo(2);
        assertThat(sim.a().stats().retransmits()).isPositive();
        assertThat(sim.a().engine().quiescent()).isTrue();
    }

    /** A wire that counts the datagrams it lost and remembers the longest run of them lost in a row. */
    private static final class BurstCounter implements LinkSimulator.Wire {
        private final LinkModel link;
        private int run;
        int lost;
        int longestBurst;

        BurstCounter(LinkModel link) {
            this.link = link;
        }

        @Override
        public List<LinkModel.Arrival> send(byte[] datagram, long nowNanos) {
            List<LinkModel.Arrival> arrivals = link.send(datagram, nowNanos);
            run = arrivals.isEmpty() ? run + 1 : 0;
            lost += arrivals.isEmpty() ? 1 : 0;
            longestBurst = Math.max(longestBurst, run);
            return arrivals;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void largeMessagesArriveIntactUnderTwentyPercentLoss(String profile) {
        LinkSimulator sim = lossySim(EngineConfig.profile(profile), 0.20, 11);
        int size = 20 * 1024;
        Map<Integer, List<Integer>> sent = Traffic.schedule(sim, 20, 50 * MS, 1, Delivery.RELIABLE_ORDERED,
                size - 16);

        sim.runUntilIdle();

        assertThat(Traffic.byChannel(sim.b().received())).isEqualTo(sent);
        assertThat(sim.b().received()).allSatisfy(r -> {
            assertThat(r.message()).hasSize(size);
            assertThat(Traffic.intact(r.message())).isTrue();
        });
        assertThat(sim.a().stats().datagramsOut()).as("fragmented").isGreaterThan(20 * 18);
    }

    @Test
    void corruptedDatagramsAreDroppedAsBadAndRepairedLikeLosses() {
        Impairment corrupting = new Impairment(0, 1, Duration.ofMillis(20), Duration.ZERO, 0, Duration.ZERO, 0,
                0.10, 0, 5);
        LinkSimulator sim = LinkSimulator.create(EngineConfig.defaults(), corrupting, corrupting.withSeed(6));
        Map<Integer, List<Integer>> sent = Traffic.schedule(sim, 300, 5 * MS, 1, Delivery.RELIABLE_ORDERED, 200);

        sim.runUntilIdle();

        assertThat(Traffic.byChannel(sim.b().received())).isEqualTo(sent);
        assertThat(sim.b().received()).allSatisfy(r -> assertThat(Traffic.intact(r.message())).isTrue());
        assertThat(sim.b().stats().badPackets()).isBetween(10L, 60L);
    }

    /**
     * What a graceful close waits for: whenever the sender is quiescent, the receiver has delivered
     * every reliable message offered so far (none merely acknowledged, none held behind a gap or
     * half reassembled). Bursts of small and fragmented messages with pauses between them, so the
     * sender goes quiet many times; checked every 50 us of simulated time.
     */
    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("reliableModesAndSeeds")
    void aQuiescentSenderMeansThePeerHasDeliveredEveryReliableMessage(Delivery delivery, long seed) {
        LinkSimulator sim = lossySim(EngineConfig.defaults(), 0.20, seed);
        int bursts = 30;
        int perBurst = 8;
        int[] offered = {0};
        for (int b = 0; b < bursts; b++) {
            long at = b * 400 * MS;
            sim.schedule(at, () -> {
                for (int k = 0; k < perBurst; k++) {
                    int index = offered[0]++;
                    int padding = index % 3 == 0 ? 3_000 : 40; // every third one fragmented
                    assertThat(sim.a().send(Traffic.message(index, 0, at, padding), delivery, 0))
                            .isEqualTo(Offer.ACCEPTED);
                }
            });
        }
        int quietChecks = 0;
        for (long t = 0; t <= bursts * 400 * MS; t += MS / 20) {
            sim.runUntil(t);
            if (offered[0] > 0 && sim.a().engine().quiescent()) {
                quietChecks++;
                assertThat(sim.b().received()).as("at %d us, quiescent after %d offered", t / 1000, offered[0])
                        .hasSize(offered[0]);
            }
        }

        assertThat(quietChecks).as("the sender went quiet between bursts").isGreaterThan(bursts * 1000);
        assertThat(sim.a().stats().retransmits()).isPositive();
        assertThat(sim.b().stats().outOfOrderBuffered() + sim.b().stats().duplicateFrames()).isPositive();
    }

    static Stream<Arguments> reliableModesAndSeeds() {
        List<Arguments> out = new ArrayList<>();
        for (Delivery delivery : List.of(Delivery.RELIABLE_ORDERED, Delivery.RELIABLE)) {
            for (long seed : SEEDS) {
                out.add(Arguments.of(delivery, seed));
            }
        }
        return out.stream();
    }

    // --------------------------------------------------------------------------- head of line

    /** One-way latency per message of channel {@code channel}, in ms. */
    private static List<Long> latencies(LinkSimulator sim, int channel) {
        return sim.b().received().stream()
                .filter(r -> Traffic.index(r.message()) % 2 == channel - 1)
                .map(r -> (r.atNanos() - Traffic.sentAt(r.message())) / MS)
                .toList();
    }

    /**
     * Channels 1 and 2 each get a message every 10 ms over a fixed 20 ms link; the tenth datagram
     * carrying a channel-1 message is lost.
     */
    private static LinkSimulator holScenario(boolean separateChannels) {
        EngineConfig config = EngineConfig.defaults().withKeepAlive(Duration.ZERO);
        Impairment fixed = new Impairment(0, 1, Duration.ofMillis(20), Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, 1);
        LinkModel ab = new LinkModel(fixed);
        LinkModel ba = new LinkModel(fixed.withSeed(2));
        int[] channelOneDatagrams = {0};
        LinkSimulator.Wire lossy = (datagram, now) -> {
            PacketCodec.Packet p = ((PacketCodec.Decoded.Ok) PacketCodec.decode(datagram, 0, datagram.length, 8))
                    .packet();
            boolean channelOne = p.data().stream().anyMatch(f -> Traffic.index(f.payload()) % 2 == 0);
            if (channelOne && ++channelOneDatagrams[0] == 10) {
                return List.of();
            }
            return ab.send(datagram, now);
        };
        LinkSimulator sim = LinkSimulator.create(config, config, lossy, ba::send);
        for (int i = 0; i < 60; i++) {
            int index = i;
            int channel = separateChannels ? 1 + i % 2 : 1;
            long at = (i / 2) * 10 * MS;
            sim.schedule(at, () -> sim.a().send(Traffic.message(index, channel, at, 0), Delivery.RELIABLE_ORDERED,
                    channel));
        }
        sim.runUntilIdle();
        return sim;
    }

    @Test
    void aLossOnOneChannelDelaysOnlyThatChannel() {
        LinkSimulator sim = holScenario(true);

        List<Long> one = latencies(sim, 1);
        List<Long> two = latencies(sim, 2);

        assertThat(one).hasSize(30);
        assertThat(two).hasSize(30).allSatisfy(ms -> assertThat(ms).isEqualTo(20));
        assertThat(one.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(40);
        assertThat(one.stream().filter(ms -> ms > 20).count()).as("the lost one and those behind it").isGreaterThan(1);
        assertThat(sim.b().stats().headOfLineWaitMaxNanos()).isPositive();
    }

    @Test
    void onOneSharedChannelTheSameLossDelaysEveryoneBehindIt() {
        LinkSimulator sim = holScenario(false);

        List<Long> evenOnes = latencies(sim, 1);
        List<Long> oddOnes = latencies(sim, 2);

        assertThat(oddOnes.stream().filter(ms -> ms > 20).count()).as("now blocked too").isGreaterThan(1);
        assertThat(evenOnes.size() + oddOnes.size()).isEqualTo(60);
    }

    // --------------------------------------------------------------------------- back-pressure

    @Test
    void aSenderThatIgnoresBackPressureLosesNothingItWasToldWasAccepted() {
        EngineConfig config = EngineConfig.defaults().withSendBuffer(32, EngineConfig.MAX_MESSAGE_BYTES_DEFAULT);
        LinkSimulator sim = lossySim(config, 0.05, 21);
        List<Integer> accepted = new ArrayList<>();
        int[] next = {0};
        int[] refused = {0};
        for (int t = 0; t < 1_000; t++) {
            sim.schedule(t * MS, () -> {
                for (int k = 0; k < 20; k++) {
                    int index = next[0]++;
                    Offer offer = sim.a().send(Traffic.message(index, 0, sim.now(), 100), Delivery.RELIABLE_ORDERED, 0);
                    if (offer == Offer.ACCEPTED) {
                        accepted.add(index);
                    } else {
                        refused[0]++;
                    }
                }
            });
        }

        sim.runUntilIdle();

        assertThat(refused[0]).isPositive();
        assertThat(sim.a().stats().backPressured()).isEqualTo(refused[0]);
        assertThat(sim.b().received().stream().map(r -> Traffic.index(r.message())).toList()).isEqualTo(accepted);
        assertThat(accepted.size()).as("steady progress through the 32-message buffer").isGreaterThan(300);
    }

    @Test
    void aSmallReceiveWindowHoldsTheSenderBackWithoutLosingAnything() {
        EngineConfig config = EngineConfig.defaults().withReceiveWindowMessages(4);
        LinkSimulator sim = lossySim(config, 0.05, 31);
        Map<Integer, List<Integer>> sent = Traffic.schedule(sim, 300, MS, 1, Delivery.RELIABLE_ORDERED, 40);

        sim.runUntilIdle();

        assertThat(Traffic.byChannel(sim.b().received())).isEqualTo(sent);
        assertThat(sim.b().stats().packetsRefused()).isZero();
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherRun() {
        List<String> first = run(5);
        List<String> again = run(5);
        List<String> other = run(6);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static List<String> run(long seed) {
        LinkSimulator sim = lossySim(EngineConfig.defaults(), 0.2, seed);
        Traffic.schedule(sim, 100, 5 * MS, 2, Delivery.RELIABLE_ORDERED, 40);
        sim.runUntilIdle();
        List<String> out = new ArrayList<>();
        for (LinkSimulator.Received r : sim.b().received()) {
            out.add(r.atNanos() + ":" + r.channel() + ":" + Traffic.index(r.message()));
        }
        out.add(sim.a().stats().toString());
        out.add(sim.b().stats().toString());
        return out;
    }

    @Test
    void trafficBothWaysAtOnceIsDeliveredBothWays() {
        LinkSimulator sim = lossySim(EngineConfig.defaults(), 0.1, 41);
        Set<Integer> toA = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int index = i;
            long at = i * 5 * MS;
            sim.schedule(at, () -> sim.a().send(Traffic.message(index, 0, at, 30), Delivery.RELIABLE_ORDERED, 0));
            sim.schedule(at + 2 * MS, () -> sim.b().send(Traffic.message(index, 1, at, 30), Delivery.RELIABLE, 1));
            toA.add(index);
        }

        sim.runUntilIdle();

        assertThat(sim.b().received()).extracting(r -> Traffic.index(r.message())).isSorted().hasSize(200);
        assertThat(sim.a().received()).extracting(r -> Traffic.index(r.message())).containsExactlyInAnyOrderElementsOf(toA);
    }
}
