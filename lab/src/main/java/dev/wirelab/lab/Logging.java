package dev.wirelab.lab;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ConsoleHandler;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sets up the JDK's logging behind {@code System.Logger}: one compact line per record on stderr,
 * {@code 14:15:29.123 INFO  ChatServer: connected s1 from /127.0.0.1:53712}, so the program's real
 * output on stdout stays clean for people and scripts. {@link #configure} is called once, from the
 * command line's thread, before any command runs.
 *
 * <p>While the interactive client edits a line on a terminal, a record written straight to stderr
 * would land in the middle of the line being typed; {@link #redirect} sends records above the prompt
 * instead, the way the client shows what arrives.
 */
final class Logging {

    /**
     * How much to show: {@code ours} for wirelab's loggers (under {@link #OWN_PACKAGES}),
     * {@code others} for the rest (JLine, picocli, the JDK).
     */
    enum Verbosity {
        /** Warnings and errors only. */
        QUIET(Level.WARNING, Level.WARNING),
        /** Connects, disconnects, the listening address; warnings and errors. */
        NORMAL(Level.INFO, Level.INFO),
        /**
         * wirelab's own records down to System.Logger's DEBUG (JUL's FINE); other libraries' from
         * INFO, since at DEBUG the JDK logs every process JLine starts for {@code stty}, with a
         * stack trace, and drowns what the user asked to see.
         */
        VERBOSE(Level.FINE, Level.INFO);

        final Level ours;
        final Level others;

        Verbosity(Level ours, Level others) {
            this.ours = ours;
            this.others = others;
        }
    }

    /** The logger every wirelab class logs under: its level applies to all of theirs. */
    static final String OWN_PACKAGES = "dev.wirelab";

    /**
     * Held here because the JDK's LogManager keeps loggers only weakly: a collected
     * {@code dev.wirelab} logger would take its level with it, and wirelab's loggers would fall back
     * to the root's.
     */
    private static final Logger OURS = Logger.getLogger(OWN_PACKAGES);

    private Logging() {
    }

    /**
     * Replaces the root logger's handlers with one line-per-record handler on stderr, and sets the
     * levels of {@code verbosity}: the root's for everyone, {@link #OWN_PACKAGES}' for wirelab.
     */
    static void configure(Verbosity verbosity) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler stderr = new ConsoleHandler(); // writes to System.err, flushing every record
        try {
            stderr.setEncoding("UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        OneLine format = new OneLine(verbosity == Verbosity.VERBOSE);
        stderr.setFormatter(format);
        stderr.setLevel(Level.ALL);
        root.addHandler(new Redirectable(stderr));
        root.setLevel(verbosity.others);
        OURS.setLevel(verbosity.ours);
    }

    /**
     * Sends every log record to {@code output}, one {@link Output#line} each, instead of stderr until
     * the returned redirection is closed. Does nothing when {@link #configure} has not run (a test
     * running a command in its own JVM keeps its logging as it is).
     */
    static Redirection redirect(Output output) {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler instanceof Redirectable redirectable) {
                return redirectable.redirect(output);
            }
        }
        return Redirection.NONE;
    }

    /** Ends a {@link #redirect}: records go to stderr again. Idempotent. */
    @FunctionalInterface
    interface Redirection extends AutoCloseable {

        /** Nothing was redirected. */
        Redirection NONE = () -> { };

        @Override
        void close();
    }

    /**
     * Writes records through {@code stderr}, or as lines to an {@link Output} while one is set.
     *
     * <p>Threads: any thread may log; {@link #redirect} and closing its result may come from any
     * thread too. The output is read once per record, so each record goes whole to one place.
     */
    static final class Redirectable extends Handler {

        private final Handler stderr;
        private final AtomicReference<Output> redirected = new AtomicReference<>();
        private final ThreadLocal<Boolean> publishing = ThreadLocal.withInitial(() -> false);

        Redirectable(Handler stderr) {
            this.stderr = stderr;
            setFormatter(stderr.getFormatter());
            setLevel(Level.ALL);
        }

        /** Sends records to {@code output} until the result is closed. */
        Redirection redirect(Output output) {
            redirected.set(output);
            return () -> redirected.compareAndSet(output, null);
        }

        @Override
        public void publish(LogRecord record) {
            Output output = redirected.get();
            if (output == null || publishing.get()) {
                // Not redirected, or logged by the output itself while it shows a record (JLine runs
                // stty, and in verbose mode ProcessBuilder logs that): stderr, so it cannot recurse.
                stderr.publish(record);
                return;
            }
            if (!isLoggable(record)) {
                return;
            }
            String text;
            try {
                text = getFormatter().format(record);
            } catch (RuntimeException e) {
                reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
                return;
            }
            publishing.set(true);
            try {
                output.line(text.stripTrailing());
            } catch (RuntimeException e) {
                // The terminal went away under the record: stderr still has it.
                stderr.publish(record);
            } finally {
                publishing.remove();
            }
        }

        @Override
        public void flush() {
            stderr.flush();
        }

        @Override
        public void close() {
            stderr.close();
        }
    }

    /** The one-line format; stack traces only in verbose mode. */
    static final class OneLine extends Formatter {

        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        private final boolean stackTraces;

        OneLine(boolean stackTraces) {
            this.stackTraces = stackTraces;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(128)
                    .append(TIME.format(record.getInstant() == null ? Instant.now() : record.getInstant()))
                    .append(' ').append(String.format("%-5s", levelName(record.getLevel())))
                    .append(' ').append(shortName(record.getLoggerName()))
                    .append(": ").append(LineFormat.clean(formatMessage(record)));
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                line.append(": ").append(LineFormat.clean(String.valueOf(thrown)));
            }
            line.append(System.lineSeparator());
            if (thrown != null && stackTraces) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        /** System.Logger's names for the JUL levels it maps to. */
        static String levelName(Level level) {
            int value = level.intValue();
            if (value >= Level.SEVERE.intValue()) {
                return "ERROR";
            } else if (value >= Level.WARNING.intValue()) {
                return "WARN";
            } else if (value >= Level.INFO.intValue()) {
                return "INFO";
            } else if (value >= Level.FINE.intValue()) {
                return "DEBUG";
            }
            return "TRACE";
        }

        private static String shortName(String logger) {
            if (logger == null || logger.isEmpty()) {
                return "root";
            }
            return logger.substring(logger.lastIndexOf('.') + 1);
        }
    }
}
