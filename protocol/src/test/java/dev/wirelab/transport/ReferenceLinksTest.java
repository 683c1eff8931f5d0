package dev.wirelab.transport;

import static dev.wirelab.transport.LinkStatistics.MS;
import static dev.wirelab.transport.LinkStatistics.assertBinomial;
import static dev.wirelab.transport.LinkStatistics.assertMean;
import static dev.wirelab.transport.LinkStatistics.count;
import static dev.wirelab.transport.LinkStatistics.lossAfterLoss;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.transport.LinkModel.Arrival;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The published links that {@code reference/reliable-udp.md} asks wirelab to reproduce, written as
 * specs (the same ones {@code docs/impairments.md} gives) and checked as an echo over two
 * {@link LinkModel}s, one per direction.
 */
@Timeout(20)
class ReferenceLinksTest {

    /** KCP's test.h simulator: 10% round-trip loss (5% each way), RTT 60-125 ms. */
    static final String KCP = "loss=5%,delay=30ms,jitter=32.5ms";

    /** Turnage's netem link, the lossy direction: 10% loss with 25% correlation, 1.05 Mbit/s, RTT 27.5 +/- 10 ms. */
    static final String TURNAGE = "loss=10%,burst=1.48,delay=5.7ms,jitter=10ms,rate=1050kbit";

    /** Turnage's link, the other direction: the same delay and rate, no loss. */
    static final String TURNAGE_BACK = "delay=5.7ms,jitter=10ms,rate=1050kbit";

    /** Round-trip times of an echo, in ns; -1 where the request or the reply was lost. */
    private static long[] echo(LinkModel there, LinkModel back, int n, int bytes, long intervalNanos) {
        long[] rtt = new long[n];
        for (int i = 0; i < n; i++) {
            long sentAt = i * intervalNanos;
            List<Arrival> request = there.send(new byte[bytes], sentAt);
            List<Arrival> reply = request.isEmpty() ? List.of() : back.send(new byte[bytes], request.get(0).atNanos());
            rtt[i] = reply.isEmpty() ? -1 : reply.get(0).atNanos() - sentAt;
        }
        return rtt;
    }

    private static long[] completed(long[] rtt) {
        return Arrays.stream(rtt).filter(t -> t >= 0).toArray();
    }

    @Test
    void theKcpSimulationLinkLosesTenPercentOfRoundTripsWithRttsFromSixtyTo125Ms() {
        Impairment link = Impairment.parse(KCP + ",seed=1");
        int n = 100_000;

        long[] rtt = completed(echo(new LinkModel(link), new LinkModel(link.withSeed(2)), n, 8, 20 * MS));

        assertBinomial("round trips completed", rtt.length, n, 0.95 * 0.95);
        assertThat(Arrays.stream(rtt).min().orElseThrow()).isGreaterThanOrEqualTo(60 * MS);
        assertThat(Arrays.stream(rtt).max().orElseThrow()).isLessThanOrEqualTo(125 * MS);
        assertMean("mean RTT", Arrays.stream(rtt).average().orElseThrow(), 92.5 * MS, 32.5 * MS / Math.sqrt(6),
                rtt.length);
    }

    @Test
    void turnagesLinkLosesTenPercentWithTwentyFivePercentCorrelation() {
        int n = 200_000;
        LinkModel link = new LinkModel(Impairment.parse(TURNAGE + ",seed=1"));
        boolean[] lost = new boolean[n];
        for (int i = 0; i < n; i++) {
            lost[i] = link.send(new byte[400], i * 16_666_667L).isEmpty();
        }

        // burst = 1 / ((1 - 0.25) * (1 - 0.10)) = 1.48: P(lost | previous lost) = 0.25 + 0.75 * 0.10.
        double r = 1 / 1.48;
        double lambda = 1 - r / (1 - 0.10);
        assertThat(lambda).isBetween(0.245, 0.255);
        assertBinomial("lost", count(lost), n, 0.10, (1 + lambda) / (1 - lambda));
        assertMean("P(lost | previous lost)", lossAfterLoss(lost), 0.325, Math.sqrt(0.325 * 0.675), n / 10);
        assertThat(link.stats().tailDropped()).isZero();
    }

    @Test
    void turnagesLinkEchoes400BytesAt60HzWithRttsFrom17To38Ms() {
        int n = 100_000;
        long[] rtt = completed(echo(new LinkModel(Impairment.parse(TURNAGE + ",seed=3")),
                new LinkModel(Impairment.parse(TURNAGE_BACK + ",seed=4")), n, 400, 16_666_667L));

        // Each way: 400 B at 131,250 B/s take 3.048 ms, then 5.7 ms plus up to 10 ms.
        long serialisation = 3_047_620;
        assertBinomial("round trips completed", rtt.length, n, 0.90, 2);
        assertThat(Arrays.stream(rtt).min().orElseThrow()).isGreaterThanOrEqualTo(2 * (serialisation + 5_700_000));
        assertThat(Arrays.stream(rtt).max().orElseThrow()).isLessThanOrEqualTo(2 * (serialisation + 15_700_000));
        assertMean("mean RTT", Arrays.stream(rtt).average().orElseThrow(), 2 * (serialisation + 10_700_000),
                10 * MS / Math.sqrt(6), rtt.length);
    }
}
