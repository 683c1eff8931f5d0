package dev.wirelab.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Keeps {@code docs/protocol-json.md} honest: every line in its {@code json} code blocks must be a
 * line that {@link JsonWireFormatTest} or {@link SeedTranscriptTest} checks byte for byte, so the
 * specification cannot show an example the codec does not produce or accept.
 */
@Timeout(30)
class ProtocolDocTest {

    private static final Path DOC = Path.of(System.getProperty("basedir", "."), "..", "docs", "protocol-json.md");

    @Test
    void showsOnlyExampleLinesThatTestsCheck() throws IOException {
        List<String> shown = jsonBlockLines(Files.readAllLines(DOC, StandardCharsets.UTF_8));
        Set<String> checked = checkedLines();

        assertThat(shown).as("json example lines in %s", DOC).hasSizeGreaterThan(30);
        assertThat(shown).as("every json example line must be checked by a test").allSatisfy(
                line -> assertThat(checked).contains(line));
    }

    private static List<String> jsonBlockLines(List<String> doc) {
        List<String> lines = new ArrayList<>();
        boolean inJson = false;
        for (String line : doc) {
            if (line.startsWith("```")) {
                inJson = line.equals("```json");
            } else if (inJson && !line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static Set<String> checkedLines() {
        Set<String> lines = new HashSet<>();
        add(lines, JsonWireFormatTest.all(), 0);
        add(lines, SeedTranscriptTest.clientLines(), 0);
        add(lines, SeedTranscriptTest.goClientLines(), 0);
        add(lines, SeedTranscriptTest.serverReplies(), 1);
        add(lines, SeedTranscriptTest.lastWords(), 1);
        add(lines, SeedTranscriptTest.refusedRequests(), 0);
        add(lines, SeedTranscriptTest.refusedRequests(), 1);
        add(lines, SeedTranscriptTest.seedRequests(), 1);
        add(lines, SeedTranscriptTest.seedReplies(), 0);
        return lines;
    }

    private static void add(Set<String> into, Stream<Arguments> examples, int index) {
        examples.forEach(arguments -> into.add((String) arguments.get()[index]));
    }
}
