package dev.wirelab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The checker itself, over a small repository made up in a temporary directory. */
@Timeout(30)
class DocsCheckerTest {

    @TempDir
    Path root;

    @BeforeEach
    void aSmallRepository() throws IOException {
        write("pom.xml", "<project/>");
        write("CONCEPTS.md", "# Concepts\n\n## How TCP works\n\nSee [the page](docs/page.md).\n");
        write("docs/page.md", """
                # A page

                ## 1. Framing: `lines` vs length prefix

                ## Twice

                ## Twice
                """);
        write("transport-udp/src/main/java/dev/wirelab/transport/udp/ReliableEngine.java",
                "package dev.wirelab.transport.udp;\nfinal class ReliableEngine { void tick() {} }\n");
        write("lab/src/main/java/dev/wirelab/lab/ServerCommand.java",
                "@Command(name = \"server\")\nclass ServerCommand { @Option(names = {\"-p\", \"--port\"}) int port; }\n");
        write("lab/src/main/java/dev/wirelab/lab/Wirelab.java", "@Command(name = \"wirelab\")\nclass Wirelab {}\n");
    }

    @Test
    void findsTheRootByWalkingUpToConceptsAndThePom() throws IOException {
        Path deep = Files.createDirectories(root.resolve("docs/src/test"));

        assertThat(DocsChecker.findRoot(deep)).contains(root.toAbsolutePath().normalize());
    }

    @Test
    void acceptsLinksAnchorsClassesPathsAndCommandsThatExist() throws IOException {
        write("reports/20261129-120000/report.md", "# Run\n");
        write("docs/reports/r.json", "{}");
        write("docs/good.md", """
                # Good

                [up](../CONCEPTS.md#how-tcp-works), [page](page.md#1-framing-lines-vs-length-prefix),
                [second twice](page.md#twice-1), [here](#good), [web](https://example.com/x.md#nope),
                [dir](../transport-udp/), [source](../transport-udp/src/main/java/dev/wirelab/transport/udp/ReliableEngine.java).

                `dev.wirelab.transport.udp.ReliableEngine`, `dev.wirelab.transport.udp.ReliableEngine.tick`,
                the package `dev.wirelab.transport.udp`, the path `transport-udp/src/main/java/.../ReliableEngine.java`,
                outside the repository `reference/seed-protocol.md`, build output `lab/target/wirelab.jar`,
                a path from this page's own directory `reports/r.json` (not from the root's `reports/`).

                Run `./wirelab server --port 9000` or `wirelab server`.

                ```sh
                ./wirelab server -p 9000   # a comment --not-an-option
                ./wirelab --help
                ```
                """);

        assertThat(checker().check(root.resolve("docs/good.md"))).isEmpty();
    }

    @Test
    void catchesABrokenLink() throws IOException {
        write("docs/bad.md", "# Bad\n\nSee [the engine](../transport-udp/ReliableEngin.java).\n");

        assertThat(messages("docs/bad.md")).singleElement().asString()
                .startsWith("docs/bad.md:3: broken link ../transport-udp/ReliableEngin.java");
    }

    @Test
    void catchesAMissingAnchorInAnotherFileAndInTheSameFile() throws IOException {
        write("docs/bad.md", "# Bad\n\n[a](page.md#framing) and [b](#nowhere) but [c](page.md#twice).\n");

        assertThat(messages("docs/bad.md")).hasSize(2)
                .anySatisfy(m -> assertThat(m).contains("missing anchor page.md#framing"))
                .anySatisfy(m -> assertThat(m).contains("missing anchor #nowhere"));
    }

    @Test
    void catchesAMissingClassAMissingMemberAndAMissingPackage() throws IOException {
        write("docs/bad.md", """
                # Bad

                `dev.wirelab.transport.udp.LossDetector`
                `dev.wirelab.transport.udp.ReliableEngine.flush`
                `dev.wirelab.transport.quic`
                """);

        assertThat(messages("docs/bad.md")).hasSize(3)
                .anySatisfy(m -> assertThat(m).startsWith("docs/bad.md:3: no class dev.wirelab.transport.udp.LossDetector"))
                .anySatisfy(m -> assertThat(m).contains("never names flush"))
                .anySatisfy(m -> assertThat(m).contains("no package dev.wirelab.transport.quic"));
    }

    @Test
    void catchesASourcePathThatDoesNotExist() throws IOException {
        write("docs/bad.md", "# Bad\n\n`transport-udp/src/main/java/.../RttEstimator.java` and `codec-json/Foo.java`\n");

        assertThat(messages("docs/bad.md")).hasSize(2);
    }

    @Test
    void catchesAnUnknownSubcommandAndAnUnknownOption() throws IOException {
        write("docs/bad.md", """
                # Bad

                `./wirelab serve`

                ```
                $ ./wirelab server --clients 4
                wirelab bench
                ```
                """);

        assertThat(messages("docs/bad.md")).containsExactly(
                "docs/bad.md:3: wirelab has no subcommand 'serve' (it has server)",
                "docs/bad.md:6: no wirelab command declares the option --clients",
                "docs/bad.md:7: wirelab has no subcommand 'bench' (it has server)");
    }

    @Test
    void ignoresLinksAndNamesInsideCodeSpansButChecksJavaNamesInFencedBlocks() throws IOException {
        write("docs/mixed.md", """
                # Mixed

                `[not a link](nowhere.md)`

                ```java
                [also not a link](nowhere.md)
                import dev.wirelab.transport.udp.Missing;
                ```
                """);

        assertThat(messages("docs/mixed.md")).singleElement().asString()
                .startsWith("docs/mixed.md:7: no class dev.wirelab.transport.udp.Missing");
    }

    @Test
    void slugsHeadingsAsGitHubDoes() {
        assertThat(DocsChecker.slug("1. Framing and encoding")).isEqualTo("1-framing-and-encoding");
        assertThat(DocsChecker.slug("`--impair`: impair what a server or client sends"))
                .isEqualTo("--impair-impair-what-a-server-or-client-sends");
        assertThat(DocsChecker.slug("The relay: `wirelab impair`")).isEqualTo("the-relay-wirelab-impair");
        assertThat(DocsChecker.slug("TCP vs UDP (and [QUIC](https://quic.org))")).isEqualTo("tcp-vs-udp-and-quic");
        assertThat(DocsChecker.slug("RELIABLE_ORDERED, per channel")).isEqualTo("reliable_ordered-per-channel");
    }

    @Test
    void skipsGeneratedReports() throws IOException {
        write("docs/reports/reference/report.md", "# Report\n\n[gone](nowhere.md)\n");

        assertThat(checker().documents()).extracting(p -> root.relativize(p).toString())
                .containsExactly("CONCEPTS.md", "docs/page.md");
        assertThat(checker().check()).isEmpty();
    }

    private DocsChecker checker() {
        return new DocsChecker(root);
    }

    private List<String> messages(String document) {
        return checker().check(root.resolve(document)).stream().map(DocsChecker.Problem::toString).toList();
    }

    private void write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
