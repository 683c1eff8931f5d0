package dev.wirelab.lab;

import java.io.PrintWriter;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.reader.LineReader;

/**
 * Where the client's lines go. Both the command loop and the connection's reader thread print, so
 * every implementation is thread-safe and writes each line whole.
 */
interface Output {

    /** Prints one line (without its terminator). */
    void line(String text);

    /** Plain lines on a stream, flushed one by one so a script sees each as it happens. */
    static Output plain(PrintWriter out) {
        ReentrantLock lock = new ReentrantLock();
        return text -> {
            lock.lock();
            try {
                out.println(text);
                out.flush();
            } finally {
                lock.unlock();
            }
        };
    }

    /**
     * Lines above the prompt of a JLine reader, which redraws the line being typed below them
     * ({@link LineReader#printAbove} is thread-safe).
     */
    static Output above(LineReader reader) {
        return reader::printAbove;
    }
}
