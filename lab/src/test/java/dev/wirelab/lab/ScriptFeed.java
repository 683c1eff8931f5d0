package dev.wirelab.lab;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A stdin a test writes to line by line while the client reads it, from any thread (unlike
 * {@code PipedInputStream}, which fails once its writing thread has ended). {@link #close} is the
 * end of input.
 */
final class ScriptFeed extends InputStream {

    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    /** Queues lines, each followed by a newline. */
    ScriptFeed send(String... lines) {
        for (String line : lines) {
            chunks.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    @Override
    public void close() {
        chunks.add(END);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (position == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            position = 0;
            if (current == END) {
                ended = true;
            }
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }
}
