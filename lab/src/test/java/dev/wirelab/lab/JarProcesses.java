package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.testkit.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the shaded {@code wirelab.jar} as real processes, as people run it, and stops them all at
 * the end of a test. Output goes to files read whole on every look: reading a process's pipe can
 * lose the last lines to "Stream closed" when the process exits meanwhile.
 */
final class JarProcesses {

    private final List<Running> started = new ArrayList<>();

    /** Starts {@code java -jar target/wirelab.jar args...}. */
    Running start(String... args) throws IOException {
        Path base = Path.of(System.getProperty("basedir", "."));
        Path jar = base.resolve("target").resolve("wirelab.jar");
        assertThat(jar).as("the shaded jar (built in the package phase)").isRegularFile();
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path dir = Files.createDirectories(base.resolve("target").resolve("it-processes"));
        String prefix = args.length == 0 ? "wirelab" : args[0].replace("-", "");
        Path out = Files.createTempFile(dir, prefix, ".out");
        Path err = Files.createTempFile(dir, prefix, ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Running running = new Running(process, new Output(out), new Output(err));
        started.add(running);
        return running;
    }

    /** Kills whatever is still running; for {@code @AfterEach}. */
    void stopAll() throws InterruptedException {
        for (Running running : started) {
            running.process.destroyForcibly();
            running.process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A process whose stdout and stderr go to files. */
    static final class Running {
        final Process process;
        final Output out;
        final Output err;

        Running(Process process, Output out, Output err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        void type(String... lines) throws IOException {
            type(List.of(lines));
        }

        void type(List<String> lines) throws IOException {
            OutputStream in = process.getOutputStream();
            for (String line : lines) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.flush();
        }

        /** The end of the process's stdin. */
        void endInput() throws IOException {
            process.getOutputStream().close();
        }

        /** Waits for a line on stdout that {@code pattern} matches whole, and returns its match. */
        Matcher awaitLine(String description, Pattern pattern, Duration timeout) {
            Matcher[] found = new Matcher[1];
            Await.until(description + " (stdout so far: " + out.file() + ")", () -> {
                Optional<Matcher> match = out.lines().stream().map(pattern::matcher).filter(Matcher::matches).findFirst();
                match.ifPresent(m -> found[0] = m);
                return match.isPresent();
            }, timeout);
            return found[0];
        }

        /** Waits for the process to end and returns its exit status. */
        int awaitExit(Duration timeout) throws InterruptedException {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                    .as("%s exited; stdout %s; stderr %s", process.info().commandLine().orElse("process"), out, err)
                    .isTrue();
            return process.exitValue();
        }
    }

    /** The complete lines a process has written to a file so far. */
    record Output(Path file) {
        List<String> lines() {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean has(String line) {
            return lines().contains(line);
        }

        @Override
        public String toString() {
            return String.join("\n", lines());
        }
    }
}
