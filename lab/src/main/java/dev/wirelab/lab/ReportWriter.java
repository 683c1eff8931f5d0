package dev.wirelab.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a report directory: {@code results.json} (for a fresh run), {@code report.md},
 * {@code report.html} and {@code charts/*.png}. {@code compare} calls it after a run, and
 * {@code report} to render results files again, alone or side by side.
 */
final class ReportWriter {

    private ReportWriter() {
    }

    /**
     * @param dir         where the files go (created if missing)
     * @param runs        compare runs; several are shown side by side
     * @param extras      JMH and peer figures to fold in
     * @param withResults whether to write {@code results.json} (only for exactly one run)
     */
    static void write(Path dir, List<ResultsJson.Run> runs, List<ReportExtras.Section> extras, boolean withResults)
            throws IOException {
        Files.createDirectories(dir);
        if (withResults) {
            if (runs.size() != 1) {
                throw new IllegalArgumentException("results.json holds exactly one run, not " + runs.size());
            }
            Files.writeString(dir.resolve("results.json"), ResultsJson.write(runs.get(0)), StandardCharsets.UTF_8);
        }
        List<ReportCharts.Chart> charts = ReportCharts.draw(dir, runs, extras);
        Files.writeString(dir.resolve("report.md"), CompareReport.markdown(runs, extras, charts), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(runs, extras, charts), StandardCharsets.UTF_8);
    }

    /** The HTML page: the same text and tables as the Markdown, with the charts inline. */
    static String html(List<ResultsJson.Run> runs, List<ReportExtras.Section> extras, List<ReportCharts.Chart> charts) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        String title = runs.size() == 1 ? "wirelab compare, " + runs.get(0).when()
                : runs.isEmpty() ? "wirelab report" : "wirelab compare: " + runs.size() + " runs side by side";
        h.append("<title>").append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;font-size:13px;margin:1em 0}\n")
                .append("th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}\n")
                .append("th:first-child,td:first-child{text-align:left}\n")
                .append("tr:nth-child(even){background:#f6f6f6}\nimg{max-width:100%;border:1px solid #ddd;margin:.5em 0}\n")
                .append("p.method{font-size:14px;color:#444}\n</style>\n</head>\n<body>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n");
        for (int i = 0; i < runs.size(); i++) {
            h.append("<p>").append(runs.size() > 1 ? "<b>" + CompareReport.runName(i) + "</b>: " : "")
                    .append(escape(CompareReport.describe(runs.get(i)))).append("</p>\n");
        }
        if (!runs.isEmpty()) {
            h.append("<p class=\"method\">").append(escape(CompareReport.METHOD)).append("</p>\n");
        }
        if (runs.size() > 1) {
            CompareReport.SideBySide side = CompareReport.sideBySide(runs);
            h.append("<h2>p99 and delivery, side by side</h2>\n");
            table(h, side.header(), side.rows());
        }
        for (int i = 0; i < runs.size(); i++) {
            h.append("<h2>").append(runs.size() > 1 ? CompareReport.runName(i) + ": every figure" : "Every figure")
                    .append("</h2>\n");
            table(h, CompareReport.HEADER, CompareReport.rows(runs.get(i).scenarios()));
            h.append("<h3>What this shows</h3>\n<ul>\n");
            for (String finding : CompareReport.findings(runs.get(i).scenarios())) {
                h.append("<li>").append(escape(finding)).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        if (!charts.isEmpty()) {
            h.append("<h2>Charts</h2>\n");
            for (ReportCharts.Chart chart : charts) {
                h.append("<figure><img src=\"").append(escape(chart.file())).append("\" alt=\"")
                        .append(escape(chart.title())).append("\"><figcaption>").append(escape(chart.title()))
                        .append("</figcaption></figure>\n");
            }
        }
        for (ReportExtras.Section section : extras) {
            h.append("<h2>").append(escape(section.title())).append("</h2>\n<p>").append(escape(section.note()))
                    .append("</p>\n");
            table(h, section.header(), section.rows());
        }
        return h.append("</body>\n</html>\n").toString();
    }

    private static void table(StringBuilder h, String[] header, List<String[]> rows) {
        h.append("<table>\n<tr>");
        for (String cell : header) {
            h.append("<th>").append(escape(cell)).append("</th>");
        }
        h.append("</tr>\n");
        for (String[] row : rows) {
            h.append("<tr>");
            for (String cell : row) {
                h.append("<td>").append(escape(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
