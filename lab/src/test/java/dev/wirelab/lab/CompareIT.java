package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wirelab compare} end to end, in this JVM, on a small seeded matrix with in-process
 * impairments (run once for the class), then what the lab exists to show, and the report files:
 * {@code results.json} against its schema, the charts as real images, and {@code wirelab report}
 * giving the same tables again from the JSON.
 *
 * <p>Bounds are wide: the impairments are seeded, but which post meets which drop still depends
 * on timing on a loaded machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class CompareIT {

    private static final List<String> LABELS = List.of(
            "tcp json clean", "tcp json loss5", "tcp json loss5-jitter",
            "tcp protobuf clean", "tcp protobuf loss5", "tcp protobuf loss5-jitter",
            "udp-unreliable json clean", "udp-unreliable json loss5", "udp-unreliable json loss5-jitter",
            "udp-unreliable protobuf clean", "udp-unreliable protobuf loss5", "udp-unreliable protobuf loss5-jitter",
            "udp-sequenced json clean", "udp-sequenced json loss5", "udp-sequenced json loss5-jitter",
            "udp-sequenced protobuf clean", "udp-sequenced protobuf loss5", "udp-sequenced protobuf loss5-jitter",
            "udp-reliable-ordered json clean", "udp-reliable-ordered json loss5",
            "udp-reliable-ordered json loss5-jitter", "udp-reliable-ordered protobuf clean",
            "udp-reliable-ordered protobuf loss5", "udp-reliable-ordered protobuf loss5-jitter");

    @TempDir
    static Path reports;

    private final CapturedLines out = new CapturedLines();
    private final CapturedLines err = new CapturedLines();
    private Path dir;
    private Map<String, Map<String, Object>> byLabel;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void runTheMatrixOnce() throws IOException {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.writer(), err.writer(), false, false);
        int status = Wirelab.run(io, "compare", "--transports", "tcp,udp-unreliable,udp-sequenced,udp-reliable-ordered",
                "--codecs", "json,protobuf", "--profiles", "clean,loss5,loss5-jitter", "--rate", "500",
                "--duration", "0.6", "--warmup", "0.1", "--drain", "0.3", "--clients", "3", "--seed", "7",
                "--out", reports.toString());
        assertThat(status).as("exit status; stderr:%n%s", err.text()).isZero();
        try (Stream<Path> dirs = Files.list(reports)) {
            dir = dirs.findFirst().orElseThrow();
        }
        Map<String, Object> results = (Map<String, Object>) read(Files.readString(dir.resolve("results.json")));
        byLabel = new LinkedHashMap<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) results.get("scenarios")) {
            byLabel.put((String) s.get("label"), s);
        }
    }

    @Test
    void printsProgressAndTheTableAndRunsEveryScenarioInOrder() {
        assertThat(err.text()).contains("[1/24] tcp json clean").contains("[24/24] udp-reliable-ordered protobuf "
                + "loss5-jitter").contains("left");
        for (String label : LABELS) {
            assertThat(out.text()).containsPattern("(?m)^" + label + " +[0-9.]+ ");
        }
        assertThat(byLabel.keySet()).containsExactlyElementsOf(LABELS);
        byLabel.forEach((label, s) -> {
            assertThat(s.get("error")).as(label).isEqualTo("");
            assertThat(s.get("receivers")).as(label).isEqualTo(2L);
            assertThat((Long) s.get("posts")).as(label).isEqualTo(300L);
            assertThat(s.get("due")).as(label).isEqualTo(600L);
        });
    }

    @Test
    void tcpAndReliableOrderedUdpLoseNothingAndNeverReorder() {
        for (String label : LABELS) {
            if (label.startsWith("tcp ") || label.startsWith("udp-reliable-ordered ")) {
                Map<String, Object> s = byLabel.get(label);
                assertThat(s.get("lost")).as(label).isEqualTo(0L);
                assertThat(s.get("delivered")).as(label).isEqualTo(s.get("due"));
                assertThat(s.get("reordered")).as(label).isEqualTo(0L);
                assertThat(s.get("duplicated")).as(label).isEqualTo(0L);
            }
        }
        assertThat((Long) byLabel.get("udp-reliable-ordered json loss5").get("retransmits"))
                .as("the engine repaired the loss").isPositive();
        assertThat(byLabel.get("tcp json loss5").get("retransmits")).as("not visible in-process").isEqualTo(-1L);
    }

    @Test
    void unreliableUdpUnderFivePercentLossLosesAShareNearTwoHopsOfFivePercent() {
        for (String codec : List.of("json", "protobuf")) {
            Map<String, Object> s = byLabel.get("udp-unreliable " + codec + " loss5");
            double lostPercent = 100.0 * (Long) s.get("lost") / (Long) s.get("due");
            // Two hops at 5%: 1 - 0.95^2 = 9.75% expected; 600 deliveries due.
            assertThat(lostPercent).as("udp-unreliable %s loss5", codec).isBetween(4.0, 17.0);
            assertThat(byLabel.get("udp-unreliable " + codec + " clean").get("lost")).isEqualTo(0L);
        }
    }

    @Test
    void sequencedNeverDeliversAStalePost() {
        for (String label : LABELS) {
            if (label.startsWith("udp-sequenced ")) {
                assertThat(byLabel.get(label).get("reordered")).as(label).isEqualTo(0L);
            }
        }
        assertThat((Long) byLabel.get("udp-sequenced json loss5").get("lost")).as("sequenced is not reliable")
                .isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void protobufPutsFewerBytesOnTheWireThanJsonForTheSamePosts() {
        for (String transport : List.of("tcp", "udp-unreliable", "udp-sequenced", "udp-reliable-ordered")) {
            Map<String, Object> json = (Map<String, Object>) byLabel.get(transport + " json clean").get("wire");
            Map<String, Object> protobuf = (Map<String, Object>) byLabel.get(transport + " protobuf clean").get("wire");
            assertThat(((Number) protobuf.get("bytesPerPost")).doubleValue()).as(transport)
                    .isLessThan(((Number) json.get("bytesPerPost")).doubleValue());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyScenarioCarriesItsHistogramsJitterGoodputAndCpu() throws DataFormatException {
        for (Map.Entry<String, Map<String, Object>> e : byLabel.entrySet()) {
            Map<String, Object> s = e.getValue();
            byte[] encoded = Base64.getDecoder().decode((String) s.get("correctedHistogram"));
            Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0);
            assertThat(histogram.getTotalCount()).as(e.getKey()).isEqualTo(s.get("delivered"));
            assertThat(((Number) s.get("goodputBytesPerSecond")).doubleValue()).as(e.getKey()).isPositive();
            assertThat((Long) s.get("cpuNanos")).as(e.getKey()).isPositive();
            assertThat((Long) s.get("jitterNanos")).as(e.getKey()).isNotNegative();
            Map<String, Object> corrected = (Map<String, Object>) s.get("correctedMillis");
            assertThat(((Number) corrected.get("p99")).doubleValue()).as(e.getKey())
                    .isLessThanOrEqualTo(((Number) corrected.get("max")).doubleValue());
        }
        long jitterClean = (Long) byLabel.get("udp-reliable-ordered json clean").get("jitterNanos");
        long jitterJittery = (Long) byLabel.get("udp-reliable-ordered json loss5-jitter").get("jitterNanos");
        assertThat(jitterJittery).as("5 ms of jitter on each hop shows in RFC 3550 jitter").isGreaterThan(jitterClean)
                .isGreaterThan(1_000_000L);
    }

    @Test
    void resultsJsonValidatesAgainstItsSchema() throws IOException {
        Path schemaFile = repositoryRoot().resolve("docs/reports/results.schema.json");
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(schemaFile), InputFormat.JSON);
        String json = Files.readString(dir.resolve("results.json"));

        List<Error> errors = schema.validate(json, InputFormat.JSON);

        assertThat(errors).isEmpty();
        // The schema is not vacuous: a results file without its scenarios' figures fails it.
        String broken = json.replaceFirst("\"jitterNanos\" : \\d+,", "");
        assertThat(schema.validate(broken, InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void theHtmlReportShowsEveryChartAsARealImage() throws IOException {
        String html = Files.readString(dir.resolve("report.html"));
        List<String> images = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            images.add(m.group(1));
        }
        assertThat(images).contains("charts/p99-by-profile.png", "charts/latency-clean.png",
                "charts/latency-loss5.png", "charts/latency-loss5-jitter.png", "charts/delivery-loss5.png",
                "charts/bytes-per-post.png");
        for (String image : images) {
            Path file = dir.resolve(image);
            assertThat(file).as(image).exists();
            assertThat(Files.size(file)).as(image).isGreaterThan(1000);
            BufferedImage decoded = ImageIO.read(file.toFile());
            assertThat(decoded).as(image + " decodes as an image").isNotNull();
            assertThat(decoded.getWidth()).isGreaterThan(100);
        }
        assertThat(html).contains("<table>").contains("tcp json loss5").contains("What this shows");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("](charts/latency-loss5.png)");
    }

    @Test
    void reportRendersTheSameTablesAgainFromResultsJson() throws IOException {
        Path again = reports.resolve("again");
        CapturedLines o = new CapturedLines();
        CapturedLines e = new CapturedLines();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), o.writer(), e.writer(), false, false);

        int status = Wirelab.run(io, "report", dir.resolve("results.json").toString(), "--out", again.toString());

        assertThat(status).as(e.text()).isZero();
        assertThat(Files.readString(again.resolve("report.md"))).isEqualTo(Files.readString(dir.resolve("report.md")));
        assertThat(Files.readString(again.resolve("report.html")))
                .isEqualTo(Files.readString(dir.resolve("report.html")));
        assertThat(again.resolve("charts/latency-loss5.png")).exists();
    }

    @Test
    void reportPutsTwoRunsSideBySideAndFoldsInJmhAndPeerFigures() throws IOException {
        Path jmh = reports.resolve("jmh.json");
        Files.writeString(jmh, """
                [ {"jmhVersion": "1.37", "benchmark": "dev.wirelab.benchmarks.CodecBenchmark.encode", "mode": "avgt",
                   "threads": 1, "forks": 1, "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "25",
                   "params": {"codec": "json", "size": "small"},
                   "primaryMetric": {"score": 412.5, "scoreError": 3.1, "scoreUnit": "ns/op"},
                   "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 560.0, "scoreUnit": "B/op"}}},
                  {"jmhVersion": "1.37", "benchmark": "dev.wirelab.benchmarks.CodecBenchmark.encode", "mode": "avgt",
                   "threads": 1, "forks": 1, "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "25",
                   "params": {"codec": "protobuf", "size": "small"},
                   "primaryMetric": {"score": 120.25, "scoreError": 1.5, "scoreUnit": "ns/op"},
                   "secondaryMetrics": {}} ]
                """, StandardCharsets.UTF_8);
        Path peers = reports.resolve("peers.json");
        Files.writeString(peers, "{\"sockperf\": {\"tcp\": {\"p50_us\": 11.5}}}", StandardCharsets.UTF_8);
        Path side = reports.resolve("side");
        CapturedLines o = new CapturedLines();
        CapturedLines e = new CapturedLines();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), o.writer(), e.writer(), false, false);
        String results = dir.resolve("results.json").toString();

        int status = Wirelab.run(io, "report", results, results, jmh.toString(), peers.toString(),
                "--out", side.toString());

        assertThat(status).as(e.text()).isZero();
        String md = Files.readString(side.resolve("report.md"));
        assertThat(md).contains("2 runs side by side").contains("p99 B/A")
                .containsPattern("\\|tcp json loss5\\|[0-9.]+\\|[0-9.]+\\|1\\.00\\|")
                .contains("JMH: CodecBenchmark (avgt)").contains("|encode|codec=json size=small|412.5|± 3.100|ns/op|")
                .contains("560 B/op").contains("sockperf.tcp.p50_us|11.5");
        assertThat(side.resolve("charts/jmh-1.png")).exists();
    }

    @Test
    void reportRefusesWhatItCannotReadWithAClearError() throws IOException {
        Path notJson = reports.resolve("notes.txt");
        Files.writeString(notJson, "p99 was fine", StandardCharsets.UTF_8);
        CapturedLines o = new CapturedLines();
        CapturedLines e = new CapturedLines();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), o.writer(), e.writer(), false, false);

        assertThat(Wirelab.run(io, "report", notJson.toString(), "--out", reports.resolve("x").toString())).isEqualTo(2);
        assertThat(Wirelab.run(io, "report", reports.resolve("missing.json").toString(), "--out",
                reports.resolve("y").toString())).isEqualTo(2);

        assertThat(e.text()).contains("notes.txt: not JSON").contains("cannot read").contains("missing.json");
        assertThat(reports.resolve("x")).doesNotExist();
    }

    /** The checkout's root: the test runs in the lab module's directory. */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docs/reports/results.schema.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/reports/results.schema.json above " + here);
    }

    /** Any JSON value as maps, lists, strings, longs, doubles, booleans and nulls. */
    static Object read(String json) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            Object value = value(parser);
            assertThat(parser.nextToken()).as("nothing after the value").isNull();
            return value;
        }
    }

    private static Object value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, value(parser));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + parser.currentToken());
        };
    }
}
