package dev.wirelab.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Command lines from a stream that is not a terminal (a pipe, a file, a test), in UTF-8.
 *
 * <p>Threads: a daemon thread of its own reads the stream, because a read from stdin cannot be
 * interrupted and the client must still notice a closed connection while the script is silent;
 * {@link #next} takes from its queue and {@link #wake} puts a marker in it. The daemon thread never
 * keeps the JVM alive, and ends at end of input.
 */
final class ScriptInput implements Input {

    private static final System.Logger LOG = System.getLogger(ScriptInput.class.getName());

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();

    private ScriptInput() {
    }

    static ScriptInput start(InputStream in) {
        ScriptInput input = new ScriptInput();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("wirelab-stdin").start(() -> input.pump(reader));
        return input;
    }

    private void pump(BufferedReader reader) {
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                items.add(new Line(line));
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "reading commands failed: " + e.getMessage());
        } finally {
            items.add(new End());
        }
    }

    @Override
    public Item next(String prompt) {
        try {
            Item item = items.take();
            if (item instanceof End) {
                items.add(item); // the end stays the end for every later call
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Woken();
        }
    }

    @Override
    public void wake() {
        items.add(new Woken());
    }

    @Override
    public void close() {
        // The reading thread is a daemon blocked in read(); it ends with the input or the JVM.
    }
}
