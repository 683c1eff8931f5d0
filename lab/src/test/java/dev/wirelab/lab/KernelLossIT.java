package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wirelab compare} with real kernel loss: TCP json under {@code kernel-loss5} in a child JVM
 * inside an {@code unshare -rn} namespace whose loopback drops 5% of packets with nft.
 *
 * <p>Skipped (a JUnit assumption, with the probe's reason) only when this machine really cannot
 * run it: {@code unshare -rn} fails or {@code nft}/{@code ip} are missing inside the namespace, as
 * {@link KernelLoss#availability()} probes. {@code .ci/run} installs nftables and iproute2, so CI
 * runs it.
 *
 * <p>Not {@code --quick}: a few hundred posts are often too few to meet a 200 ms retransmission
 * timeout; 2 s at 500 posts/s (1000 posts) makes p99 the tenth-worst post, so one rare double loss
 * on the UDP side cannot decide it, while one TCP stall delays the ~100 posts queued behind it.
 */
@Tag("kernel-loss")
@Timeout(240)
class KernelLossIT {

    private final CapturedLines out = new CapturedLines();
    private final CapturedLines err = new CapturedLines();
    private final Io io = new Io(new ByteArrayInputStream(new byte[0]), out.writer(), err.writer(), false, false);

    @TempDir
    Path reports;

    /**
     * The claim is about latency, which a machine busy with other work can distort (the UDP engine
     * runs in user space, TCP's retransmissions in the kernel): the whole measurement is made up to
     * three times, fresh each time, and the claim must hold in one of them. Every attempt must still
     * deliver everything, in order, with real retransmissions.
     */
    @Test
    void underFivePercentKernelLossTcpStallsOnRealRetransmitsWhileReliableOrderedUdpStaysFarLower() throws IOException {
        KernelLoss.Availability availability = KernelLoss.availability();
        assumeTrue(availability.available(), () -> "kernel loss not available: " + availability.reason());

        List<String> attempts = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            double[] p99s = measureOnce(reports.resolve("attempt-" + attempt));
            double cleanP99 = p99s[0];
            double tcpP99 = p99s[1];
            double udpP99 = p99s[2];
            assertThat(tcpP99).as("p99 under kernel loss (clean: %s ms); TCP's minimum RTO is 200 ms", cleanP99)
                    .isGreaterThan(50).isGreaterThan(cleanP99);
            attempts.add(String.format(java.util.Locale.ROOT, "attempt %d: tcp p99 %.1f ms, udp-reliable-ordered "
                    + "p99 %.1f ms", attempt, tcpP99, udpP99));
            // The engine repairs a gap within a few loopback RTTs (its PTO is tens of ms, TCP's minimum RTO
            // 200 ms): half of TCP's p99 is a wide bound.
            if (udpP99 < tcpP99 / 2) {
                return;
            }
        }
        org.junit.jupiter.api.Assertions.fail("reliable-ordered UDP's p99 was not below half of TCP's in any attempt: "
                + attempts);
    }

    /** One compare run; the p99s of tcp clean, tcp kernel-loss5 and udp-reliable-ordered kernel-loss5. */
    @SuppressWarnings("unchecked")
    private double[] measureOnce(Path out) throws IOException {
        out.toFile().mkdirs();
        int status = Wirelab.run(io, "compare", "--warmup", "0.2", "--duration", "2", "--drain", "0.5",
                "--rate", "500", "--transports", "tcp,udp-reliable-ordered", "--codecs", "json",
                "--profiles", "clean,kernel-loss5", "--seed", "3", "--out", out.toString());

        assertThat(status).as("exit status; stdout:%n%s%nstderr:%n%s", this.out.text(), err.text()).isZero();
        assertThat(this.out.text()).containsPattern("(?m)^tcp json kernel-loss5 +[0-9.]+ ");
        Path dir;
        try (Stream<Path> dirs = Files.list(out)) {
            dir = dirs.findFirst().orElseThrow();
        }
        Map<String, Object> results = (Map<String, Object>) CompareIT.read(
                Files.readString(dir.resolve("results.json")));
        List<Map<String, Object>> scenarios = (List<Map<String, Object>>) results.get("scenarios");
        assertThat(scenarios).extracting(s -> s.get("label")).containsExactly("tcp json clean", "tcp json kernel-loss5",
                "udp-reliable-ordered json clean", "udp-reliable-ordered json kernel-loss5");
        Map<String, Object> tcp = scenarios.get(1);
        Map<String, Object> udp = scenarios.get(3);
        for (Map<String, Object> kernel : List.of(tcp, udp)) {
            assertThat(kernel.get("error")).isEqualTo("");
            assertThat(kernel.get("available")).isEqualTo(true);
            assertThat((Long) kernel.get("posts")).isEqualTo(1000L);
            assertThat(kernel.get("delivered")).as("reliable: delivers everything").isEqualTo(kernel.get("posts"));
            assertThat(kernel.get("reordered")).isEqualTo(0L);
            assertThat((Long) kernel.get("retransmits")).as("real loss, real retransmissions").isPositive();
        }
        return new double[] {p99(scenarios.get(0)), p99(tcp), p99(udp)};
    }

    @SuppressWarnings("unchecked")
    private static double p99(Map<String, Object> scenario) {
        return ((Number) ((Map<String, Object>) scenario.get("correctedMillis")).get("p99")).doubleValue();
    }
}
