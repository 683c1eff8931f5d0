package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.LinkModel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * KCP's reference simulation (skywind3000/kcp {@code test.cpp}) reproduced in the simulator: 10%
 * round-trip loss (5% each way), one-way delay uniform so the RTT is 60-125 ms, an 8-byte message from
 * A every 20 ms that B echoes back, 1000 echoes, windows of 128. KCP's default, normal and fast modes
 * are {@code kcp-default}, {@code kcp-nocc} and {@code kcp-turbo} (the first two with the test's 10 ms
 * interval instead of the profile's 40 ms), plus {@code tcp-like} and {@code quic-like}.
 *
 * <p>Each run is done on two links: the lab's {@link LinkModel} (independent loss, uniform jitter, so
 * datagrams may overtake each other) and {@link KcpLatencyLink}, a copy of KCP's own test link
 * (exactly 5 of every 100 datagrams lost, first in first out). Deterministic properties are asserted
 * (every echo comes back, once, in order); the RTT figures are printed, and only wide sanity bounds
 * are asserted on them. {@code docs/kcp-simulation.md} has the table this prints.
 *
 * <p>Run: {@code mvn -B -q -pl transport-udp test -Dtest=KcpSimulationTest}
 */
@Timeout(60)
class KcpSimulationTest {

    static final int ECHOES = 1000;
    static final long SPACING = 20 * Traffic.MS;
    static final long[] SEEDS = {1, 2, 3};
    static final List<String> PROFILES = List.of("kcp-default", "kcp-nocc", "kcp-turbo", "tcp-like", "quic-like");
    static final List<String> LINKS = List.of("LinkModel", "KCP link");

    /** One run's figures. */
    record Result(String profile, String link, long seed, int echoes, boolean inOrder, long avgMillis,
            long maxMillis, double wireBytesPerByte, long retransmits, long spurious) {
    }

    private static final Map<String, Result> RESULTS = new LinkedHashMap<>();

    @BeforeAll
    static void runEverything() {
        for (String profile : PROFILES) {
            for (String link : LINKS) {
                for (long seed : SEEDS) {
                    RESULTS.put(key(profile, link, seed), run(profile, link, seed));
                }
            }
        }
        System.out.println(table());
    }

    private static String key(String profile, String link, long seed) {
        return profile + "/" + link + "/" + seed;
    }

    /** The profile with KCP's test settings: windows of 128, and the 10 ms interval test.cpp uses for every mode. */
    static EngineConfig config(String profile) {
        EngineConfig c = EngineConfig.profile(profile).withSendWindowPackets(128).withReceiveWindowMessages(128);
        if (profile.equals("kcp-default") || profile.equals("kcp-nocc")) {
            c = c.withInterval(Duration.ofMillis(10));
        }
        return c;
    }

    static Result run(String profile, String link, long seed) {
        EngineConfig config = config(profile);
        LinkSimulator sim;
        if (link.equals("KCP link")) {
            sim = LinkSimulator.create(config, config, KcpLatencyLink.reference(2 * seed),
                    KcpLatencyLink.reference(2 * seed + 1));
        } else {
            Impairment oneWay = new Impairment(0.05, 1, Duration.ofMillis(30), Duration.ofNanos(32_500_000), 0,
                    Duration.ZERO, 0, 0, 0, 2 * seed);
            sim = LinkSimulator.create(config, oneWay, oneWay.withSeed(2 * seed + 1));
        }
        sim.b().onReceive(r -> sim.b().send(r.message(), Delivery.RELIABLE_ORDERED, 0));
        for (int i = 0; i < ECHOES; i++) {
            int index = i;
            long at = (i + 1) * SPACING;
            sim.schedule(at, () -> {
                byte[] m = ByteBuffer.allocate(8).putInt(index).putInt((int) (at / Traffic.MS)).array();
                assertThat(sim.a().send(m, Delivery.RELIABLE_ORDERED, 0)).isEqualTo(Offer.ACCEPTED);
            });
        }
        sim.runUntilIdle();

        List<LinkSimulator.Received> echoes = sim.a().received();
        boolean inOrder = true;
        long sum = 0;
        long max = 0;
        for (int i = 0; i < echoes.size(); i++) {
            ByteBuffer m = ByteBuffer.wrap(echoes.get(i).message());
            inOrder &= m.getInt() == i;
            long rtt = echoes.get(i).atNanos() - m.getInt() * Traffic.MS;
            sum += rtt;
            max = Math.max(max, rtt);
        }
        long retransmits = sim.a().stats().retransmits() + sim.b().stats().retransmits();
        long spurious = sim.a().stats().spuriousRetransmits() + sim.b().stats().spuriousRetransmits();
        return new Result(profile, link, seed, echoes.size(), inOrder,
                echoes.isEmpty() ? 0 : sum / echoes.size() / Traffic.MS, max / Traffic.MS,
                sim.wireBytesPerDeliveredByte(), retransmits, spurious);
    }

