package dev.wirelab.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that what the Markdown documentation points at is real. It reads {@code README.md},
 * {@code CONCEPTS.md} and every {@code docs/**}{@code /*.md} (except the generated reports under
 * {@code docs/reports/}) as text and reports:
 *
 * <ul>
 *   <li><b>links</b>: every relative Markdown link ({@code [text](path)}, {@code ![alt](path)},
 *       {@code [ref]: path}) outside fenced code must name a file or directory inside the
 *       repository; an {@code #anchor} into a Markdown file (or {@code #anchor} alone, into the
 *       same file) must match one of its headings, slugged as GitHub does. Links with a scheme
 *       ({@code https:}, {@code mailto:}) are not checked.</li>
 *   <li><b>Java names</b>: every {@code dev.wirelab...} name anywhere in the text must resolve:
 *       a package to a source directory, a class to a {@code .java} file under some module's
 *       {@code src/main/java} or {@code src/test/java}, and a nested type or member named after
 *       the class ({@code EngineConfig.Timeout}, {@code Limits.maxFrameBytes}) to a word in that
 *       file.</li>
 *   <li><b>paths in code spans</b>: a code span that looks like a repository path (its first
 *       segment is a top-level directory of the repository, or it contains {@code /src/}, or it ends
 *       in {@code .java} or {@code .proto}) must exist, from the repository root or from the document's
 *       own directory; {@code ...} stands for any directories.
 *       Build output ({@code /target/}) and placeholders ({@code <run>}, {@code *}, braces) are
 *       skipped, as are paths into the seed's shared notes ({@code reference/...}), which live
 *       outside the repository.</li>
 *   <li><b>commands</b>: every {@code ./wirelab SUBCOMMAND}, and every {@code wirelab SUBCOMMAND}
 *       that starts a code span or a line of a fenced block, must name a subcommand declared by a
 *       picocli {@code @Command(name = ...)} in {@code lab/src/main/java/dev/wirelab/lab/}, and every
 *       {@code --option} on that line must be declared by some {@code @Option} there. The lab's
 *       sources are read as text; this module does not depend on {@code lab}.</li>
 * </ul>
 *
 * <p>Pure apart from reading files; not thread-safe.
 */
final class DocsChecker {

    /** One thing a document points at that is not there. */
    record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INLINE_LINK =
            Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern JAVA_NAME = Pattern.compile("(?<![\\w.$])dev\\.wirelab(?:\\.[A-Za-z_$][\\w$]*)+");
    private static final Pattern PATH_LIKE = Pattern.compile("^[\\w.\\-]+(?:/[\\w.\\-]+)+/?$");
    private static final Pattern DOT_WIRELAB = Pattern.compile("(?<![\\w/.-])\\./wirelab\\s+(\\S+)(.*)");
    private static final Pattern BARE_WIRELAB = Pattern.compile("^(?:\\$\\s+)?wirelab\\s+(\\S+)(.*)");
    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
    private static final Pattern COMMAND_NAME = Pattern.compile("@Command\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern OPTION_NAMES = Pattern.compile("names\\s*=\\s*(\\{[^}]*\\}|\"[^\"]*\")");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final Path root;
    private final Map<Path, Set<String>> anchorCache = new HashMap<>();
    private List<Path> sourceRoots;
    private Set<String> subcommands;
    private Set<String> options;

    DocsChecker(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The repository root: the nearest directory at or above {@code start} holding both
     * {@code CONCEPTS.md} and {@code pom.xml}.
     */
    static Optional<Path> findRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("CONCEPTS.md")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The documents checked: README.md, CONCEPTS.md and docs/**.md, generated reports excluded. */
    List<Path> documents() {
        List<Path> documents = new ArrayList<>();
        for (String name : List.of("README.md", "CONCEPTS.md")) {
            if (Files.isRegularFile(root.resolve(name))) {
                documents.add(root.resolve(name));
            }
        }
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> walk = Files.walk(docs)) {
                walk.filter(p -> p.toString().endsWith(".md"))
                        .filter(p -> !p.startsWith(docs.resolve("reports")))
                        .filter(p -> !p.startsWith(docs.resolve("target")) && !p.startsWith(docs.resolve("src")))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .forEach(documents::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    /** Every problem in every document. */
    List<Problem> check() {
        List<Problem> problems = new ArrayList<>();
        for (Path document : documents()) {
            problems.addAll(check(document));
        }
        return problems;
    }

    /** Every problem in one document. */
    List<Problem> check(Path document) {
        List<String> lines = read(document);
        String name = root.relativize(document.toAbsolutePath().normalize()).toString();
        List<Problem> problems = new ArrayList<>();
        Fences fences = new Fences();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            if (fences.isMarker(line)) {
                continue;
            }
            boolean inFence = fences.inside();
            for (String javaName : matches(JAVA_NAME, line, 0)) {
                checkJavaName(javaName).ifPresent(m -> problems.add(new Problem(name, lineNumber, m)));
            }
            if (inFence) {
                checkCommand(BARE_WIRELAB, line.strip(), name, lineNumber, problems);
                checkCommand(DOT_WIRELAB, line, name, lineNumber, problems);
                continue;
            }
            Matcher span = CODE_SPAN.matcher(line);
            StringBuilder withoutCode = new StringBuilder();
            int last = 0;
            while (span.find()) {
                String code = span.group(2).strip();
                checkPath(document, code).ifPresent(m -> problems.add(new Problem(name, lineNumber, m)));
                checkCommand(BARE_WIRELAB, code, name, lineNumber, problems);
                checkCommand(DOT_WIRELAB, code, name, lineNumber, problems);
                withoutCode.append(line, last, span.start()).append(" ".repeat(span.end() - span.start()));
                last = span.end();
            }
            withoutCode.append(line.substring(last));
            String prose = withoutCode.toString();
            checkCommand(DOT_WIRELAB, prose, name, lineNumber, problems);
            Matcher link = INLINE_LINK.matcher(prose);
            while (link.find()) {
                checkLink(document, link.group(2)).ifPresent(m -> problems.add(new Problem(name, lineNumber, m)));
            }
            Matcher definition = REFERENCE_DEFINITION.matcher(prose);
            if (definition.matches()) {
                checkLink(document, definition.group(1)).ifPresent(m -> problems.add(new Problem(name, lineNumber, m)));
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- links and anchors

    private Optional<String> checkLink(Path document, String rawTarget) {
        String target = rawTarget.strip();
        if (target.isEmpty()) {
            return Optional.of("empty link target");
        }
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return Optional.empty();
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? "" : target.substring(hash + 1);
        int query = pathPart.indexOf('?');
        if (query >= 0) {
            pathPart = pathPart.substring(0, query);
        }
        Path resolved;
        if (pathPart.isEmpty()) {
            resolved = document.toAbsolutePath().normalize();
        } else {
            String decoded = URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
            resolved = decoded.startsWith("/")
                    ? root.resolve(decoded.substring(1)).normalize()
                    : document.toAbsolutePath().getParent().resolve(decoded).normalize();
            if (!resolved.startsWith(root)) {
                return Optional.of("link " + rawTarget + " leaves the repository");
            }
            if (!Files.exists(resolved)) {
                return Optional.of("broken link " + rawTarget + ": no " + root.relativize(resolved));
            }
        }
        if (!anchor.isEmpty() && resolved.toString().endsWith(".md") && Files.isRegularFile(resolved)) {
            String wanted = URLDecoder.decode(anchor.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (!anchors(resolved).contains(wanted)) {
                return Optional.of("missing anchor " + rawTarget + ": " + root.relativize(resolved)
                        + " has no heading whose slug is '" + wanted + "'");
            }
        }
        return Optional.empty();
    }

    /** The anchors GitHub makes for a Markdown file: one per heading, duplicates numbered, plus HTML anchors. */
    Set<String> anchors(Path markdown) {
        return anchorCache.computeIfAbsent(markdown.toAbsolutePath().normalize(), file -> {
            Set<String> anchors = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            Fences fences = new Fences();
            for (String line : read(file)) {
                if (fences.isMarker(line) || fences.inside()) {
                    continue;
                }
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(2));
                    int count = seen.merge(slug, 1, Integer::sum);
                    anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
                }
                Matcher html = HTML_ANCHOR.matcher(line);
                while (html.find()) {
                    anchors.add(html.group(1));
                }
            }
            return anchors;
        });
    }

    /**
     * GitHub's heading slug: the rendered text (code spans keep their content, links their text,
     * HTML tags and images vanish), lower-cased, every character that is not a letter, digit,
     * underscore, hyphen or space removed, and each space turned into a hyphen.
     */
    static String slug(String heading) {
        String text = heading
                .replaceAll("!\\[[^\\]]*\\]\\([^)]*\\)", "")
                .replaceAll("\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\([^)]*\\)", "$1")
                .replaceAll("<[^>]+>", "")
                .replace("`", "")
                .toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_'
                    || Character.getType(c) == Character.NON_SPACING_MARK) {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    // ---------------------------------------------------------------- Java names and paths

    private Optional<String> checkJavaName(String javaName) {
        String[] segments = javaName.split("\\.");
        int classIndex = -1;
        for (int i = 0; i < segments.length; i++) {
            if (Character.isUpperCase(segments[i].charAt(0))) {
                classIndex = i;
                break;
            }
        }
        if (classIndex < 0) {
            String dir = String.join("/", segments);
            for (Path sourceRoot : sourceRoots()) {
                if (Files.isDirectory(sourceRoot.resolve(dir))) {
                    return Optional.empty();
                }
            }
            return Optional.of("no package " + javaName + " in any module's sources");
        }
        String file = String.join("/", List.of(segments).subList(0, classIndex + 1)) + ".java";
        for (Path sourceRoot : sourceRoots()) {
            Path source = sourceRoot.resolve(file);
            if (Files.isRegularFile(source)) {
                String text = String.join("\n", read(source));
                for (int i = classIndex + 1; i < segments.length; i++) {
                    String member = segments[i];
                    if (!Pattern.compile("\\b" + Pattern.quote(member) + "\\b").matcher(text).find()) {
                        return Optional.of(javaName + ": " + root.relativize(source) + " never names " + member);
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.of("no class " + javaName + " (no " + file + " in any module's src/main/java or src/test/java)");
    }

    private Optional<String> checkPath(Path document, String code) {
        if (code.contains("<") || code.contains("*") || code.contains("{") || code.contains("$")
                || code.contains(" ") || code.contains("/target/") || code.startsWith("target/")) {
            return Optional.empty();
        }
        String path = code.replace("/.../", "/\u0000/");
        if (path.startsWith(".../")) {
            return Optional.empty();
        }
        if (!PATH_LIKE.matcher(path.replace("\u0000", "x")).matches()) {
            return Optional.empty();
        }
        String first = path.substring(0, path.indexOf('/'));
        boolean topLevel = !first.equals(".") && !first.equals("..") && Files.isDirectory(root.resolve(first));
        boolean sourceLike = path.contains("/src/") || path.endsWith(".java") || path.endsWith(".proto");
        if (!topLevel && !sourceLike) {
            return Optional.empty();
        }
        if (!path.contains("\u0000")) {
            Path besideDocument = document.toAbsolutePath().getParent().resolve(path).normalize();
            return Files.exists(root.resolve(path)) || (besideDocument.startsWith(root) && Files.exists(besideDocument))
                    ? Optional.empty()
                    : Optional.of("no file " + code + " in the repository");
        }
        String prefix = path.substring(0, path.indexOf("/\u0000/"));
        String suffix = path.substring(path.lastIndexOf("/\u0000/") + 3);
        Path start = root.resolve(prefix);
        if (Files.isDirectory(start)) {
            try (Stream<Path> walk = Files.walk(start)) {
                if (walk.anyMatch(p -> p.endsWith(suffix) && !root.relativize(p).toString().contains("target/"))) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of("no file matches " + code + " in the repository");
    }

    /** Every {@code src/main/java} and {@code src/test/java} directory of the repository's top-level modules. */
    private List<Path> sourceRoots() {
        if (sourceRoots == null) {
            sourceRoots = new ArrayList<>();
            try (Stream<Path> modules = Files.list(root)) {
                modules.filter(Files::isDirectory).sorted().forEach(module -> {
                    for (String kind : List.of("src/main/java", "src/test/java")) {
                        if (Files.isDirectory(module.resolve(kind))) {
                            sourceRoots.add(module.resolve(kind));
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sourceRoots;
    }

    // ---------------------------------------------------------------- wirelab commands

    private void checkCommand(Pattern pattern, String text, String file, int line, List<Problem> problems) {
        Matcher command = pattern.matcher(text);
        if (!command.find()) {
            return;
        }
        loadCommands();
        if (subcommands.isEmpty()) {
            return;
        }
        String first = command.group(1);
        String rest = command.group(2);
        int comment = rest.indexOf(" #");
        if (comment >= 0) {
            rest = rest.substring(0, comment);
        }
        if (first.startsWith("-")) {
            rest = first + " " + rest;
        } else if (first.matches("[a-z][a-z0-9-]*")) {
            if (!subcommands.contains(first)) {
                problems.add(new Problem(file, line, "wirelab has no subcommand '" + first + "' (it has "
                        + String.join(", ", subcommands) + ")"));
                return;
            }
        } else {
            return;
        }
        for (String option : matches(LONG_OPTION, rest, 1)) {
            if (!options.contains(option)) {
                problems.add(new Problem(file, line, "no wirelab command declares the option " + option));
            }
        }
    }

    private void loadCommands() {
        if (subcommands != null) {
            return;
        }
        subcommands = new java.util.TreeSet<>();
        options = new java.util.TreeSet<>(List.of("--help", "--version"));
        Path lab = root.resolve("lab/src/main/java/dev/wirelab/lab");
        if (!Files.isDirectory(lab)) {
            return;
        }
        try (Stream<Path> sources = Files.list(lab)) {
            sources.filter(p -> p.toString().endsWith(".java")).forEach(source -> {
                String text = String.join("\n", read(source));
                matches(COMMAND_NAME, text, 1).forEach(subcommands::add);
                for (String names : matches(OPTION_NAMES, text, 1)) {
                    matches(QUOTED, names, 1).stream().filter(n -> n.startsWith("--")).forEach(options::add);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        subcommands.remove("wirelab");
    }

    /** The subcommands declared in the lab's sources (read as text). */
    Set<String> subcommands() {
        loadCommands();
        return Set.copyOf(subcommands);
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> matches(Pattern pattern, String text, int group) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(group));
        }
        return found;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tracks fenced code blocks line by line: a fence closes only with its own character, at least as long. */
    private static final class Fences {
        private String open = "";

        /** Whether {@code line} opens or closes a fence (and updates the state). */
        boolean isMarker(String line) {
            Matcher m = FENCE.matcher(line);
            if (!m.find()) {
                return false;
            }
            String marker = m.group(1);
            if (open.isEmpty()) {
                open = marker;
                return true;
            }
            if (marker.charAt(0) == open.charAt(0) && marker.length() >= open.length() && line.strip().equals(marker)) {
                open = "";
                return true;
            }
            return false;
        }

        /** Whether the lines now being read are inside a fence. */
        boolean inside() {
            return !open.isEmpty();
        }
    }
}
