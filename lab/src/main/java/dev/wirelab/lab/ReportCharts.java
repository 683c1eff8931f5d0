package dev.wirelab.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn by JFreeChart into PNG files (headless: no display needed):
 * the latency percentile spectrum per profile on log axes, p99 across profiles, loss, reordering
 * and duplication per profile, bytes per post per codec, and a bar chart per JMH section.
 */
final class ReportCharts {

    /** A chart written to {@code file}, relative to the report's directory. */
    record Chart(String title, String file) {
    }

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;

    private ReportCharts() {
    }

    /** Draws every chart of these runs and extras into {@code dir/charts/} and says what it drew. */
    static List<Chart> draw(Path dir, List<ResultsJson.Run> runs, List<ReportExtras.Section> extras)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path charts = dir.resolve("charts");
        Files.createDirectories(charts);
        List<Chart> drawn = new ArrayList<>();
        boolean several = runs.size() > 1;
        if (!runs.isEmpty()) {
            drawn.add(p99AcrossProfiles(charts, runs, several));
        }
        for (ScenarioProfile profile : profiles(runs)) {
            drawn.add(spectrum(charts, runs, profile, several));
        }
        for (ScenarioProfile profile : profiles(runs)) {
            drawn.add(delivery(charts, runs, profile, several));
        }
        if (!runs.isEmpty()) {
            drawn.add(bytesPerPost(charts, runs, several));
        }
        int n = 0;
        for (ReportExtras.Section section : extras) {
            if (!section.bars().isEmpty()) {
                drawn.add(bars(charts, section, "jmh-" + ++n + ".png"));
            }
        }
        return drawn;
    }

    /** Profiles with at least one scenario that ran, in the matrix's order. */
    private static List<ScenarioProfile> profiles(List<ResultsJson.Run> runs) {
        Set<ScenarioProfile> present = new LinkedHashSet<>();
        for (ScenarioProfile profile : ScenarioProfile.values()) {
            for (ResultsJson.Run run : runs) {
                if (run.scenarios().stream().anyMatch(r -> r.ok() && r.scenario().profile() == profile)) {
                    present.add(profile);
                }
            }
        }
        return List.copyOf(present);
    }

    /** {@code tcp json}: a scenario within one profile. */
    private static String linkAndCodec(ScenarioResult r) {
        return r.scenario().link().label() + " " + r.scenario().codec().label();
    }

    private static String series(int run, boolean several, String name) {
        return several ? CompareReport.runName(run) + ": " + name : name;
    }

    /**
     * Latency against percentile, both on log scales: the x axis is the number of nines
     * ({@code -log10(1 - p)}, so 90%, 99%, 99.9% are evenly spaced), as HdrHistogram plots it.
     */
    private static Chart spectrum(Path charts, List<ResultsJson.Run> runs, ScenarioProfile profile, boolean several)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        double lowest = Double.MAX_VALUE;
        for (int i = 0; i < runs.size(); i++) {
            for (ScenarioResult r : runs.get(i).scenarios()) {
                if (!r.ok() || r.scenario().profile() != profile || r.corrected().getTotalCount() == 0) {
                    continue;
                }
                XYSeries s = new XYSeries(series(i, several, linkAndCodec(r)), false, true);
                for (double[] point : spectrumPoints(r.corrected())) {
                    s.add(point[0], point[1]);
                    lowest = Math.min(lowest, point[1]);
                }
                data.addSeries(s);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("One-way latency by percentile: " + profile.label()
                        + " (" + profile.spec() + ")", "percentile", "latency (ms, log scale)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        NumberAxis nines = new NumberAxis("percentile (log scale of nines)");
        nines.setTickUnit(new NumberTickUnit(1, new NinesFormat()));
        nines.setRange(0, 4.2);
        plot.setDomainAxis(nines);
        plot.setRangeAxis(decades("latency from intended send time (ms, log scale)"));
        style(chart);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            plot.getRenderer().setSeriesStroke(s, new BasicStroke(2f));
        }
        return save(chart, charts, "latency-" + profile.label() + ".png", WIDTH, HEIGHT);
    }

    /** Points (nines, milliseconds) of the histogram's percentile spectrum, up to the last value below 100%. */
    static List<double[]> spectrumPoints(Histogram histogram) {
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0) {
                break;
            }
            double nines = -Math.log10(1 - p);
            if (nines > 4.2) {
                break;
            }
            points.add(new double[] {nines, Math.max(0.001, v.getValueIteratedTo() / 1e6)});
        }
        return points;
    }

    /** Labels {@code n} nines as the percentile they stand for: 1 is 90%, 3 is 99.9%. */
    static final class NinesFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double nines, StringBuffer to, FieldPosition pos) {
            double percent = 100 * (1 - Math.pow(10, -nines));
            int decimals = Math.max(0, (int) Math.ceil(nines) - 2);
            return to.append(String.format(Locale.ROOT, "%." + decimals + "f%%", percent));
        }

        @Override
        public StringBuffer format(long nines, StringBuffer to, FieldPosition pos) {
            return format((double) nines, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("only formats");
        }
    }

    /** p99 of each transport and codec across the profiles, a line each, log scale. */
    private static Chart p99AcrossProfiles(Path charts, List<ResultsJson.Run> runs, boolean several)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < runs.size(); i++) {
            for (ScenarioResult r : runs.get(i).scenarios()) {
                if (r.ok() && r.corrected().getTotalCount() > 0) {
                    data.addValue(Math.max(0.001, r.percentileMillis(99)), series(i, several, linkAndCodec(r)),
                            r.scenario().profile().label());
                }
            }
        }
        JFreeChart chart = ChartFactory.createLineChart("p99 one-way latency by network profile", "profile",
                "p99 (ms, log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setRangeAxis(decades("p99 (ms, log scale)"));
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        style(chart);
        return save(chart, charts, "p99-by-profile.png", WIDTH, HEIGHT);
    }

    /** Lost, reordered and duplicated deliveries as a share of those due, per scenario of one profile. */
    private static Chart delivery(Path charts, List<ResultsJson.Run> runs, ScenarioProfile profile, boolean several)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < runs.size(); i++) {
            for (ScenarioResult r : runs.get(i).scenarios()) {
                if (!r.ok() || r.scenario().profile() != profile) {
                    continue;
                }
                String column = series(i, several, linkAndCodec(r));
                data.addValue(r.lostPercent(), "lost %", column);
                data.addValue(r.reorderedPercent(), "reordered %", column);
                data.addValue(r.due() == 0 ? 0 : 100.0 * r.duplicated() / r.due(), "duplicated %", column);
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Lost, reordered and duplicated posts: " + profile.label(),
                "scenario", "% of deliveries due", data);
        chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        style(chart);
        return save(chart, charts, "delivery-" + profile.label() + ".png", WIDTH, HEIGHT);
    }

    /** Bytes the sender put on the wire per post, per transport and codec, on the cleanest profile present. */
    private static Chart bytesPerPost(Path charts, List<ResultsJson.Run> runs, boolean several) throws IOException {
        ScenarioProfile profile = profiles(runs).stream().findFirst().orElse(ScenarioProfile.CLEAN);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < runs.size(); i++) {
            for (ScenarioResult r : runs.get(i).scenarios()) {
                if (r.ok() && r.scenario().profile() == profile) {
                    data.addValue(r.wire().bytesPerPost(), series(i, several, r.scenario().codec().label()),
                            r.scenario().link().label());
                }
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Bytes on the wire per post, IP and transport headers included ("
                + profile.label() + ")", "transport", "bytes per post", data);
        style(chart);
        return save(chart, charts, "bytes-per-post.png", WIDTH, HEIGHT);
    }

    /** A JMH section's scores as horizontal bars. */
    private static Chart bars(Path charts, ReportExtras.Section section, String file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ReportExtras.Bar bar : section.bars()) {
            if (Double.isFinite(bar.value())) {
                data.addValue(bar.value(), section.unit(), bar.label());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(section.title(), "", section.unit(), data,
                PlotOrientation.HORIZONTAL, false, false, false);
        style(chart);
        int height = Math.max(300, 120 + 22 * section.bars().size());
        return save(chart, charts, file, WIDTH, height);
    }

    /** A log axis with a tick at each power of ten, labelled 0.1, 1, 10, 100. */
    private static LogAxis decades(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(0.001);
        axis.setTickUnit(new NumberTickUnit(1.0), false, true);
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.###", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)));
        return axis;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF7F7F7));
    }

    private static Chart save(JFreeChart chart, Path charts, String name, int width, int height) throws IOException {
        ChartUtils.saveChartAsPNG(charts.resolve(name).toFile(), chart, width, height);
        return new Chart(chart.getTitle().getText(), "charts/" + name);
    }
}
