package dev.wirelab.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code compare} and {@code report} show of results: the terminal table, {@code report.md}'s
 * text and tables (also used by {@code report.html}), and the findings. Everything here is computed
 * from the results alone, so a re-render from {@code results.json} gives the same tables.
 */
final class CompareReport {

    static final String CLOCK_NOTE = "Latency is one-way (sender to server to receiver), measured with one monotonic "
            + "clock (System.nanoTime) shared by sender and receiver in one JVM, from each post's intended send time "
            + "(corrected for coordinated omission).";

    private CompareReport() {
    }

    /** The latency percentiles every table and file reports. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /** {@code 50}, {@code 99.9}: a percentile as field names and headers spell it. */
    static String percentileName(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    static final String[] HEADER = {"scenario", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "jitter ms",
        "delivered %", "lost", "dup", "reordered", "retx", "B/post", "CPU us/post"};

    /** One row of cells per result, in the order of {@link #HEADER}. */
    static List<String[]> rows(List<ScenarioResult> results) {
        List<String[]> rows = new ArrayList<>();
        for (ScenarioResult r : results) {
            String[] row = new String[HEADER.length];
            java.util.Arrays.fill(row, "");
            row[0] = r.scenario().label();
            if (!r.ok()) {
                row[1] = r.unavailable() ? r.error() : "failed: " + r.error();
                rows.add(row);
                continue;
            }
            rows.add(new String[] {r.scenario().label(), ms(r.percentileMillis(50)), ms(r.percentileMillis(90)),
                ms(r.percentileMillis(99)), ms(r.percentileMillis(99.9)), ms(r.maxMillis()), ms(r.jitterMillis()),
                String.format(Locale.ROOT, "%.1f", r.deliveredPercent()), Long.toString(r.lost()),
                Long.toString(r.duplicated()), Long.toString(r.reordered()),
                r.retransmits() < 0 ? "-" : Long.toString(r.retransmits()),
                String.format(Locale.ROOT, "%.0f", r.wire().bytesPerPost()),
                Double.isNaN(r.cpuMicrosPerPost()) ? "-" : String.format(Locale.ROOT, "%.0f", r.cpuMicrosPerPost())});
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

    /** How a run was made, in one paragraph. */
    static String describe(ResultsJson.Run run) {
        CompareSettings settings = run.settings();
        Map<String, String> m = run.machine();
        return String.format(Locale.ROOT, "%d scenarios, %d posts/s of %d characters from one sender to %d "
                + "receiver%s, %.1f s measured after %.1f s warm-up, seed %d; %s cores (%s), Java %s, %s, load "
                + "average %s at the start and %s at the end; wirelab %s at git %s; started %s.",
                run.scenarios().size(), settings.rate(), settings.size(),
                settings.receivers(), settings.receivers() == 1 ? "" : "s", settings.measure().toMillis() / 1000.0,
                settings.warmup().toMillis() / 1000.0, settings.seed(), m.getOrDefault("cores", "?"),
                m.getOrDefault("cpu", "unknown CPU"), m.getOrDefault("jvm", "?"), m.getOrDefault("os", "?"),
                m.getOrDefault("loadAverageAtStart", "unknown"), m.getOrDefault("loadAverageAtEnd", "unknown"),
                run.versions().getOrDefault("wirelab", "?"), run.revision(), run.when());
    }

    /** How to read the figures: the method, in a few sentences. */
    static final String METHOD = CLOCK_NOTE + " Percentiles and jitter are in milliseconds; jitter is RFC 3550's "
            + "interarrival jitter (a running mean, gain 1/16, of how much the transit time changes from one post to "
            + "the next). Loss profiles impair every endpoint's sends in-process (sender seed N, server N+1, receivers "
            + "N+2...); a post crosses two hops (sender to server, server to receiver), so unreliable modes should "
            + "lose about 1 - 0.95^2 = 9.75% under 5% loss. The kernel-loss profiles run in a child JVM inside an "
            + "unprivileged network namespace (unshare -rn) whose loopback drops 1% or 5% of all packets with an nft "
            + "numgen rule (data, acks and SYNs alike), so TCP really retransmits (minimum RTO 200 ms) and blocks "
            + "behind a lost segment; where namespaces or nft are missing their rows say \"not available\". In-process "
            + "loss on TCP is a model, not TCP: each frame the loss chain picks arrives one minimum RTO (200 ms) late "
            + "and holds back every frame behind it, with no fast retransmit, so it overstates what real TCP does "
            + "with a lone loss at these rates; for TCP, trust the kernel-loss rows. retx "
            + "counts retransmissions by every endpoint: the UDP engines' own counters, and for TCP the kernel's "
            + "RetransSegs inside the namespace (\"-\" in-process, where TCP is never really lost: the in-process "
            + "TCP impairment turns loss into a stall). B/post is what the sender put on the wire per post, IP and "
            + "transport headers included (28 B per UDP datagram, counted; 52 B per TCP segment, one per post at "
            + "these rates); TCP's pure ACKs are not in it, UDP's acks the sender sends are. CPU us/post is the CPU "
            + "time of the whole process (server, clients, in-process impairment, JIT and GC) per post.";

    /** The Markdown report of one run, or of several side by side. */
    static String markdown(List<ResultsJson.Run> runs, List<ReportExtras.Section> extras, List<ReportCharts.Chart> charts) {
        StringBuilder md = new StringBuilder();
        if (runs.isEmpty()) {
            md.append("# wirelab report\n");
        }
        if (runs.size() == 1) {
            ResultsJson.Run run = runs.get(0);
            md.append("# wirelab compare, ").append(run.when()).append("\n\n").append(describe(run)).append("\n\n");
            md.append(METHOD).append("\n\n");
            md.append(markdownTable(HEADER, rows(run.scenarios())));
            md.append("\n## What this shows\n\n");
            for (String sentence : findings(run.scenarios())) {
                md.append("- ").append(sentence).append('\n');
            }
        } else if (runs.size() > 1) {
            md.append("# wirelab compare: ").append(runs.size()).append(" runs side by side\n\n");
            for (int i = 0; i < runs.size(); i++) {
                md.append("- **").append(runName(i)).append("**: ").append(describe(runs.get(i))).append('\n');
            }
            md.append("\n").append(METHOD).append("\n\n## p99 and delivery, side by side\n\n");
            SideBySide side = sideBySide(runs);
            md.append(markdownTable(side.header(), side.rows()));
            for (int i = 0; i < runs.size(); i++) {
                md.append("\n## ").append(runName(i)).append(": every figure\n\n");
                md.append(markdownTable(HEADER, rows(runs.get(i).scenarios())));
                md.append("\n### What run ").append(runName(i)).append(" shows\n\n");
                for (String sentence : findings(runs.get(i).scenarios())) {
                    md.append("- ").append(sentence).append('\n');
                }
            }
        }
        for (ReportExtras.Section section : extras) {
            md.append("\n## ").append(section.title()).append("\n\n").append(section.note()).append("\n\n");
            md.append(markdownTable(section.header(), section.rows()));
        }
        if (!charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (ReportCharts.Chart chart : charts) {
                md.append("![").append(chart.title()).append("](").append(chart.file()).append(")\n\n");
            }
        }
        return md.toString();
    }

    /** "A", "B", ...: how side-by-side reports name the runs. */
    static String runName(int index) {
        return index < 26 ? String.valueOf((char) ('A' + index)) : "R" + (index + 1);
    }

    static String markdownTable(String[] header, List<String[]> rows) {
        StringBuilder md = new StringBuilder();
        md.append('|').append(String.join("|", header)).append("|\n|");
        md.append("---|".repeat(header.length)).append('\n');
        for (String[] row : rows) {
            md.append('|').append(String.join("|", row).replace("\n", " ")).append("|\n");
        }
        return md.toString();
    }

    /** A table with one row per scenario label found in any run. */
    record SideBySide(String[] header, List<String[]> rows) {
    }

    /** p99, delivered % and B/post of each run per scenario, and each later run's p99 as a ratio to the first's. */
    static SideBySide sideBySide(List<ResultsJson.Run> runs) {
        List<String> header = new ArrayList<>(List.of("scenario"));
        for (int i = 0; i < runs.size(); i++) {
            header.add("p99 ms " + runName(i));
        }
        for (int i = 1; i < runs.size(); i++) {
            header.add("p99 " + runName(i) + "/" + runName(0));
        }
        for (int i = 0; i < runs.size(); i++) {
            header.add("delivered % " + runName(i));
        }
        for (int i = 0; i < runs.size(); i++) {
            header.add("B/post " + runName(i));
        }
        Map<String, ScenarioResult[]> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (ScenarioResult r : runs.get(i).scenarios()) {
                byLabel.computeIfAbsent(r.scenario().label(), k -> new ScenarioResult[runs.size()])[i] = r;
            }
        }
        List<String[]> rows = new ArrayList<>();
        byLabel.forEach((label, results) -> {
            List<String> row = new ArrayList<>(List.of(label));
            for (ScenarioResult r : results) {
                row.add(r == null ? "" : r.ok() ? ms(r.percentileMillis(99)) : "-");
            }
            for (int i = 1; i < results.length; i++) {
                ScenarioResult first = results[0];
                ScenarioResult later = results[i];
                boolean both = first != null && later != null && first.ok() && later.ok();
                double a = both ? first.percentileMillis(99) : Double.NaN;
                double b = both ? later.percentileMillis(99) : Double.NaN;
                row.add(a > 0 && !Double.isNaN(b) ? String.format(Locale.ROOT, "%.2f", b / a) : "-");
            }
            for (ScenarioResult r : results) {
                row.add(r == null ? "" : r.ok() ? String.format(Locale.ROOT, "%.1f", r.deliveredPercent()) : "-");
            }
            for (ScenarioResult r : results) {
                row.add(r == null ? "" : r.ok() ? String.format(Locale.ROOT, "%.0f", r.wire().bytesPerPost()) : "-");
            }
            rows.add(row.toArray(String[]::new));
        });
        return new SideBySide(header.toArray(String[]::new), rows);
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
                        + "reliable-ordered UDP: %s%s.", profile.label(), tcp.get().scenario().codec().label(),
                        ms(t), ms(u), ratio(t, u), profile.kernel() || profile == ScenarioProfile.CLEAN ? ""
                                : " (TCP's in-process loss is a modelled 200 ms stall per lost frame)"));
                if (profile.kernel() && tcp.get().retransmits() >= 0 && ordered.get().retransmits() >= 0) {
                    findings.add(String.format(Locale.ROOT, "Under %s, the kernel retransmitted %d TCP segments and "
                            + "the UDP engines %d frames (%s).", profile.label(), tcp.get().retransmits(),
                            ordered.get().retransmits(), tcp.get().scenario().codec().label()));
                }
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
                        + "put %.0f bytes per post on the wire (headers included) with json and %.0f with protobuf.",
                        json.scenario().link().label(), json.wire().bytesPerPost(), p.wire().bytesPerPost()))));
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
}
