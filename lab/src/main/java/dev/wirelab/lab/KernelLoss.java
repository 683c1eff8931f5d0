package dev.wirelab.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Real-kernel loss for {@code compare}: a scenario of a kernel profile runs in a child JVM inside an
 * unprivileged user and network namespace ({@code unshare -rn}) whose loopback drops a share of the
 * packets with an nft {@code numgen} rule (the kernel has no netem). The input hook sees both
 * directions of loopback, so data, ACKs and SYNs are all dropped, and TCP really retransmits.
 *
 * <p>The child is {@code wirelab compare --internal-scenario LABEL} with the same settings; it
 * prints its {@link ScenarioResult} as one JSON line ({@link #resultLine}) that the parent reads
 * back ({@link #parseResultLine}).
 */
final class KernelLoss {

    /** Marks the child's result line on its stdout. */
    static final String RESULT_MARK = "wirelabScenarioResult";

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
     * Runs the scenario in a child JVM inside a lossy namespace; an unavailable kernel gives a
     * "not available" result, a child that fails a failed one. Never throws.
     */
    static ScenarioResult run(Scenario scenario, CompareSettings settings) {
        Availability a = availability();
        if (!a.available()) {
            return ScenarioResult.unavailable(scenario, a.reason());
        }
        Path rules = null;
        try {
            rules = Files.createTempFile("wirelab-kernel-loss", ".nft");
            Files.writeString(rules, rules(scenario.profile().kernelDropPercent()), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("unshare", "-rn", "sh", "-c", NAMESPACE_SCRIPT,
                    rules.toString()));
            command.addAll(childCommand(scenario, settings));
            long limit = 30 + (settings.warmup().toMillis() + settings.measure().toMillis()
                    + 6 * settings.drain().toMillis()) / 1000;
            Run child = exec(command, limit);
            if (child.exit != 0) {
                return ScenarioResult.failed(scenario, "child exited " + child.exit + ": " + lastLines(child.output));
            }
            for (String line : child.stdout.lines().toList().reversed()) {
                if (line.contains(RESULT_MARK)) {
                    return parseResultLine(scenario, line);
                }
            }
            return ScenarioResult.failed(scenario, "child printed no result: " + lastLines(child.output));
        } catch (IOException | RuntimeException e) {
            return ScenarioResult.failed(scenario, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScenarioResult.failed(scenario, "interrupted");
        } finally {
            if (rules != null) {
                try {
                    Files.deleteIfExists(rules);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** This JVM's java binary and classpath running {@code compare --internal-scenario} with the same settings. */
    static List<String> childCommand(Scenario scenario, CompareSettings settings) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Wirelab.class.getName(), "compare", "--internal-scenario", scenario.label(),
                "--rate", Integer.toString(settings.rate()), "--size", Integer.toString(settings.size()),
                "--warmup", seconds(settings.warmup().toNanos()), "--duration", seconds(settings.measure().toNanos()),
                "--drain", seconds(settings.drain().toNanos()), "--seed", Long.toString(settings.seed()));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** The result as one line of JSON (histograms in HdrHistogram's compressed base64). */
    static String resultLine(ScenarioResult r) {
        return "{\"" + RESULT_MARK + "\": 1, \"label\": " + CompareJson.quote(r.scenario().label())
                + ", \"sent\": " + r.sent() + ", \"delivered\": " + r.delivered() + ", \"lost\": " + r.lost()
                + ", \"duplicated\": " + r.duplicated() + ", \"reordered\": " + r.reordered()
                + ", \"senderBytesOut\": " + r.senderBytesOut() + ", \"senderFramesOut\": " + r.senderFramesOut()
                + ", \"totalPosts\": " + r.totalPosts()
                + ", \"corrected\": " + CompareJson.quote(CompareReport.encode(r.corrected()))
                + ", \"uncorrected\": " + CompareJson.quote(CompareReport.encode(r.uncorrected()))
                + ", \"error\": " + CompareJson.quote(r.error()) + "}";
    }

    private static final Pattern FIELD = Pattern.compile(
            "\"(\\w+)\"\\s*:\\s*(-?\\d+|\"((?:[^\"\\\\]|\\\\.)*)\")\\s*[,}]");

    /**
     * Reads back a {@link #resultLine} for {@code scenario}.
     *
     * @throws IllegalArgumentException when the line is not one
     */
    static ScenarioResult parseResultLine(Scenario scenario, String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            fields.put(m.group(1), m.group(3) != null ? unquote(m.group(3)) : m.group(2));
        }
        if (!fields.containsKey(RESULT_MARK)) {
            throw new IllegalArgumentException("not a scenario result line: " + line);
        }
        if (!scenario.label().equals(fields.get("label"))) {
            throw new IllegalArgumentException("result for '" + fields.get("label") + "', expected '"
                    + scenario.label() + "'");
        }
        return new ScenarioResult(scenario, number(fields, "sent"), number(fields, "delivered"),
                number(fields, "lost"), number(fields, "duplicated"), number(fields, "reordered"),
                decode(fields, "corrected"), decode(fields, "uncorrected"), number(fields, "senderBytesOut"),
                number(fields, "senderFramesOut"), number(fields, "totalPosts"), fields.getOrDefault("error", ""));
    }

    private static long number(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("result line lacks " + name);
        }
        return Long.parseLong(value);
    }

    private static Histogram decode(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("result line lacks " + name);
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(value)),
                    SequenceTracker.HIGHEST_NANOS);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("bad histogram in " + name, e);
        }
    }

    private static String unquote(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
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
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return new Run(-2, out.getNow(""), "timed out after " + limitSeconds + " s; " + err.getNow(""));
        }
        String stdout = out.join();
        return new Run(p.exitValue(), stdout, stdout + err.join());
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().name("kernel-loss-drain").start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        });
        return text;
    }
}
