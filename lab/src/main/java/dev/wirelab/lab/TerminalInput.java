package dev.wirelab.lab;

import java.io.IOError;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Command lines typed at a terminal, with JLine's line editing and history (in memory only: a file
 * would keep the passwords of {@code /login} lines). While it is open, log records go above the
 * prompt too ({@link Logging#redirect}), rather than into the middle of the line being typed.
 *
 * <p>Threads: {@link #next} runs on the command loop's thread and blocks in
 * {@link LineReader#readLine}. {@link #wake} interrupts that thread, which JLine turns into a
 * {@link UserInterruptException}; a flag tells it apart from the user's Ctrl-C.
 */
final class TerminalInput implements Input {

    private final Terminal terminal;
    private final LineReader reader;
    private final Logging.Redirection logs;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile Thread readingThread;

    private TerminalInput(Terminal terminal, LineReader reader) {
        this.terminal = terminal;
        this.reader = reader;
        this.logs = Logging.redirect(output());
    }

    /** Opens this process's terminal. */
    static TerminalInput open() throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).name("wirelab").build();
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("wirelab")
                .variable(LineReader.HISTORY_SIZE, 1000)
                .build();
        return new TerminalInput(terminal, reader);
    }

    /** Where to print lines so that they appear above the prompt and never garble what is being typed. */
    Output output() {
        return Output.above(reader);
    }

    @Override
    public Item next(String prompt) {
        readingThread = Thread.currentThread();
        try {
            if (woken.getAndSet(false)) {
                return new Woken();
            }
            return new Line(reader.readLine(prompt));
        } catch (UserInterruptException e) {
            return woken.getAndSet(false) ? new Woken() : new End();
        } catch (EndOfFileException e) {
            return new End();
        } catch (IOError e) {
            // The terminal went away (hang-up): the same as the end of input.
            return new End();
        } finally {
            readingThread = null;
            Thread.interrupted(); // a wake() that came after readLine returned must not leak out
        }
    }

    @Override
    public void wake() {
        woken.set(true);
        Thread thread = readingThread;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void close() {
        logs.close(); // before the terminal goes: later records belong on stderr again
        try {
            terminal.close();
        } catch (IOException e) {
            System.getLogger(TerminalInput.class.getName()).log(System.Logger.Level.DEBUG, "closing the terminal failed", e);
        }
    }
}
