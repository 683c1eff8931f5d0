package dev.wirelab.chat;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what {@link ChatServer} logs (its {@code System.Logger} is backed by
 * {@code java.util.logging} here), so a test can check a server-side fact that no client sees,
 * such as "dropped for a full send queue", or count sessions opened and closed.
 */
final class ServerLog implements AutoCloseable {

    /** Held strongly: java.util.logging keeps loggers only weakly, and would forget our handler. */
    private final Logger logger = Logger.getLogger(ChatServer.class.getName());
    private final ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private ServerLog() {
        logger.addHandler(handler);
    }

    static ServerLog capture() {
        return new ServerLog();
    }

    /** Messages logged at {@code level} or above, oldest first. */
    List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                .map(LogRecord::getMessage).toList();
    }

    /** How many messages match. */
    long count(Predicate<String> message) {
        return records.stream().map(LogRecord::getMessage).filter(m -> m != null && message.test(m)).count();
    }

    /** Sessions the server accepted since the capture began ("connected s7 from ..."). */
    long sessionsOpened() {
        return count(m -> m.startsWith("connected s"));
    }

    /** Sessions the server cleaned up since the capture began ("disconnected s7 (...)"). */
    long sessionsClosed() {
        return count(m -> m.startsWith("disconnected s"));
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
