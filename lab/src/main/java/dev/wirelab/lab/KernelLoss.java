package dev.wirelab.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Real-kernel loss for {@code compare}: the scenarios of a kernel profile run in one child JVM inside an
 * unprivileged user and network namespace ({@code unshare -rn}) whose loopback drops a share of the
 * packets with an nft {@code numgen} rule (the kernel has no netem). The input hook sees both
 * directions of loopback, so data, ACKs and SYNs are all dropped, and TCP really retransmits.
 *
 * <p>The child is {@code wirelab compare --internal-scenario LABEL...} with the same settings; it
 * prints each {@link ScenarioResult} as one line ({@link #resultLine}: a mark and the scenario's
 * {@code results.json} object) that the parent reads back as it comes. Inside the namespace the
 * kernel's TCP counters ({@code /proc/net/snmp}) are the run's own, so the child reports TCP's real
 * retransmissions.
 */
final class KernelLoss {

    /** Marks the child's result line on its stdout. */
    static final String RESULT_MARK = "wirelabScenarioResult";
    /** Marks the line a child prints as it starts a scenario: the mark, a space, the label. */
    static final String START_MARK = "wirelabScenarioStarting";

    /** {@code sh -c} script run inside the namespace: {@code $0} is the rules file, the rest the command. */
    static final String NAMESPACE_SCRIPT =
            "PATH=\"$PATH:/usr/sbin:/sbin\"; ip link set lo up && nft -f \"$0\" && exec \"$@\"";

    private static final String PROBE_SCRIPT = "PATH=\"$PATH:/usr/sbin:/sbin\"; ip link set lo up && nft list ruleset";

    private static volatile Availability probed;

    private KernelLoss() {
    }

    /** Whether the kernel profiles can run here, and if not why. */
    record Availability(boolean available, String reason) {
    }

    /** The nft ruleset that drops {@code percent}% of the packets loopback receives. */
    static String rules(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("drop share must be 0 to 100%: " + percent);
        }
        return "table inet wirelab {\n"
                + "  chain input {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    numgen random mod 100 < " + percent + " drop\n"
                + "  }\n"
                + "}\n";
    }

    /** Probes once per JVM ({@code unshare -rn}, then {@code ip} and {@code nft} inside it). */
    static Availability availability() {
        Availability a = probed;
        if (a == null) {
            synchronized (KernelLoss.class) {
                a = probed;
                if (a == null) {
                    a = probe();
                    probed = a;
                }
            }
        }
        return a;
    }

    private static Availability probe() {
        try {
            Run bare = exec(List.of("unshare", "-rn", "true"), 10);
            if (bare.exit != 0) {
                return interpret(bare.exit, bare.output, false);
            }
            Run nft = exec(List.of("unshare", "-rn", "sh", "-c", PROBE_SCRIPT), 10);
            return interpret(nft.exit, nft.output, true);
        } catch (IOException e) {
            return interpret(-1, String.valueOf(e.getMessage()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Availability(false, "interrupted while probing unshare");
        }
    }

    /**
     * Reads a probe's outcome: {@code exit} -1 means the command could not be started at all;
     * {@code withNft} says whether the probe ran {@code ip} and {@code nft} inside the namespace.
     */
    static Availability interpret(int exit, String output, boolean withNft) {
        if (exit == 0) {
            return new Availability(true, "");
        }
        String text = output == null ? "" : output.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (exit == -1) {
            return new Availability(false, lower.contains("no such file") || lower.contains("error=2")
                    ? "unshare not found" : "unshare could not start: " + firstLine(text));
        }
        if (!withNft) {
            if (lower.contains("operation not permitted") || lower.contains("permission denied")) {
                return new Availability(false, "unprivileged namespaces not permitted (unshare -rn: "
                        + firstLine(text) + ")");
            }
            return new Availability(false, "unshare -rn failed (exit " + exit + "): " + firstLine(text));
        }
        if (exit == 127 || lower.contains("not found")) {
            if (lower.contains("nft")) {
                return new Availability(false, "nft not installed (apt-get install nftables)");
            }
            if (lower.contains("ip")) {
                return new Availability(false, "ip not installed (apt-get install iproute2)");
            }
            return new Availability(false, "command not found: " + firstLine(text));
        }
        return new Availability(false, "nft in a namespace failed (exit " + exit + "): " + firstLine(text));
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("").strip();
        return line.isEmpty() ? "no message" : line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /**
     * Runs scenarios of one kernel profile in one child JVM inside a namespace that drops that
     * profile's share of packets, telling {@code starting} each label as the child begins it and
     * handing each result to {@code done} as the child prints it; an
     * unavailable kernel gives "not available" results, a child that fails failed ones for every
     * scenario it did not finish. Never throws.
     *
     * @throws IllegalArgumentException when the scenarios are not all of one kernel profile
     */
    static void run(List<Scenario> scenarios, CompareSettings settings, Consumer<String> starting,
                    Consumer<ScenarioResult> done) {
        if (scenarios.isEmpty()) {
            return;
        }
        ScenarioProfile profile = scenarios.get(0).profile();
        if (!profile.kernel() || scenarios.stream().anyMatch(s -> s.profile() != profile)) {
            throw new IllegalArgumentException("one kernel profile per child: " + scenarios);
        }
        Availability a = availability();
        if (!a.available()) {
            for (Scenario s : scenarios) {
                starting.accept(s.label());
                done.accept(ScenarioResult.unavailable(s, a.reason()));
            }
            return;
        }
        Map<String, Scenario> pending = new java.util.concurrent.ConcurrentHashMap<>(); // the reader thread removes
        java.util.Set<String> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
        scenarios.forEach(s -> pending.put(s.label(), s));
        Path rules = null;
        String failure;
        try {
            rules = Files.createTempFile("wirelab-kernel-loss", ".nft");
            Files.writeString(rules, rules(profile.kernelDropPercent()), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("unshare", "-rn", "sh", "-c", NAMESPACE_SCRIPT,
                    rules.toString()));
            command.addAll(childCommand(scenarios, settings));
            long perScenario = 10 + (settings.warmup().toMillis() + settings.measure().toMillis()
                    + 6 * settings.drain().toMillis()) / 1000;
            Run child = exec(command, 20 + perScenario * scenarios.size(), line -> {
                if (line.startsWith(START_MARK + " ")) {
                    String label = line.substring(START_MARK.length() + 1);
                    if (started.add(label)) {
                        starting.accept(label);
                    }
                    return;
                }
                int mark = line.indexOf(RESULT_MARK + " ");
                if (mark >= 0) {
                    ScenarioResult result = ResultsJson.scenario(
                            ResultsJson.parse(line.substring(mark + RESULT_MARK.length() + 1)));
                    if (pending.remove(result.scenario().label()) != null) {
                        done.accept(result);
                    }
                }
            });
            failure = child.exit == 0 ? "child printed no result: " + lastLines(child.output)
                    : "child exited " + child.exit + ": " + lastLines(child.output);
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } finally {
            if (rules != null) {
                try {
                    Files.deleteIfExists(rules);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
        for (Scenario left : pending.values()) {
            if (started.add(left.label())) {
                starting.accept(left.label());
            }
            done.accept(ScenarioResult.failed(left, failure));
        }
    }

    /** This JVM's java binary and classpath running {@code compare --internal-scenario} with the same settings. */
    static List<String> childCommand(List<Scenario> scenarios, CompareSettings settings) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Wirelab.class.getName(), "compare"));
        for (Scenario scenario : scenarios) {
            command.add("--internal-scenario");
            command.add(scenario.label());
        }
        command.addAll(List.of("--rate", Integer.toString(settings.rate()), "--size", Integer.toString(settings.size()),
                "--warmup", seconds(settings.warmup().toNanos()), "--duration", seconds(settings.measure().toNanos()),
                "--drain", seconds(settings.drain().toNanos()), "--seed", Long.toString(settings.seed()),
                "--clients", Integer.toString(settings.receivers() + 1)));
        return command;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** The line a child prints for one result: the mark, a space, the scenario's JSON. */
    static String resultLine(ScenarioResult r) {
        return RESULT_MARK + " " + ResultsJson.line(r);
    }

    /**
     * TCP segments retransmitted, from {@code /proc/net/snmp}: in a network namespace of its own
     * that is this run's traffic alone. -1 when the file cannot be read.
     */
    static long tcpRetransmittedSegments() {
        try {
            return tcpRetransmittedSegments(Files.readString(Path.of("/proc/net/snmp")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code RetransSegs} from the text of {@code /proc/net/snmp} (a header line then a value line per protocol). */
    static long tcpRetransmittedSegments(String snmp) {
        List<String> tcp = snmp.lines().filter(l -> l.startsWith("Tcp:")).toList();
        if (tcp.size() < 2) {
            return -1;
        }
        List<String> names = List.of(tcp.get(0).split("\\s+"));
        String[] values = tcp.get(1).split("\\s+");
        int index = names.indexOf("RetransSegs");
        return index < 0 || index >= values.length ? -1 : Long.parseLong(values[index]);
    }

    private static String lastLines(String output) {
        List<String> lines = output.strip().lines().toList();
        String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return tail.isEmpty() ? "no output" : tail.length() > 300 ? tail.substring(tail.length() - 300) : tail;
    }

    /** A finished process: exit status (-2 when killed after the time limit), stdout, stdout and stderr. */
    private record Run(int exit, String stdout, String output) {
    }

    private static Run exec(List<String> command, long limitSeconds) throws IOException, InterruptedException {
        return exec(command, limitSeconds, line -> { });
    }

    /** Runs the command, handing each line of its stdout to {@code onLine} as it comes. */
    private static Run exec(List<String> command, long limitSeconds, Consumer<String> onLine)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = lines(p.getInputStream(), onLine);
        CompletableFuture<String> err = lines(p.getErrorStream(), line -> { });
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return new Run(-2, out.getNow(""), "timed out after " + limitSeconds + " s; " + err.getNow(""));
        }
        String stdout = out.join();
        return new Run(p.exitValue(), stdout, stdout + err.join());
    }

    /** Reads the stream on a virtual thread, handing each line to {@code onLine}; completes with all of it. */
    private static CompletableFuture<String> lines(InputStream in, Consumer<String> onLine) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().name("kernel-loss-output").start(() -> {
            StringBuilder all = new StringBuilder();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    all.append(line).append('\n');
                    try {
                        onLine.accept(line);
                    } catch (RuntimeException e) {
                        all.append("unreadable result: ").append(e.getMessage()).append('\n');
                    }
                }
            } catch (IOException e) {
                // the child is gone; what it printed so far is all there is
            }
            text.complete(all.toString());
        });
        return text;
    }
}
