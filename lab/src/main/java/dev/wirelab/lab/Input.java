package dev.wirelab.lab;

import java.util.Objects;

/**
 * Where the client's command lines come from: a terminal with line editing, or a script on stdin.
 * {@link #next} is called by the command loop alone; {@link #wake} may be called from any thread.
 */
interface Input extends AutoCloseable {

    /** What {@link #next} found. */
    sealed interface Item {
    }

    /** One line, without its terminator. */
    record Line(String text) implements Item {
        public Line {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The end of the input: EOF on a script, Ctrl-D or Ctrl-C on a terminal. */
    record End() implements Item {
    }

    /** {@link #wake} was called: the caller has something else to look at (the connection ended). */
    record Woken() implements Item {
    }

    /** Waits for the next line, showing {@code prompt} where there is a terminal. */
    Item next(String prompt);

    /** Makes a waiting or the next {@link #next} return {@link Woken} soon. */
    void wake();

    @Override
    void close();
}
