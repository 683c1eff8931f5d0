package dev.wirelab.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * {@code results.json}, written and read back: the run (when, versions, git revision, machine,
 * settings, arguments) and every scenario's figures with its latency histograms. The schema is
 * {@code docs/reports/results.schema.json}, described in {@code docs/compare.md}. The derived
 * figures (percentiles, percentages, bytes per post) are written for readers and tools; reading
 * back uses only the raw counts and histograms, so a re-render computes exactly what the first
 * render did.
 */
final class ResultsJson {

    /** The {@code schema} field: bump the number when a field changes meaning or goes away. */
    static final String SCHEMA = "wirelab-compare/2";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ResultsJson() {
    }

    /**
     * One {@code compare} run.
     *
     * @param when      UTC start of the run, ISO 8601
     * @param revision  the git revision the jar was built from ({@code unknown} outside a checkout;
     *                  {@code -dirty} when the checkout had changes)
     * @param machine   cores, CPU model, OS, JVM
     * @param versions  wirelab and its libraries
     * @param settings  how each scenario ran
     * @param args      the command line as typed
     * @param scenarios every scenario, in the order run
     */
    record Run(String when, String revision, Map<String, String> machine, Map<String, String> versions,
               CompareSettings settings, List<String> args, List<ScenarioResult> scenarios) {

        Run {
            machine = Map.copyOf(machine);
            versions = Map.copyOf(versions);
            args = List.copyOf(args);
            scenarios = List.copyOf(scenarios);
        }
    }

