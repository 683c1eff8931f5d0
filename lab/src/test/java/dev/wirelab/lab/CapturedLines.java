package dev.wirelab.lab;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Captures what a command prints, for tests to read as lines while it still runs. Thread-safe. */
final class CapturedLines {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintWriter writer = new PrintWriter(bytes, true, StandardCharsets.UTF_8);

    PrintWriter writer() {
        return writer;
    }

    /** The complete lines so far. */
    List<String> lines() {
        writer.flush();
        String text = bytes.toString(StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    String text() {
        writer.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }
}
