package dev.wirelab.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The smoke pass CI runs in {@code verify}: every benchmark family through the shaded jar, as people
 * run it ({@code java -jar benchmarks.jar}), with one fork, one short warmup and one short measurement
 * iteration, and a small subset of the parameters. It fails if the jar lists no benchmarks, if JMH
 * reports an error ({@code -foe true}), or if a family's JSON results miss a benchmark or hold a score
 * that is not a positive number. The figures mean nothing; the full run is for people.
 */
class BenchmarksSmokeIT {

    private static final Path JAR = Path.of("target", "benchmarks.jar");
    private static final Path OUT = Path.of("target", "smoke");
    private static final Set<String> EVERY_BENCHMARK = Set.of(
            "CodecBenchmark.encode", "CodecBenchmark.decode", "FramingBenchmark.decode",
            "RoundTripBenchmark.roundTrip", "ThroughputBenchmark.send", "FanOutBenchmark.latency",
            "FanOutBenchmark.deliveries", "EngineBenchmark.deliver");

    static Stream<Arguments> families() {
        return Stream.of(
                Arguments.of("CodecBenchmark", List.of("-p", "message=reply", "-p", "size=small"), 8),
                Arguments.of("FramingBenchmark", List.of("-p", "frameBytes=64", "-p", "readBytes=1460"), 2),
                Arguments.of("RoundTripBenchmark", List.of("-p", "codec=protobuf", "-p", "bytes=64"), 5),
                Arguments.of("ThroughputBenchmark", List.of("-p", "bytes=64"), 2),
                Arguments.of("FanOutBenchmark", List.of("-p", "codec=protobuf", "-p", "receivers=10"), 4),
                Arguments.of("EngineBenchmark", List.of(), 3));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theJarListsEveryBenchmark() throws IOException, InterruptedException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getEntry("META-INF/BenchmarkList")).as("annotation processor output").isNotNull();
        }
        Path log = OUT.resolve("list.log");
        assertThat(run(List.of("-l"), log)).as("exit code, see " + log).isZero();
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("dev.wirelab.benchmarks.")) {
                listed.add(line.substring("dev.wirelab.benchmarks.".length()).strip());
            }
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(EVERY_BENCHMARK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void familyRunsClean(String family, List<String> params, int expectedResults) throws IOException, InterruptedException {
        Path results = OUT.resolve(family + ".json");
        Path log = OUT.resolve(family + ".log");
        Files.deleteIfExists(results);
        List<String> args = new ArrayList<>(List.of("^dev\\.wirelab\\.benchmarks\\." + family + "\\.",
                "-f", "1", "-wi", "1", "-w", "100ms", "-i", "1", "-r", "200ms", "-foe", "true",
                "-rf", "json", "-rff", results.toString()));
        args.addAll(params);

        assertThat(run(args, log)).as("JMH exit code, see " + log).isZero();

        JsonNode runs = new ObjectMapper().readTree(results.toFile());
        assertThat(runs.size()).as("results in " + results).isEqualTo(expectedResults);
        Set<String> seen = new TreeSet<>();
        for (JsonNode run : runs) {
            String name = run.get("benchmark").asText().replace("dev.wirelab.benchmarks.", "");
            seen.add(name);
            double score = run.get("primaryMetric").get("score").asDouble(Double.NaN);
            assertThat(score).as(name + " " + run.get("params")).isPositive().isFinite();
        }
        assertThat(EVERY_BENCHMARK).containsAll(seen);
        assertThat(seen).allMatch(name -> name.startsWith(family + "."));
    }

    /** Runs the jar with this JVM's java, output to {@code log}; returns the exit code. */
    private static int run(List<String> args, Path log) throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(140, TimeUnit.SECONDS)) {
                throw new AssertionError("JMH did not finish within 140 s: " + command + ", see " + log);
            }
            return process.exitValue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
