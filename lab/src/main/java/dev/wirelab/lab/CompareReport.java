package dev.wirelab.lab;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What {@code compare} shows of its results: the terminal table, {@code report.md} and
 * {@code results.json}. Everything here is computed from the results alone.
 */
final class CompareReport {

    static final String CLOCK_NOTE = "Latency is one-way (sender to server to receiver), measured with one monotonic "
            + "clock (System.nanoTime) shared by sender and receiver in one JVM, from each post's intended send time "
            + "(corrected for coordinated omission).";

    private CompareReport() {
    }

    private static final String[] HEADER = {"scenario", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
        "delivered %", "lost", "dup", "reordered", "B/post"};

    /** One row of cells per result, in the order of {@link #HEADER}. */
    static List<String[]> rows(List<ScenarioResult> results) {
        List<String[]> rows = new ArrayList<>();
        for (ScenarioResult r : results) {
            if (!r.ok()) {
                rows.add(new String[] {r.scenario().label(), r.unavailable() ? r.error() : "failed: " + r.error(), "", "", "", "", "", "", "", "", ""});
                continue;
            }
            rows.add(new String[] {r.scenario().label(), ms(r.percentileMillis(50)), ms(r.percentileMillis(90)),
                ms(r.percentileMillis(99)), ms(r.percentileMillis(99.9)), ms(r.maxMillis()),
                String.format(Locale.ROOT, "%.1f", r.deliveredPercent()), Long.toString(r.lost()),
                Long.toString(r.duplicated()), Long.toString(r.reordered()),
                String.format(Locale.ROOT, "%.0f", r.bytesPerPost())});
        }
        return rows;
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }

    /** The table aligned for a terminal. */
    static String table(List<ScenarioResult> results) {
        List<String[]> rows = rows(results);
        int[] widths = new int[HEADER.length];
        for (int c = 0; c < HEADER.length; c++) {
            widths[c] = HEADER[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER, widths);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.append(rule).append('\n');
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            String cell = cells[c];
            if (c == 0) {
                out.append(cell).append(" ".repeat(widths[c] - cell.length()));
            } else {
                out.append("  ").append(" ".repeat(Math.max(0, widths[c] - cell.length()))).append(cell);
            }
        }
        out.append('\n');
    }

    /** The Markdown report: how it ran, the table, one sentence per profile. */
    static String markdown(List<ScenarioResult> results, CompareSettings settings, String when) {
        StringBuilder md = new StringBuilder("# wirelab compare, ").append(when).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d scenarios, %d posts/s of %d characters, %.1f s measured after "
                + "%.1f s warm-up, seed %d, on %d cores, Java %s, %s.%n%n", results.size(), settings.rate(),
                settings.size(), settings.measure().toMillis() / 1000.0, settings.warmup().toMillis() / 1000.0,
                settings.seed(), Runtime.getRuntime().availableProcessors(), Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version")));
        md.append(CLOCK_NOTE).append(" Percentiles are in milliseconds. Loss profiles impair every side's sends "
                + "in-process (client side seed N, server side N+1); a post crosses two hops (sender to server, server "
                + "to receiver), so unreliable modes should lose about 1 - 0.95^2 = 9.75% under 5% loss. B/post is "
                + "what the sender's connection sent per post as its transport counts it (frames on TCP, datagram "
                + "payloads with acks and retransmits on UDP; no IP/TCP/UDP headers), so compare it across codecs "
                + "more than across transports. The kernel-loss profiles run the scenario in a child JVM inside an unprivileged "
                + "network namespace (unshare -rn) whose loopback drops 1% or 5% of all packets with an nft numgen rule "
                + "(data, acks and SYNs alike, in both directions), so TCP really retransmits (minimum RTO 200 ms) "
                + "and blocks behind a lost segment; where namespaces or nft are missing their rows say \"not "
                + "available\".\n\n");
        md.append('|').append(String.join("|", HEADER)).append("|\n|");
        md.append("---|".repeat(HEADER.length)).append('\n');
        for (String[] row : rows(results)) {
            md.append('|').append(String.join("|", row).replace("\n", " ")).append("|\n");
        }
        md.append("\n## What this shows\n\n");
        for (String sentence : findings(results)) {
            md.append("- ").append(sentence).append('\n');
        }
        return md.toString();
    }

