package dev.wirelab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures {@code wirelab report} folds in beside compare runs: JMH results ({@code -rf json}) and
 * any other JSON of figures, such as {@code benchmarks/peers.sh}'s sockperf and iperf3 figures.
 */
final class ReportExtras {

    private ReportExtras() {
    }

    /**
     * A table for the report.
     *
     * @param title  its heading
     * @param note   a sentence on where the figures come from
     * @param header column names
     * @param rows   cells
     * @param bars   for the JMH sections: one bar per row (label and score) in the score's unit, for a chart
     * @param unit   the bars' unit, or empty when there are none
     */
    record Section(String title, String note, String[] header, List<String[]> rows, List<Bar> bars, String unit) {

        Section {
            rows = List.copyOf(rows);
            bars = List.copyOf(bars);
        }
    }

    /** One bar of a chart: a label and a value. */
    record Bar(String label, double value) {
    }

    /** Whether the JSON is JMH's {@code -rf json} output: an array of objects with a {@code benchmark}. */
    static boolean isJmh(JsonNode root) {
        return root.isArray() && !root.isEmpty() && root.get(0).has("benchmark") && root.get(0).has("primaryMetric");
    }

    /**
     * JMH results as one section per benchmark class and mode: score, error, unit, allocation per
     * operation ({@code -prof gc}'s {@code gc.alloc.rate.norm}) and any other secondary metric.
     */
    static List<Section> jmh(JsonNode root, String source) {
        Map<String, List<JsonNode>> byClass = new TreeMap<>();
        for (JsonNode b : root) {
            String benchmark = b.path("benchmark").asText();
            int dot = benchmark.lastIndexOf('.');
            String owner = dot < 0 ? benchmark : benchmark.substring(0, dot);
            String simple = owner.substring(owner.lastIndexOf('.') + 1);
            byClass.computeIfAbsent(simple + " (" + b.path("mode").asText() + ")", k -> new ArrayList<>()).add(b);
        }
        List<Section> sections = new ArrayList<>();
        byClass.forEach((title, benchmarks) -> {
            List<String[]> rows = new ArrayList<>();
            List<Bar> bars = new ArrayList<>();
            String unit = "";
            for (JsonNode b : benchmarks) {
                String name = b.path("benchmark").asText();
                name = name.substring(name.lastIndexOf('.') + 1);
                String params = params(b.path("params"));
                JsonNode primary = b.path("primaryMetric");
                unit = primary.path("scoreUnit").asText();
                double score = primary.path("score").asDouble(Double.NaN);
                double error = primary.path("scoreError").asDouble(Double.NaN);
                String alloc = "";
                List<String> others = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : b.path("secondaryMetrics").properties()) {
                    String value = number(e.getValue().path("score").asDouble(Double.NaN)) + " "
                            + e.getValue().path("scoreUnit").asText();
                    if (e.getKey().equals("gc.alloc.rate.norm")) {
                        alloc = value;
                    } else if (!e.getKey().startsWith("gc.") && !e.getKey().startsWith("·")) {
                        others.add(e.getKey() + " " + value);
                    }
                }
                JsonNode p = primary.path("scorePercentiles");
                String tail = p.has("99.0") ? number(p.path("50.0").asDouble()) + " / " + number(p.path("99.0").asDouble())
                        : "";
                rows.add(new String[] {name, params, number(score), Double.isNaN(error) ? "" : "± " + number(error), unit,
                    tail, alloc, String.join(", ", others)});
                bars.add(new Bar(name + (params.isEmpty() ? "" : " " + params), score));
            }
            sections.add(new Section("JMH: " + title, "From " + source + " (JMH " + benchmarks.get(0)
                    .path("jmhVersion").asText("?") + ", " + benchmarks.get(0).path("vmName").asText("?") + " "
                    + benchmarks.get(0).path("vmVersion").asText("") + ", forks " + benchmarks.get(0).path("forks")
                    .asText("?") + "). Sample-time rows give p50 / p99 in the score's unit.",
                    new String[] {"benchmark", "params", "score", "error", "unit", "p50 / p99", "alloc/op", "other"},
                    rows, bars, unit));
        });
        return sections;
    }

    private static String params(JsonNode params) {
        List<String> parts = new ArrayList<>();
        params.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(" ", parts);
    }

    /** Any other JSON of figures, flattened to one row per leaf: {@code path.to.value}, value. */
    static Section figures(JsonNode root, String source) {
        List<String[]> rows = new ArrayList<>();
        flatten("", root, rows);
        return new Section("Figures from " + source, "Every value in " + source + ", as it was recorded.",
                new String[] {"figure", "value"}, rows, List.of(), "");
    }

    private static void flatten(String path, JsonNode node, List<String[]> rows) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(),
                    rows));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), rows);
            }
        } else {
            rows.add(new String[] {path, node.isNumber() ? number(node.asDouble()) : node.asText()});
        }
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double abs = Math.abs(value);
        String format = abs >= 1000 || value == Math.rint(value) ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 0.1 ? "%.3f" : "%.5f";
        return String.format(Locale.ROOT, format, value);
    }

    /**
     * wirelab's round trips (JMH {@code RoundTripBenchmark}, sample time) beside sockperf's
     * ping-pong on the same machine ({@code peers.sh}), as ratios: p50 and p99 of each transport,
     * codec and size against sockperf's TCP or UDP round trip of the same message size. sockperf
     * reports half the round trip; the comparison uses its doubled, full round trip. Empty when the
     * files do not hold both.
     */
    static java.util.Optional<Section> roundTripRatios(List<JsonNode> jmhRoots, List<JsonNode> peerRoots) {
        List<String[]> rows = new ArrayList<>();
        for (JsonNode root : jmhRoots) {
            for (JsonNode b : root) {
                if (!b.path("benchmark").asText().endsWith("RoundTripBenchmark.roundTrip")) {
                    continue;
                }
                JsonNode params = b.path("params");
                String transport = params.has("link") ? params.path("link").asText() : params.path("transport").asText();
                String codec = params.path("codec").asText();
                int size = params.has("bytes") ? params.path("bytes").asInt() : params.path("size").asInt();
                JsonNode percentiles = b.path("primaryMetric").path("scorePercentiles");
                double factor = microsPer(b.path("primaryMetric").path("scoreUnit").asText());
                double p50 = percentiles.path("50.0").asDouble(Double.NaN) * factor;
                double p99 = percentiles.path("99.0").asDouble(Double.NaN) * factor;
                String protocol = transport.equals("tcp") ? "tcp" : "udp";
                for (JsonNode peers : peerRoots) {
                    for (JsonNode sock : peers.path("sockperf_ping_pong")) {
                        if (sock.path("protocol").asText().equals(protocol) && sock.path("message_bytes").asInt() == size) {
                            double s50 = sock.path("derived_rtt_us").path("p50").asDouble(Double.NaN);
                            double s99 = sock.path("derived_rtt_us").path("p99").asDouble(Double.NaN);
                            rows.add(new String[] {transport, codec, Integer.toString(size),
                                sock.path("placement").asText("-"), number(p50), number(p99), number(s50), number(s99),
                                ratio(p50, s50), ratio(p99, s99)});
                        }
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Section("Round trip against sockperf",
                "wirelab's chat round trip (a client's PING and the server's PONG through the codec and transport, "
                        + "JMH sample time) against sockperf's ping-pong of the same message size on the same machine. "
                        + "sockperf reports half the round trip (RTT/2); its figures here are doubled to full round "
                        + "trips. Placement: sockperf's two ends unpinned (like wirelab's run), or both pinned to one "
                        + "core (the floor of the loopback path). Microseconds.",
                new String[] {"transport", "codec", "bytes", "sockperf placement", "wirelab p50 us", "wirelab p99 us", "sockperf RTT p50 us",
                    "sockperf RTT p99 us", "p50 ratio", "p99 ratio"}, rows, List.of(), ""));
    }

    private static double microsPer(String unit) {
        return switch (unit) {
            case "ns/op" -> 1e-3;
            case "ms/op" -> 1e3;
            case "s/op" -> 1e6;
            default -> 1;
        };
    }

    private static String ratio(double a, double b) {
        return a > 0 && b > 0 ? String.format(Locale.ROOT, "%.1fx", a / b) : "-";
    }
}
