package dev.wirelab.lab;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What a report records about where it ran: machine, versions, the git revision of the code. */
final class RunInfo {

    private RunInfo() {
    }

    static Map<String, String> machine() {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu", cpuModel().orElse("unknown"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("arch", System.getProperty("os.arch"));
        machine.put("jvm", Runtime.version().toString());
        machine.put("jvmVendor", System.getProperty("java.vendor"));
        machine.put("maxHeapMiB", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
        return machine;
    }

    /**
     * The kernel's 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or {@code unknown}: a
     * report says how busy the machine was, since other work shows in every latency figure.
     */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).strip().split("\\s+");
            return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** wirelab's version and the libraries whose code is on the measured path. */
    static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("wirelab", Wirelab.version());
        versions.put("java", Runtime.version().toString());
        versions.put("jackson-core", libraryVersion("com.fasterxml.jackson.core.JsonFactory"));
        versions.put("protobuf-java", libraryVersion("com.google.protobuf.Message"));
        versions.put("HdrHistogram", libraryVersion("org.HdrHistogram.Histogram"));
        versions.put("jfreechart", libraryVersion("org.jfree.chart.JFreeChart"));
        return versions;
    }

    /** The jar manifest's version of the library that holds {@code className}, or {@code unknown}. */
    static String libraryVersion(String className) {
        try {
            Package p = Class.forName(className, false, RunInfo.class.getClassLoader()).getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            return v == null ? "unknown" : v;
        } catch (ClassNotFoundException e) {
            return "absent";
        }
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The git revision of the checkout this code was built in ({@code git rev-parse HEAD}, with
     * {@code -dirty} when files differ from it), or {@code unknown} when it did not come from one.
     */
    static String gitRevision() {
        Optional<Path> checkout = checkout();
        if (checkout.isEmpty()) {
            return "unknown";
        }
        String dir = checkout.get().toString();
        Optional<String> head = git(dir, "rev-parse", "HEAD");
        if (head.isEmpty()) {
            return "unknown";
        }
        Optional<String> status = git(dir, "status", "--porcelain", "--untracked-files=no");
        return head.get() + (status.isPresent() && !status.get().isBlank() ? "-dirty" : "");
    }

    /** The nearest directory above this code's jar or classes that holds a {@code .git}. */
    private static Optional<Path> checkout() {
        try {
            Path here = Path.of(RunInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here.toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.exists(p.resolve(".git"))) {
                    return Optional.of(p);
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: not from a checkout
        }
        return Optional.empty();
    }

    private static Optional<String> git(String dir, String... args) {
        try {
            String[] command = new String[args.length + 3];
            command[0] = "git";
            command[1] = "-C";
            command[2] = dir;
            System.arraycopy(args, 0, command, 3, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