    /** One sentence per profile, and one on codec sizes, computed from the figures. */
    static List<String> findings(List<ScenarioResult> results) {
        List<String> findings = new ArrayList<>();
        for (ScenarioProfile profile : ScenarioProfile.values()) {
            List<ScenarioResult> under = results.stream()
                    .filter(r -> r.ok() && r.scenario().profile() == profile && r.delivered() > 0).toList();
            if (under.isEmpty()) {
                continue;
            }
            Optional<ScenarioResult> tcp = first(under, ScenarioLink.TCP);
            Optional<ScenarioResult> ordered = tcp.flatMap(t -> under.stream()
                    .filter(r -> r.scenario().link() == ScenarioLink.UDP_RELIABLE_ORDERED
                            && r.scenario().codec() == t.scenario().codec()).findFirst());
            if (tcp.isPresent() && ordered.isPresent()) {
                double t = tcp.get().percentileMillis(99);
                double u = ordered.get().percentileMillis(99);
                findings.add(String.format(Locale.ROOT, "Under %s (%s), TCP's p99 was %s ms against %s ms for "
                        + "reliable-ordered UDP: %s.", profile.label(), tcp.get().scenario().codec().label(),
                        ms(t), ms(u), ratio(t, u)));
            } else {
                ScenarioResult best = under.stream().min(Comparator.comparingDouble(r -> r.percentileMillis(99))).get();
                ScenarioResult worst = under.stream().max(Comparator.comparingDouble(r -> r.percentileMillis(99))).get();
                findings.add(String.format(Locale.ROOT, "Under %s, the lowest p99 was %s (%s ms) and the highest "
                        + "%s (%s ms).", profile.label(), best.scenario().label(), ms(best.percentileMillis(99)),
                        worst.scenario().label(), ms(worst.percentileMillis(99))));
            }
            under.stream().filter(r -> r.scenario().link() == ScenarioLink.UDP_UNRELIABLE).findFirst()
                    .filter(r -> r.lost() > 0)
                    .ifPresent(r -> findings.add(String.format(Locale.ROOT, "Under %s, unreliable UDP (%s) "
                            + "delivered %.1f%% of posts.", profile.label(), r.scenario().codec().label(),
                            r.deliveredPercent())));
        }
        results.stream().filter(r -> r.ok() && r.scenario().codec() == CodecKind.JSON).forEach(json -> results.stream()
                .filter(p -> p.ok() && p.scenario().codec() == CodecKind.PROTOBUF
                        && p.scenario().link() == json.scenario().link()
                        && p.scenario().profile() == ScenarioProfile.CLEAN
                        && json.scenario().profile() == ScenarioProfile.CLEAN)
                .findFirst()
                .ifPresent(p -> findings.add(String.format(Locale.ROOT, "On %s with a clean network, the sender "
                        + "put %.0f bytes per post on the wire with json and %.0f with protobuf.",
                        json.scenario().link().label(), json.bytesPerPost(), p.bytesPerPost()))));
        return findings;
    }

    private static Optional<ScenarioResult> first(List<ScenarioResult> results, ScenarioLink link) {
        return results.stream().filter(r -> r.scenario().link() == link).findFirst();
    }

    private static String ratio(double a, double b) {
        if (!(b > 0) || Double.isNaN(a)) {
            return "no ratio";
        }
        double r = a / b;
        return r >= 1 ? String.format(Locale.ROOT, "TCP %.1fx higher", r)
                : String.format(Locale.ROOT, "TCP %.1fx lower", 1 / r);
    }

    /** {@code results.json}: machine, configuration, every scenario's figures and corrected histogram. */
    static String json(List<ScenarioResult> results, CompareSettings settings, String when, List<String> args) {
        CompareJson json = new CompareJson().beginObject();
        json.field("schema", "wirelab-compare/1").field("when", when).field("wirelabVersion", Wirelab.version());
        json.name("machine").beginObject()
                .field("cores", Runtime.getRuntime().availableProcessors())
                .field("jvm", Runtime.version().toString())
                .field("jvmVendor", String.valueOf(System.getProperty("java.vendor")))
                .field("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .field("arch", String.valueOf(System.getProperty("os.arch")))
                .endObject();
        json.name("config").beginObject()
                .field("rate", settings.rate()).field("size", settings.size())
                .field("warmupMillis", settings.warmup().toMillis()).field("measureMillis", settings.measure().toMillis())
                .field("drainMillis", settings.drain().toMillis()).field("seed", settings.seed())
                .field("clock", CLOCK_NOTE);
        json.name("args").beginArray();
        args.forEach(json::string);
        json.endArray().endObject();
        json.name("scenarios").beginArray();
        for (ScenarioResult r : results) {
            Scenario s = r.scenario();
            json.beginObject().field("label", s.label()).field("transport", s.link().label())
                    .field("codec", s.codec().label()).field("profile", s.profile().label())
                    .field("impairment", s.profile().spec()).field("kernelDropPercent", s.profile().kernelDropPercent())
                    .name("available").bool(!r.unavailable()).field("error", r.error())
                    .field("sent", r.sent()).field("delivered", r.delivered()).field("lost", r.lost())
                    .field("duplicated", r.duplicated()).field("reordered", r.reordered())
                    .field("deliveredPercent", r.deliveredPercent())
                    .field("senderBytesOut", r.senderBytesOut()).field("senderFramesOut", r.senderFramesOut())
                    .field("totalPosts", r.totalPosts()).field("bytesPerPost", r.bytesPerPost());
            percentiles(json, "correctedMillis", r.corrected());
            percentiles(json, "uncorrectedMillis", r.uncorrected());
            json.field("correctedHistogram", encode(r.corrected()));
            json.endObject();
        }
        return json.endArray().endObject().toString() + "\n";
    }

    private static void percentiles(CompareJson json, String name, Histogram h) {
        json.name(name).beginObject();
        boolean any = h.getTotalCount() > 0;
        for (double p : new double[] {50, 90, 99, 99.9}) {
            json.field("p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)),
                    any ? h.getValueAtPercentile(p) / 1e6 : Double.NaN);
        }
        json.field("max", any ? h.getMaxValue() / 1e6 : Double.NaN)
                .field("mean", any ? h.getMean() / 1e6 : Double.NaN)
                .field("count", h.getTotalCount());
        json.endObject();
    }

    /** HdrHistogram's compressed encoding in base64, as its interval logs carry it (values in nanoseconds). */
    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity() + 64);
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
