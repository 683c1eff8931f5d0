package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wirelab compare} end to end, in this JVM, on a small quick matrix. {@code results.json} is
 * read back with jackson-core, which codec-json brings onto the classpath.
 */
@Timeout(120)
class CompareIT {

    private final CapturedLines out = new CapturedLines();
    private final CapturedLines err = new CapturedLines();
    private final Io io = new Io(new ByteArrayInputStream(new byte[0]), out.writer(), err.writer(), false, false);

    @TempDir
    Path reports;

    @Test
    @SuppressWarnings("unchecked")
    void quickMatrixPrintsTheTableAndWritesAReportThatParses() throws IOException, DataFormatException {
        int status = Wirelab.run(io, "compare", "--quick", "--transports", "tcp,udp-reliable-ordered",
                "--codecs", "json", "--profiles", "clean,loss5", "--seed", "7", "--out", reports.toString());

        assertThat(status).as("exit status; stderr:%n%s", err.text()).isZero();
        String[] labels = {"tcp json clean", "tcp json loss5", "udp-reliable-ordered json clean",
            "udp-reliable-ordered json loss5"};
        assertThat(err.text()).contains("[1/4] tcp json clean").contains("[4/4] udp-reliable-ordered json loss5");
        for (String label : labels) {
            assertThat(out.text()).containsPattern("(?m)^" + label + " +[0-9.]+ ");
        }

        Path dir;
        try (Stream<Path> dirs = Files.list(reports)) {
            dir = dirs.findFirst().orElseThrow();
        }
        assertThat(dir.getFileName().toString()).matches("\\d{8}-\\d{6}");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("tcp json loss5").contains("What this shows");

        Map<String, Object> results = (Map<String, Object>) read(Files.readString(dir.resolve("results.json")));
        assertThat(((Map<String, Object>) results.get("machine")).get("cores")).isInstanceOf(Long.class);
        assertThat(((Map<String, Object>) results.get("config")).get("seed")).isEqualTo(7L);
        List<Map<String, Object>> scenarios = (List<Map<String, Object>>) results.get("scenarios");
        assertThat(scenarios).extracting(s -> s.get("label")).containsExactly((Object[]) labels);
        for (Map<String, Object> scenario : scenarios) {
            String label = (String) scenario.get("label");
            assertThat(scenario.get("error")).as(label).isEqualTo("");
            assertThat(scenario.get("lost")).as("%s: reliable, so nothing lost", label).isEqualTo(0L);
            assertThat((Long) scenario.get("delivered")).as(label).isPositive().isEqualTo(scenario.get("sent"));
            byte[] encoded = Base64.getDecoder().decode((String) scenario.get("correctedHistogram"));
            Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0);
            assertThat(histogram.getTotalCount()).as(label).isEqualTo(scenario.get("delivered"));
        }
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
