package dev.wirelab.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * {@code reports/<timestamp>/results.json} and {@code report.md}.
 *
 * <p>Progress goes to stderr, one line per scenario; the table and the report's directory to stdout.
 * Exit status 0 when every scenario ran or was not available on this machine (kernel loss without
 * unshare or nft), 1 when one failed (its row says why).
 *
 * <p>Threads: scenarios run one after another on the main thread, each starting and stopping its
 * own server and clients; a kernel-loss scenario runs in a child JVM ({@link KernelLoss}) that the
 * main thread waits for.
 */
@Command(name = "compare",
        header = "Compare transports, delivery modes and codecs under clean and lossy networks.",
        mixinStandardHelpOptions = true,
        versionProvider = Wirelab.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Runs each scenario (transport x codec x profile) with a real chat server and two clients on loopback: "
                    + "one posts at a fixed rate (open loop), the other records one-way latency from each post's "
                    + "intended send time, and what was lost, duplicated or reordered.",
            "Prints a table (latencies in ms) and writes reports/<yyyyMMdd-HHmmss>/results.json and report.md.",
            "Profiles: clean; loss5 (in-process loss=5%% both ways); loss5-jitter (loss=5%%,delay=5ms,jitter=5ms,reorder=1%%); "
                    + "kernel-loss1 and kernel-loss5 (a child JVM in an unprivileged network namespace, unshare -rn, whose "
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

    @Option(names = "--rate", paramLabel = "N", defaultValue = "200",
            description = "Posts per second. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--size", paramLabel = "CHARS", defaultValue = "64",
            description = "Characters per post (48 to 1000). Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "2",
            description = "Measured seconds per scenario. Default: ${DEFAULT-VALUE}.")
    double duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "0.5",
            description = "Warm-up seconds per scenario, not measured. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "0.5",
            description = "Seconds to wait for stragglers after the last post (reliable links up to 5x, "
                    + "stopping once all arrived). Default: ${DEFAULT-VALUE}.")
    double drain;

    @Option(names = "--quick", description = "A short run: 0.5 s measured, 0.2 s warm-up, 0.5 s drain per scenario.")
    boolean quick;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds the impairments (client side N, server side N+1). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports",
            description = "Where the timestamped report directory goes. Default: ${DEFAULT-VALUE}.")
    Path out;

    /**
     * Internal: runs just this scenario (a label such as {@code tcp json kernel-loss5}) in this
     * process, without impairing it in-process, and prints its result as one JSON line; the parent
     * {@code compare} starts it so inside a lossy network namespace (see {@link KernelLoss}).
     */
    @Option(names = "--internal-scenario", paramLabel = "LABEL", hidden = true)
    String internalScenario;

    /** Held so the level set on it stays (java.util.logging keeps loggers weakly). */
    private static final Logger CHAT_LOG = Logger.getLogger("dev.wirelab");

    private final Io io;
    private final List<String> args = new ArrayList<>();

    CompareCommand(Io io) {
        this.io = io;
    }

    /** The settings the options ask for. */
    CompareSettings settings() {
        try {
            return quick ? new CompareSettings(rate, size, Duration.ofMillis(200), Duration.ofMillis(500),
                    Duration.ofMillis(500), seed)
                    : new CompareSettings(rate, size, seconds(warmup), seconds(duration), seconds(drain), seed);
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
        Scenario scenario;
        try {
            scenario = parseLabel(internalScenario);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (io.ownsProcess() && !CHAT_LOG.isLoggable(Level.FINE)) {
            CHAT_LOG.setLevel(Level.WARNING);
        }
        ScenarioResult result = new ScenarioRunner(settings).run(scenario);
        io.out().println(KernelLoss.resultLine(result));
        io.out().flush();
        return 0;
    }

    @Override
    public Integer call() throws IOException {
        if (internalScenario != null) {
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
            // Sixty servers and clients starting and stopping would bury the progress lines.
            CHAT_LOG.setLevel(Level.WARNING);
        }
        ScenarioRunner runner = new ScenarioRunner(settings);
        List<ScenarioResult> results = new ArrayList<>();
        // The JIT would otherwise bill its own warm-up to whichever scenario runs first: one run, not recorded.
        if (!matrix.isEmpty() && !matrix.get(0).profile().kernel()) {
            runner.run(matrix.get(0));
        }
        long began = System.nanoTime();
        for (int i = 0; i < matrix.size(); i++) {
            Scenario scenario = matrix.get(i);
            double elapsed = (System.nanoTime() - began) / 1e9;
            io.err().printf(Locale.ROOT, "[%d/%d] %s ... (%s)%n", i + 1, matrix.size(), scenario.label(),
                    progress(elapsed, i, matrix.size()));
            io.err().flush();
            ScenarioResult result = scenario.profile().kernel() ? KernelLoss.run(scenario, settings)
                    : runner.run(scenario);
            if (result.unavailable()) {
                io.err().println("  " + result.error());
            } else if (!result.ok()) {
                io.err().println("  failed: " + result.error());
            }
            results.add(result);
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        String when = now.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "Z";
        Path dir = out.resolve(now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), CompareReport.json(results, settings, when, args),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.md"), CompareReport.markdown(results, settings, when),
                StandardCharsets.UTF_8);
        io.out().print(CompareReport.table(results));
        io.out().println();
        for (String finding : CompareReport.findings(results)) {
            io.out().println(finding);
        }
        io.out().println();
        io.out().println("(" + CompareReport.CLOCK_NOTE + ")");
        io.out().println("report written to " + dir);
        io.out().flush();
        return results.stream().allMatch(r -> r.ok() || r.unavailable()) ? 0 : 1;
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
