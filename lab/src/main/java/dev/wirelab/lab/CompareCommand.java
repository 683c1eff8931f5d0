package dev.wirelab.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code wirelab compare}: runs the comparison matrix (transport and delivery x codec x network
 * profile) with real chat traffic on loopback, prints a table and writes
 * {@code reports/<timestamp>/} with {@code results.json}, {@code report.md}, {@code report.html} and
 * its charts.
 *
 * <p>Progress goes to stderr, one line per scenario; the table and the report's directory to stdout.
 * Exit status 0 when every scenario ran or was not available on this machine (kernel loss without
 * unshare or nft), 1 when one failed (its row says why).
 *
 * <p>Threads: scenarios run one after another on the main thread, each starting and stopping its
 * own server and clients; the scenarios of a kernel-loss profile run in one child JVM
 * ({@link KernelLoss}) that the main thread waits for.
 */
@Command(name = "compare",
        header = "Compare transports, delivery modes and codecs under clean and lossy networks.",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelab.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Runs each scenario (transport x codec x profile) with a real chat server and --clients clients on "
                    + "loopback: one posts at a fixed rate (open loop), the others record one-way latency from each "
                    + "post's intended send time, RFC 3550 jitter, and what was lost, duplicated or reordered; the run "
                    + "also counts bytes on the wire, retransmissions and CPU time.",
            "Prints a table (latencies in ms) and writes reports/<yyyyMMdd-HHmmss>/ with results.json, report.md, "
                    + "report.html and its charts (charts/*.png). 'wirelab report' renders results files again, side by side.",
            "Profiles: clean; loss5 (in-process loss=5%% on every hop); loss5-jitter (loss=5%%,delay=5ms,jitter=5ms,reorder=1%%); "
                    + "kernel-loss1 and kernel-loss5 (one child JVM per profile in an unprivileged network namespace, unshare -rn, whose "
                    + "loopback drops 1%% or 5%% of packets with an nft rule; \"not available\" where unshare or nft are "
                    + "missing)."},
        sortOptions = false)
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--transports", paramLabel = "LIST", defaultValue = "all",
            description = "Comma-separated: tcp, udp-unreliable, udp-sequenced, udp-reliable, udp-reliable-ordered, "
                    + "or all. Default: ${DEFAULT-VALUE}.")
    String transports;

    @Option(names = "--codecs", paramLabel = "LIST", defaultValue = "all",
            description = "Comma-separated: json, protobuf, or all. Default: ${DEFAULT-VALUE}.")
    String codecs;

    @Option(names = "--profiles", paramLabel = "LIST", defaultValue = "all",
            description = "Comma-separated: clean, loss5, loss5-jitter, kernel-loss1, kernel-loss5, or all. "
                    + "Default: ${DEFAULT-VALUE}.")
    String profiles;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "500",
            description = "Posts per second. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--size", paramLabel = "CHARS", defaultValue = "64",
            description = "Characters per post (48 to 1000). Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "2",
            description = "Clients in the room: one posts, the other N-1 receive and measure (2 to 101). "
                    + "Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0.8",
            description = "Measured seconds per scenario. Default: ${DEFAULT-VALUE}.")
    double duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "0.2",
            description = "Warm-up seconds per scenario, not measured. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "0.3",
            description = "Seconds to wait for stragglers after the last post (reliable links up to 5x, "
                    + "stopping once all arrived). Default: ${DEFAULT-VALUE}.")
    double drain;

    @Option(names = "--quick", description = "A short run: 0.3 s measured, 0.1 s warm-up, 0.2 s drain per scenario "
            + "(too short for kernel loss to show TCP's 200 ms retransmission timeout well).")
    boolean quick;

    @Option(names = "--full", description = "A long run: 10 s measured, 2 s warm-up, 1 s drain per scenario "
            + "(about ten minutes for the whole matrix; tails and p99.9 become meaningful).")
    boolean full;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds the impairments (sender N, server N+1, receiver i N+2+i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports",
            description = "Where the timestamped report directory goes. Default: ${DEFAULT-VALUE}.")
    Path out;

    /**
     * Internal: runs just these scenarios (labels such as {@code tcp json kernel-loss5}) in this
     * process, without impairing them in-process, and prints each result as one line; the parent
     * {@code compare} starts it so inside a lossy network namespace (see {@link KernelLoss}).
     */
    @Option(names = "--internal-scenario", paramLabel = "LABEL", hidden = true)
    List<String> internalScenarios = new ArrayList<>();

    /** Held so the level set on it stays (java.util.logging keeps loggers weakly). */
    private static final Logger CHAT_LOG = Logger.getLogger("dev.wirelab");

    private final Io io;
    private final List<String> args = new ArrayList<>();

    CompareCommand(Io io) {
        this.io = io;
    }

    /** The settings the options ask for. */
    CompareSettings settings() {
        if (quick && full) {
            throw new ParameterException(spec.commandLine(), "choose --quick or --full, not both");
        }
        try {
            int receivers = clients - 1;
            if (quick) {
                return new CompareSettings(rate, size, Duration.ofMillis(100), Duration.ofMillis(300),
                        Duration.ofMillis(200), seed, receivers);
            }
            if (full) {
                return new CompareSettings(rate, size, Duration.ofSeconds(2), Duration.ofSeconds(10),
                        Duration.ofSeconds(1), seed, receivers);
            }
            return new CompareSettings(rate, size, seconds(warmup), seconds(duration), seconds(drain), seed, receivers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static Duration seconds(double value) {
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    /** A scenario's label back into the scenario: {@code TRANSPORT CODEC PROFILE}. */
    static Scenario parseLabel(String label) {
        String[] parts = label.strip().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a scenario is 'TRANSPORT CODEC PROFILE', not '" + label + "'");
        }
        return new Scenario(ScenarioLink.parse(parts[0]), CodecKind.parse(parts[1]), ScenarioProfile.parse(parts[2]));
    }

    private int runInternal(CompareSettings settings) {
        List<Scenario> scenarios = new ArrayList<>();
        try {
            internalScenarios.forEach(label -> scenarios.add(parseLabel(label)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (io.ownsProcess() && !CHAT_LOG.isLoggable(Level.FINE)) {
            CHAT_LOG.setLevel(Level.WARNING);
        }
        // In the namespace of its own the kernel's TCP counters are this run's traffic alone.
        ScenarioRunner runner = new ScenarioRunner(settings, KernelLoss::tcpRetransmittedSegments);
        if (!scenarios.isEmpty()) {
            runner.run(scenarios.get(0)); // JIT warm-up, not recorded
        }
        for (Scenario scenario : scenarios) {
            io.out().println(KernelLoss.START_MARK + " " + scenario.label());
            io.out().flush();
            io.out().println(KernelLoss.resultLine(runner.run(scenario)));
            io.out().flush();
        }
        return 0;
    }

    @Override
    public Integer call() throws IOException {
        if (!internalScenarios.isEmpty()) {
            return runInternal(settings());
        }
        List<Scenario> matrix;
        try {
            matrix = Scenario.matrix(transports, codecs, profiles);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CompareSettings settings = settings();
        args.addAll(spec.commandLine().getParseResult().originalArgs());
        if (io.ownsProcess() && !CHAT_LOG.isLoggable(Level.FINE)) {
            // A hundred servers and clients starting and stopping would bury the progress lines.
            CHAT_LOG.setLevel(Level.WARNING);
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        String loadAtStart = RunInfo.loadAverage();
        Map<Scenario, ScenarioResult> results = new LinkedHashMap<>();
        List<Scenario> inProcess = matrix.stream().filter(s -> !s.profile().kernel()).toList();
        ScenarioRunner runner = new ScenarioRunner(settings);
        // The JIT would otherwise bill its own warm-up to whichever scenario runs first: one run, not recorded.
        if (!inProcess.isEmpty()) {
            io.err().println("  warming up the JIT with one unrecorded " + inProcess.get(0).label());
            io.err().flush();
            runner.run(inProcess.get(0));
        }
        Progress progress = new Progress(io.err(), matrix.size());
        for (Scenario scenario : inProcess) {
            progress.starting(scenario.label());
            ScenarioResult result = runner.run(scenario);
            progress.finished(result);
            results.put(scenario, result);
        }
        for (ScenarioProfile profile : ScenarioProfile.values()) {
            List<Scenario> group = matrix.stream().filter(s -> s.profile() == profile && profile.kernel()).toList();
            if (!group.isEmpty()) {
                progress.note(group.size() + " scenarios of " + profile.label() + " in one child JVM inside a "
                        + "network namespace that drops " + profile.kernelDropPercent() + "% of loopback packets");
                KernelLoss.run(group, settings, progress::starting, result -> {
                    progress.finished(result);
                    results.put(result.scenario(), result);
                });
            }
        }
        List<ScenarioResult> ordered = matrix.stream().map(results::get).toList();
        ResultsJson.Run run = new ResultsJson.Run(now.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "Z",
                RunInfo.gitRevision(), machine(loadAtStart), RunInfo.versions(), settings, args, ordered);
        Path dir = out.resolve(now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        progress.note("drawing the charts");
        ReportWriter.write(dir, List.of(run), List.of(), true);
        io.out().print(CompareReport.table(ordered));
        io.out().println();
        for (String finding : CompareReport.findings(ordered)) {
            io.out().println(finding);
        }
        io.out().println();
        io.out().println("(" + CompareReport.CLOCK_NOTE + ")");
        io.out().println("report written to " + dir + " (report.md, report.html, results.json)");
        io.out().flush();
        return ordered.stream().allMatch(r -> r.ok() || r.unavailable()) ? 0 : 1;
    }

    private static Map<String, String> machine(String loadAtStart) {
        Map<String, String> machine = new LinkedHashMap<>(RunInfo.machine());
        machine.put("loadAverageAtStart", loadAtStart);
        machine.put("loadAverageAtEnd", RunInfo.loadAverage());
        return machine;
    }

    /** The progress lines on stderr: what runs, how far along, elapsed and estimated time left. */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final long began = System.nanoTime();
        private int done;

        Progress(PrintWriter err, int total) {
            this.err = err;
            this.total = total;
        }

        void note(String text) {
            err.println("  " + text);
            err.flush();
        }

        void starting(String label) {
            double elapsed = (System.nanoTime() - began) / 1e9;
            err.printf(Locale.ROOT, "[%d/%d] %s ... (%s)%n", done + 1, total, label, progress(elapsed, done, total));
            err.flush();
        }

        void finished(ScenarioResult result) {
            done++;
            if (result.unavailable()) {
                err.println("  " + result.error());
            } else if (!result.ok()) {
                err.println("  failed: " + result.error());
            }
            err.flush();
        }
    }

    /** "12 s elapsed, about 30 s left": the time left estimated from the scenarios done so far. */
    static String progress(double elapsedSeconds, int done, int total) {
        if (done == 0) {
            return String.format(Locale.ROOT, "%.0f s elapsed", elapsedSeconds);
        }
        double left = elapsedSeconds / done * (total - done);
        return String.format(Locale.ROOT, "%.0f s elapsed, about %.0f s left", elapsedSeconds, left);
    }
}