    static String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-12s %-10s %5s %10s %10s %10s %8s %9s%n", "profile", "link", "seed", "avg ms",
                "max ms", "wire B/B", "retx", "spurious"));
        for (Result r : RESULTS.values()) {
            out.append(String.format("%-12s %-10s %5d %10d %10d %10.1f %8d %9d%n", r.profile(), r.link(), r.seed(),
                    r.avgMillis(), r.maxMillis(), r.wireBytesPerByte(), r.retransmits(), r.spurious()));
        }
        return out.toString();
    }

    private static double meanAvg(String profile, String link) {
        return RESULTS.values().stream().filter(r -> r.profile().equals(profile) && r.link().equals(link))
                .mapToLong(Result::avgMillis).average().orElseThrow();
    }

    private static long worstMax(String profile, String link) {
        return RESULTS.values().stream().filter(r -> r.profile().equals(profile) && r.link().equals(link))
                .mapToLong(Result::maxMillis).max().orElseThrow();
    }

    @Test
    void everyEchoComesBackOnceAndInOrderForEveryProfileLinkAndSeed() {
        assertThat(RESULTS).hasSize(PROFILES.size() * LINKS.size() * SEEDS.length);
        assertThat(RESULTS.values()).allSatisfy(r -> {
            assertThat(r.echoes()).as(r.toString()).isEqualTo(ECHOES);
            assertThat(r.inOrder()).as(r.toString()).isTrue();
            assertThat(r.retransmits()).as("5% loss each way needs repair: " + r).isPositive();
        });
    }

    @Test
    void noRoundTripIsShorterThanTheLinksMinimumRtt() {
        assertThat(RESULTS.values()).allSatisfy(r -> assertThat(r.avgMillis()).as(r.toString()).isGreaterThanOrEqualTo(60));
    }

    @Test
    void turningOffKcpsCongestionWindowCutsTheAverageRttManyTimes() {
        for (String link : LINKS) {
            assertThat(meanAvg("kcp-nocc", link) * 3).as(link).isLessThan(meanAvg("kcp-default", link));
            assertThat(meanAvg("kcp-turbo", link)).as(link).isLessThan(meanAvg("kcp-default", link));
        }
    }

    @Test
    void withoutCongestionCollapseEveryProfileStaysNearTheLinksRtt() {
        for (String profile : List.of("kcp-nocc", "kcp-turbo", "tcp-like", "quic-like")) {
            for (String link : LINKS) {
                assertThat(meanAvg(profile, link)).as(profile + " on " + link).isLessThan(300);
                assertThat(worstMax(profile, link)).as(profile + " on " + link).isLessThan(2_000);
            }
        }
    }

    @Test
    void turboRepairsFasterThanTcpLike() {
        for (String link : LINKS) {
            assertThat(meanAvg("kcp-turbo", link)).as(link).isLessThan(meanAvg("tcp-like", link));
        }
    }
}
