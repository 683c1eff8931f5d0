package dev.wirelab.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Helpers for the statistical link tests: drive a {@link LinkModel} and check counts against
 * five-sigma bands, which a correct model leaves about once in 1.7 million runs (and, the seeds
 * being fixed, never) while a wrong one leaves at once.
 */
final class LinkStatistics {

    static final long MS = 1_000_000L;
    static final double SIGMAS = 5;

    private LinkStatistics() {
    }

    /** Sends {@code n} one-byte datagrams, one per millisecond, and says which were lost. */
    static boolean[] lossPattern(LinkModel link, int n) {
        boolean[] lost = new boolean[n];
        byte[] datagram = {42};
        for (int i = 0; i < n; i++) {
            lost[i] = link.send(datagram, i * MS).isEmpty();
        }
        return lost;
    }

    static long count(boolean[] flags) {
        long count = 0;
        for (boolean flag : flags) {
            if (flag) {
                count++;
            }
        }
        return count;
    }

    /** Mean length of the runs of {@code true}. */
    static double meanRunLength(boolean[] flags) {
        long runs = 0;
        long total = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                total++;
                if (i == 0 || !flags[i - 1]) {
                    runs++;
                }
            }
        }
        return (double) total / runs;
    }

    /** The share of datagrams lost among those that follow a lost one: P(lost | previous lost). */
    static double lossAfterLoss(boolean[] lost) {
        long afterLoss = 0;
        long lostAfterLoss = 0;
        for (int i = 1; i < lost.length; i++) {
            if (lost[i - 1]) {
                afterLoss++;
                if (lost[i]) {
                    lostAfterLoss++;
                }
            }
        }
        return (double) lostAfterLoss / afterLoss;
    }

    /** Asserts {@code count} is within five sigma of a binomial(n, p) mean, sigma inflated by {@code factor}. */
    static void assertBinomial(String what, long count, long n, double p, double varianceFactor) {
        double mean = n * p;
        double sigma = Math.sqrt(n * p * (1 - p) * varianceFactor);
        assertThat((double) count)
                .as("%s: %d of %d, expected %.1f +/- %.1f (5 sigma)", what, count, n, mean, SIGMAS * sigma)
                .isBetween(mean - SIGMAS * sigma, mean + SIGMAS * sigma);
    }

    static void assertBinomial(String what, long count, long n, double p) {
        assertBinomial(what, count, n, p, 1);
    }

    /** Asserts a sample mean is within five standard errors of {@code expected}. */
    static void assertMean(String what, double mean, double expected, double sd, long samples) {
        double band = SIGMAS * sd / Math.sqrt(samples);
        assertThat(mean)
                .as("%s: %.4f, expected %.4f +/- %.4f (5 sigma)", what, mean, expected, band)
                .isBetween(expected - band, expected + band);
    }

    /** How many arrivals in send order arrive after some datagram sent later (were overtaken). */
    static long overtaken(List<Long> arrivalsInSendOrder) {
        long overtaken = 0;
        long earliestLater = Long.MAX_VALUE;
        for (int i = arrivalsInSendOrder.size() - 1; i >= 0; i--) {
            long at = arrivalsInSendOrder.get(i);
            if (at > earliestLater) {
                overtaken++;
            }
            earliestLater = Math.min(earliestLater, at);
        }
        return overtaken;
    }
}
