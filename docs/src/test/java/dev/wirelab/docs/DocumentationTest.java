package dev.wirelab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every link, anchor, {@code dev.wirelab} name, source path and {@code ./wirelab} command in
 * README.md, CONCEPTS.md and docs/ is real (see {@link DocsChecker} for exactly what is checked).
 * Run it with {@code mvn -B -q -pl docs verify}.
 */
@Timeout(60)
class DocumentationTest {

    private final DocsChecker checker = new DocsChecker(DocsChecker.findRoot(Path.of(""))
            .orElseThrow(() -> new AssertionError("no directory holding CONCEPTS.md and pom.xml at or above "
                    + Path.of("").toAbsolutePath())));

    @Test
    void everyLinkClassPathAndCommandInTheDocsIsReal() {
        List<DocsChecker.Problem> problems = checker.check();

        assertThat(problems)
                .as("problems in the docs:%n%s", problems.stream().map(Object::toString)
                        .collect(Collectors.joining(System.lineSeparator())))
                .isEmpty();
    }

    @Test
    void checksTheDocumentsThatTeach() {
        assertThat(checker.documents()).extracting(p -> p.getFileName().toString())
                .contains("README.md", "CONCEPTS.md", "architecture.md", "exercises.md", "protocol-json.md",
                        "protocol-protobuf.md", "protocol-udp.md");
    }

    @Test
    void readsTheLabsSubcommandsFromItsSources() {
        assertThat(checker.subcommands()).contains("server", "client", "impair", "compare");
    }
}
