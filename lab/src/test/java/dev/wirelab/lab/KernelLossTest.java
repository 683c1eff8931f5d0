package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The pieces of real-kernel loss that need no namespace: rules, probe reading, the child's result line. */
class KernelLossTest {

    private static final Scenario TCP_KERNEL5 = new Scenario(ScenarioLink.TCP, CodecKind.JSON,
            ScenarioProfile.KERNEL_LOSS5);

    @Test
    void rulesDropTheShareOnTheInputHook() {
        assertThat(KernelLoss.rules(5)).isEqualTo("""
                table inet wirelab {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    numgen random mod 100 < 5 drop
                  }
                }
                """);
        assertThat(KernelLoss.rules(1)).contains("numgen random mod 100 < 1 drop");
        assertThatThrownBy(() -> KernelLoss.rules(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kernelProfilesParseAndImpairNothingInProcess() {
        assertThat(ScenarioProfile.parse("kernel-loss1").kernelDropPercent()).isEqualTo(1);
        assertThat(ScenarioProfile.parse("kernel-loss5").kernel()).isTrue();
        assertThat(ScenarioProfile.LOSS5.kernel()).isFalse();
        assertThat(ScenarioProfile.KERNEL_LOSS5.impairment(1)).isSameAs(dev.wirelab.transport.Impairment.NONE);
        assertThat(Scenario.matrix("tcp", "json", "all")).extracting(Scenario::label)
                .contains("tcp json kernel-loss1", "tcp json kernel-loss5");
        assertThat(CompareCommand.parseLabel("udp-reliable-ordered protobuf kernel-loss1"))
                .isEqualTo(new Scenario(ScenarioLink.UDP_RELIABLE_ORDERED, CodecKind.PROTOBUF,
                        ScenarioProfile.KERNEL_LOSS1));
        assertThatThrownBy(() -> CompareCommand.parseLabel("tcp json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void probeOutcomesBecomeReasons() {
        assertThat(KernelLoss.interpret(0, "", true)).isEqualTo(new KernelLoss.Availability(true, ""));
        assertThat(KernelLoss.interpret(-1, "Cannot run program \"unshare\": error=2, No such file or directory", false)
                .reason()).isEqualTo("unshare not found");
        assertThat(KernelLoss.interpret(1, "unshare: unshare failed: Operation not permitted", false).reason())
                .startsWith("unprivileged namespaces not permitted");
        assertThat(KernelLoss.interpret(127, "sh: 1: nft: not found", true).reason())
                .isEqualTo("nft not installed (apt-get install nftables)");
        assertThat(KernelLoss.interpret(127, "sh: 1: ip: not found", true).reason())
                .isEqualTo("ip not installed (apt-get install iproute2)");
        assertThat(KernelLoss.interpret(1, "netlink: Error: cache initialization failed\nmore", true).reason())
                .isEqualTo("nft in a namespace failed (exit 1): netlink: Error: cache initialization failed");
        assertThat(KernelLoss.interpret(1, "", false).available()).isFalse();
    }

    @Test
    void resultLineRoundTripsThroughTheResultsJsonScenarioObject() {
        Histogram corrected = new Histogram(SequenceTracker.HIGHEST_NANOS, 3);
        Histogram uncorrected = new Histogram(SequenceTracker.HIGHEST_NANOS, 3);
        for (long v : new long[] {1_000_000, 2_500_000, 210_000_000}) {
            corrected.recordValue(v);
            uncorrected.recordValue(v / 2);
        }
        ScenarioResult r = new ScenarioResult(TCP_KERNEL5, 2, 400, 799, 1, 2, 3, corrected, uncorrected, 1_234_567,
                2_000_000_000L, 64, new ScenarioResult.Wire(48_400, 401, 52, 440), 17, 900_000_000L, "");
        String line = KernelLoss.resultLine(r);
        assertThat(line).doesNotContain("\n").startsWith(KernelLoss.RESULT_MARK + " {").endsWith("}");

        ScenarioResult back = ResultsJson.scenario(ResultsJson.parse(line.substring(KernelLoss.RESULT_MARK.length())));
        assertThat(back.scenario()).isEqualTo(TCP_KERNEL5);
        assertThat(List.of(back.receivers(), back.posts(), back.delivered(), back.lost(), back.duplicated(),
                back.reordered(), back.jitterNanos(), back.measuredNanos(), back.postBytes(), back.retransmits(),
                back.cpuNanos())).containsExactly(2, 400L, 799L, 1L, 2L, 3L, 1_234_567L, 2_000_000_000L, 64, 17L,
                900_000_000L);
        assertThat(back.wire()).isEqualTo(r.wire());
        assertThat(back.corrected()).isEqualTo(corrected);
        assertThat(back.uncorrected()).isEqualTo(uncorrected);
        assertThat(back.error()).isEmpty();

        ScenarioResult failed = ScenarioResult.failed(TCP_KERNEL5, "java.io.IOException: \"x\"\\ y\n\tz");
        String failedLine = KernelLoss.resultLine(failed);
        assertThat(failedLine).doesNotContain("\n");
        assertThat(ResultsJson.scenario(ResultsJson.parse(failedLine.substring(KernelLoss.RESULT_MARK.length())))
                .error()).isEqualTo(failed.error());
    }

    @Test
    void aScenarioObjectWithoutItsFiguresIsRefusedSayingWhichIsMissing() {
        assertThatThrownBy(() -> ResultsJson.scenario(ResultsJson.parse("{\"label\": \"tcp json kernel-loss5\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing field");
        assertThatThrownBy(() -> ResultsJson.parse("{\"label\": ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
    }

    @Test
    void tcpRetransmissionsAreReadFromProcNetSnmp() {
        String snmp = """
                Ip: Forwarding DefaultTTL InReceives
                Ip: 1 64 1000
                Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
                Tcp: 1 200 120000 -1 12 10 0 1 4 5321 5400 37 0 3 0
                Udp: InDatagrams NoPorts
                Udp: 10 0
                """;
        assertThat(KernelLoss.tcpRetransmittedSegments(snmp)).isEqualTo(37);
        assertThat(KernelLoss.tcpRetransmittedSegments("Udp: InDatagrams\nUdp: 1\n")).isEqualTo(-1);
    }

    @Test
    void unavailableRowsSayWhyAndAreNotFailures() {
        ScenarioResult r = ScenarioResult.unavailable(TCP_KERNEL5, "nft not installed");
        assertThat(r.unavailable()).isTrue();
        assertThat(r.ok()).isFalse();
        assertThat(CompareReport.table(List.of(r))).contains("tcp json kernel-loss5  not available: nft not installed");
        String json = ResultsJson.write(new ResultsJson.Run("now", "unknown", java.util.Map.of(), java.util.Map.of(),
                new CompareSettings(200, 64, java.time.Duration.ZERO, java.time.Duration.ofSeconds(1),
                        java.time.Duration.ZERO, 1, 1), List.of(), List.of(r)));
        assertThat(json).contains("\"available\" : false").contains("\"error\" : \"not available: nft not installed\"");
        assertThat(ScenarioResult.failed(TCP_KERNEL5, "boom").unavailable()).isFalse();
    }
}
