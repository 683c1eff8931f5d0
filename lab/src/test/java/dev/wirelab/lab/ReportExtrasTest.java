package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportExtrasTest {

    private static final JsonNode JMH = ResultsJson.parse("""
            [ {"benchmark": "dev.wirelab.benchmarks.RoundTripBenchmark.roundTrip", "mode": "sample",
               "params": {"link": "tcp", "codec": "json", "bytes": "64"},
               "primaryMetric": {"score": 40.0, "scoreUnit": "us/op",
                                 "scorePercentiles": {"50.0": 36.0, "99.0": 90.0}}},
              {"benchmark": "dev.wirelab.benchmarks.RoundTripBenchmark.roundTrip", "mode": "sample",
               "params": {"transport": "udp-reliable-ordered", "codec": "protobuf", "size": "1024"},
               "primaryMetric": {"score": 80000.0, "scoreUnit": "ns/op",
                                 "scorePercentiles": {"50.0": 60000.0, "99.0": 200000.0}}} ]
            """);
    private static final JsonNode PEERS = ResultsJson.parse("""
            {"sockperf_ping_pong": [
               {"protocol": "tcp", "message_bytes": 64, "placement": "unpinned", "derived_rtt_us": {"p50": 12.0, "p99": 30.0}},
               {"protocol": "udp", "message_bytes": 1024, "derived_rtt_us": {"p50": 15.0, "p99": 40.0}},
               {"protocol": "udp", "message_bytes": 64, "derived_rtt_us": {"p50": 10.0, "p99": 20.0}} ]}
            """);

    @Test
    void roundTripsArePairedWithSockperfsFullRoundTripOfTheSameProtocolAndSize() {
        ReportExtras.Section section = ReportExtras.roundTripRatios(List.of(JMH), List.of(PEERS)).orElseThrow();

        assertThat(section.rows()).containsExactly(
                new String[] {"tcp", "json", "64", "unpinned", "36", "90", "12", "30", "3.0x", "3.0x"},
                new String[] {"udp-reliable-ordered", "protobuf", "1024", "-", "60", "200", "15", "40", "4.0x", "5.0x"});
        assertThat(section.note()).contains("RTT/2");
    }

    @Test
    void noPairsMeansNoSection() {
        assertThat(ReportExtras.roundTripRatios(List.of(JMH), List.of())).isEmpty();
        assertThat(ReportExtras.roundTripRatios(List.of(), List.of(PEERS))).isEmpty();
    }

    @Test
    void jmhRowsCarryScoreErrorAllocationAndPercentiles() {
        JsonNode jmh = ResultsJson.parse("""
                [ {"benchmark": "dev.wirelab.benchmarks.CodecBenchmark.decode", "mode": "avgt", "jmhVersion": "1.37",
                   "params": {"codec": "protobuf"},
                   "primaryMetric": {"score": 250.5, "scoreError": 2.25, "scoreUnit": "ns/op"},
                   "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 312.0, "scoreUnit": "B/op"},
                                        "encodedBytes": {"score": 41.0, "scoreUnit": "#"}}} ]
                """);

        List<ReportExtras.Section> sections = ReportExtras.jmh(jmh, "x.json");

        assertThat(sections).hasSize(1);
        assertThat(sections.get(0).title()).isEqualTo("JMH: CodecBenchmark (avgt)");
        assertThat(sections.get(0).rows().get(0))
                .containsExactly("decode", "codec=protobuf", "250.5", "± 2.250", "ns/op", "", "312 B/op", "encodedBytes 41 #");
        assertThat(sections.get(0).bars()).containsExactly(new ReportExtras.Bar("decode codec=protobuf", 250.5));
    }
}
