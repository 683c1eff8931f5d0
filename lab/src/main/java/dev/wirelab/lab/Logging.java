package dev.wirelab.lab;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sets up the JDK's logging behind {@code System.Logger}: one compact line per record on stderr,
 * {@code 14:15:29.123 INFO  ChatServer: connected s1 from /127.0.0.1:53712}, so the program's real
 * output on stdout stays clean for people and scripts. Called once, from the command line's thread,
 * before any command runs.
 */
final class Logging {

    /** How much to show. */
    enum Verbosity {
        /** Warnings and errors only. */
        QUIET(Level.WARNING),
        /** Connects, disconnects, the listening address; warnings and errors. */
        NORMAL(Level.INFO),
        /** Everything down to System.Logger's DEBUG (JUL's FINE). */
        VERBOSE(Level.FINE);

        final Level level;

        Verbosity(Level level) {
            this.level = level;
        }
    }

    private Logging() {
    }

    /** Replaces the root logger's handlers with one line-per-record handler on stderr. */
    static void configure(Verbosity verbosity) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler(); // writes to System.err, flushing every record
        try {
            handler.setEncoding("UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        handler.setFormatter(new OneLine(verbosity == Verbosity.VERBOSE));
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(verbosity.level);
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
