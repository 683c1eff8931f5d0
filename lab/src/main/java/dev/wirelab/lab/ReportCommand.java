package dev.wirelab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wirelab report FILE...}: renders {@code report.md}, {@code report.html} and the charts
 * again from {@code results.json} files (several side by side), folding in JMH results
 * ({@code -rf json}) and other figures such as {@code benchmarks/peers.sh}'s.
 */
@Command(name = "report",
        header = "Render compare results (and JMH or peer figures) as report.md and report.html with charts.",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelab.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Reads each FILE: a compare results.json (several are shown side by side, the first as the baseline of "
                    + "the p99 ratios), a JMH result file (java -jar benchmarks/target/benchmarks.jar -rf json), or any "
                    + "other JSON of figures (such as benchmarks/peers.sh's), shown as a table.",
            "Writes report.md, report.html and charts/*.png into --out."},
        sortOptions = false)
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "results.json, JMH JSON or figures JSON files.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory for report.md, report.html and charts/ (created if missing).")
    Path out;

    private final Io io;

    ReportCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        List<ResultsJson.Run> runs = new ArrayList<>();
        List<ReportExtras.Section> extras = new ArrayList<>();
        List<JsonNode> jmhRoots = new ArrayList<>();
        List<JsonNode> otherRoots = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                io.err().println("wirelab report: cannot read " + file + ": " + e.getMessage());
                return 2;
            }
            try {
                JsonNode root = ResultsJson.parse(text);
                if (root.isObject() && root.has("schema") && root.path("schema").asText().startsWith("wirelab-compare/")) {
                    runs.add(ResultsJson.read(text));
                } else if (ReportExtras.isJmh(root)) {
                    extras.addAll(ReportExtras.jmh(root, file.getFileName().toString()));
                    jmhRoots.add(root);
                } else if (root.isObject()) {
                    extras.add(ReportExtras.figures(root, file.getFileName().toString()));
                    otherRoots.add(root);
                } else {
                    io.err().println("wirelab report: " + file + " is neither compare results, JMH results nor an "
                            + "object of figures");
                    return 2;
                }
            } catch (IllegalArgumentException e) {
                io.err().println("wirelab report: " + file + ": " + e.getMessage());
                return 2;
            }
        }
        ReportExtras.roundTripRatios(jmhRoots, otherRoots).ifPresent(ratios -> extras.add(0, ratios));
        ReportWriter.write(out, runs, extras, false);
        io.out().println("report written to " + out + " (report.md, report.html, charts/): " + runs.size()
                + " compare run" + (runs.size() == 1 ? "" : "s") + ", " + extras.size() + " other table"
                + (extras.size() == 1 ? "" : "s"));
        io.out().flush();
        return 0;
    }
}
