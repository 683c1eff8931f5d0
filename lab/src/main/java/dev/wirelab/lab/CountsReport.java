package dev.wirelab.lab;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The periodic line of counts of {@code wirelab impair}, printed only when it says something new: a
 * relay idle for an hour prints nothing rather than 720 identical lines. The counts at the start
 * (all zero) are not news either; the line at the stop is always printed, as the final tally.
 *
 * <p>Threads: {@link #onTick} runs on the reporting thread, {@link #onStop} on the main thread; a
 * lock keeps their lines whole and in order.
 */
final class CountsReport {

    private final Supplier<String> counts;
    private final PrintWriter out;
    private final ReentrantLock lock = new ReentrantLock();
    private String last;

    /**
     * @param counts the current line of counts ({@link Relay#statusLine}); read at once as the baseline
     */
    CountsReport(Supplier<String> counts, PrintWriter out) {
        this.counts = Objects.requireNonNull(counts, "counts");
        this.out = Objects.requireNonNull(out, "out");
        this.last = counts.get();
    }

    /** Prints the counts if they changed since the last line printed (or since the start). */
    void onTick() {
        print(false);
    }

    /** Prints the counts whether or not they changed: the last line, when the relay stops. */
    void onStop() {
        print(true);
    }

    private void print(boolean always) {
        lock.lock();
        try {
            String line = counts.get();
            if (always || !line.equals(last)) {
                out.println(line);
                out.flush();
                last = line;
            }
        } finally {
            lock.unlock();
        }
    }
}