    static String write(Run run) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA).put("when", run.when()).put("gitRevision", run.revision());
        root.set("machine", sorted(run.machine()));
        root.set("versions", sorted(run.versions()));
        CompareSettings s = run.settings();
        ObjectNode config = root.putObject("config");
        config.put("rate", s.rate()).put("size", s.size()).put("clients", s.receivers() + 1)
                .put("receivers", s.receivers()).put("warmupMillis", s.warmup().toMillis())
                .put("measureMillis", s.measure().toMillis()).put("drainMillis", s.drain().toMillis())
                .put("seed", s.seed()).put("clock", CompareReport.CLOCK_NOTE);
        ArrayNode args = root.putArray("args");
        run.args().forEach(args::add);
        ArrayNode scenarios = root.putArray("scenarios");
        run.scenarios().forEach(r -> scenarios.add(scenario(r)));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    /** One scenario as a JSON object (also the line a kernel-loss child prints). */
    static ObjectNode scenario(ScenarioResult r) {
        Scenario s = r.scenario();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("label", s.label()).put("transport", s.link().label()).put("codec", s.codec().label())
                .put("profile", s.profile().label()).put("impairment", s.profile().spec())
                .put("kernelDropPercent", s.profile().kernelDropPercent())
                .put("available", !r.unavailable()).put("error", r.error())
                .put("receivers", r.receivers()).put("posts", r.posts()).put("due", r.due())
                .put("delivered", r.delivered()).put("lost", r.lost()).put("duplicated", r.duplicated())
                .put("reordered", r.reordered());
        number(n, "deliveredPercent", r.deliveredPercent());
        n.put("jitterNanos", r.jitterNanos()).put("measuredNanos", r.measuredNanos()).put("postBytes", r.postBytes());
        number(n, "goodputBytesPerSecond", r.goodputBytesPerSecond());
        ObjectNode wire = n.putObject("wire");
        wire.put("bytes", r.wire().bytes()).put("packets", r.wire().packets())
                .put("headerBytesPerPacket", r.wire().headerBytesPerPacket()).put("totalPosts", r.wire().totalPosts());
        number(wire, "bytesPerPost", r.wire().bytesPerPost());
        number(wire, "payloadBytesPerPost", r.wire().payloadBytesPerPost());
        n.put("retransmits", r.retransmits()).put("cpuNanos", r.cpuNanos());
        number(n, "cpuMicrosPerPost", r.cpuMicrosPerPost());
        percentiles(n.putObject("correctedMillis"), r.corrected());
        percentiles(n.putObject("uncorrectedMillis"), r.uncorrected());
        n.put("correctedHistogram", encode(r.corrected())).put("uncorrectedHistogram", encode(r.uncorrected()));
        return n;
    }

    /**
     * Reads a whole {@code results.json}.
     *
     * @throws IllegalArgumentException saying what is wrong, when it is not one
     */
    static Run read(String json) {
        JsonNode root = parse(json);
        String schema = root.path("schema").asText("");
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("not a wirelab compare results file of schema " + SCHEMA
                    + " (its schema field is '" + schema + "')");
        }
        JsonNode config = need(root, "config");
        CompareSettings settings = new CompareSettings(need(config, "rate").asInt(), need(config, "size").asInt(),
                Duration.ofMillis(need(config, "warmupMillis").asLong()),
                Duration.ofMillis(need(config, "measureMillis").asLong()),
                Duration.ofMillis(need(config, "drainMillis").asLong()), need(config, "seed").asLong(),
                need(config, "receivers").asInt());
        List<String> args = new ArrayList<>();
        root.path("args").forEach(a -> args.add(a.asText()));
        List<ScenarioResult> scenarios = new ArrayList<>();
        for (JsonNode n : need(root, "scenarios")) {
            scenarios.add(scenario(n));
        }
        return new Run(need(root, "when").asText(), root.path("gitRevision").asText("unknown"),
                strings(root.path("machine")), strings(root.path("versions")), settings, args, scenarios);
    }

    /** A scenario object back into a result. */
    static ScenarioResult scenario(JsonNode n) {
        Scenario scenario = CompareCommand.parseLabel(need(n, "label").asText());
        JsonNode wire = need(n, "wire");
        return new ScenarioResult(scenario, need(n, "receivers").asInt(), need(n, "posts").asLong(),
                need(n, "delivered").asLong(), need(n, "lost").asLong(), need(n, "duplicated").asLong(),
                need(n, "reordered").asLong(), decode(need(n, "correctedHistogram").asText()),
                decode(need(n, "uncorrectedHistogram").asText()), need(n, "jitterNanos").asLong(),
                need(n, "measuredNanos").asLong(), need(n, "postBytes").asInt(),
                new ScenarioResult.Wire(need(wire, "bytes").asLong(), need(wire, "packets").asLong(),
                        need(wire, "headerBytesPerPacket").asInt(), need(wire, "totalPosts").asLong()),
                need(n, "retransmits").asLong(), need(n, "cpuNanos").asLong(), need(n, "error").asText());
    }

    /** One scenario on one line, for a child process's stdout. */
    static String line(ScenarioResult r) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(scenario(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    /** Parses any JSON text, with a clear error for what is not JSON. */
    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode need(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static ObjectNode sorted(Map<String, String> map) {
        ObjectNode node = MAPPER.createObjectNode();
        map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> node.put(e.getKey(), e.getValue()));
        return node;
    }

    /** Six significant digits; NaN and infinities (which JSON cannot carry) as null. */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros());
        } else {
            node.putNull(field);
        }
    }

    private static void percentiles(ObjectNode node, Histogram h) {
        boolean any = h.getTotalCount() > 0;
        for (double p : CompareReport.PERCENTILES) {
            number(node, "p" + CompareReport.percentileName(p), any ? h.getValueAtPercentile(p) / 1e6 : Double.NaN);
        }
        number(node, "max", any ? h.getMaxValue() / 1e6 : Double.NaN);
        number(node, "mean", any ? h.getMean() / 1e6 : Double.NaN);
        node.put("count", h.getTotalCount());
    }

    /** HdrHistogram's compressed encoding in base64, as its interval logs carry it (values in nanoseconds). */
    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity() + 64);
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)),
                    SequenceTracker.HIGHEST_NANOS);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a histogram is not HdrHistogram's compressed base64: " + e.getMessage(),
                    e);
        }
    }
}
