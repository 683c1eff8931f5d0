package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LoggingTest {

    @Test
    void writesOneCompactLinePerRecord() {
        LogRecord record = new LogRecord(Level.INFO, "connected {0} from {1}");
        record.setParameters(new Object[] {"s1", "/127.0.0.1:5555"});
        record.setLoggerName("dev.wirelab.chat.ChatServer");

        String line = new Logging.OneLine(false).format(record);

        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ChatServer: connected s1 from /127.0.0.1:5555\\R");
    }

    @Test
    void namesLevelsAsSystemLoggerDoes() {
        assertThat(Logging.OneLine.levelName(Level.SEVERE)).isEqualTo("ERROR");
        assertThat(Logging.OneLine.levelName(Level.WARNING)).isEqualTo("WARN");
        assertThat(Logging.OneLine.levelName(Level.INFO)).isEqualTo("INFO");
        assertThat(Logging.OneLine.levelName(Level.FINE)).isEqualTo("DEBUG");
        assertThat(Logging.OneLine.levelName(Level.FINER)).isEqualTo("TRACE");
    }

    @Test
    void keepsAnExceptionOnTheLineUnlessVerbose() {
        LogRecord record = new LogRecord(Level.WARNING, "write failed");
        record.setLoggerName("x.Y");
        record.setThrown(new IOException("Broken pipe"));

        assertThat(new Logging.OneLine(false).format(record))
                .endsWith("WARN  Y: write failed: java.io.IOException: Broken pipe" + System.lineSeparator());
        assertThat(new Logging.OneLine(true).format(record)).contains("\tat ");
    }

    private static LogRecord warning(String message) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName("dev.wirelab.chat.ChatClient");
        return record;
    }

    /** A handler like the one {@link Logging#configure} installs, with a byte stream for stderr. */
    private static Logging.Redirectable handler(ByteArrayOutputStream stderr) {
        StreamHandler plain = new StreamHandler(stderr, new Logging.OneLine(false)) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        plain.setLevel(Level.ALL);
        return new Logging.Redirectable(plain);
    }

    @Test
    void sendsRecordsToTheRedirectedOutputOnlyWhileRedirected() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Logging.Redirectable handler = handler(stderr);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        handler.publish(warning("before"));
        Logging.Redirection redirection = handler.redirect(lines::add);
        handler.publish(warning("during"));
        redirection.close();
        handler.publish(warning("after"));

        assertThat(lines).singleElement().asString().matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  ChatClient: during");
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("ChatClient: before", "ChatClient: after").doesNotContain("during");
    }

    @Test
    void fallsBackToStderrWhenTheRedirectedOutputFails() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Logging.Redirectable handler = handler(stderr);

        handler.redirect(line -> {
            throw new IllegalStateException("terminal closed");
        });
        handler.publish(warning("still seen"));

        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("WARN  ChatClient: still seen");
    }

    @Test
    void sendsWhatTheOutputItselfLogsToStderrRatherThanRecursing() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Logging.Redirectable handler = handler(stderr);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        handler.redirect(line -> {
            handler.publish(warning("logged while showing " + line.substring(line.indexOf(": ") + 2)));
            lines.add(line);
        });
        handler.publish(warning("the record"));

        assertThat(lines).singleElement().asString().endsWith("WARN  ChatClient: the record");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("ChatClient: logged while showing the record");
    }

    @Test
    void verboseShowsWirelabsDebugRecordsButOnlyInfoAndAboveFromOtherLibraries() {
        Logger root = Logger.getLogger("");
        Logger ours = Logger.getLogger(Logging.OWN_PACKAGES);
        Handler[] handlers = root.getHandlers();
        Level rootLevel = root.getLevel();
        Level oursLevel = ours.getLevel();
        try {
            Logging.configure(Logging.Verbosity.VERBOSE);

            assertThat(loggable("dev.wirelab.lab.LoggingTestSubject", System.Logger.Level.DEBUG)).isTrue();
            assertThat(loggable("dev.wirelab", System.Logger.Level.DEBUG)).isTrue();
            // What flooded -v: the JDK logging each stty process JLine starts, and JLine itself.
            assertThat(loggable("java.lang.ProcessBuilder", System.Logger.Level.DEBUG)).isFalse();
            assertThat(loggable("org.jline.terminal.TerminalBuilder", System.Logger.Level.DEBUG)).isFalse();
            assertThat(loggable("org.jline.terminal.TerminalBuilder", System.Logger.Level.INFO)).isTrue();
            // Only the package and what is under it, not a name that merely starts the same.
            assertThat(loggable("dev.wirelabs.Other", System.Logger.Level.DEBUG)).isFalse();

            Logging.configure(Logging.Verbosity.NORMAL);
            assertThat(loggable("dev.wirelab.lab.LoggingTestSubject", System.Logger.Level.DEBUG)).isFalse();
            assertThat(loggable("dev.wirelab.lab.LoggingTestSubject", System.Logger.Level.INFO)).isTrue();

            Logging.configure(Logging.Verbosity.QUIET);
            assertThat(loggable("dev.wirelab.lab.LoggingTestSubject", System.Logger.Level.INFO)).isFalse();
            assertThat(loggable("dev.wirelab.lab.LoggingTestSubject", System.Logger.Level.WARNING)).isTrue();
            assertThat(loggable("org.jline.terminal.TerminalBuilder", System.Logger.Level.INFO)).isFalse();
        } finally {
            // configure changed this JVM's logging; the other tests expect it as it was.
            for (Handler handler : root.getHandlers()) {
                root.removeHandler(handler);
            }
            for (Handler handler : handlers) {
                root.addHandler(handler);
            }
            root.setLevel(rootLevel);
            ours.setLevel(oursLevel);
        }
    }

    private static boolean loggable(String logger, System.Logger.Level level) {
        return System.getLogger(logger).isLoggable(level);
    }

    @Test
    void leavesLoggingAloneWhenItWasNotConfigured() {
        // Tests run commands in this JVM without Logging.configure: nothing to redirect, nothing to undo.
        assertThat(Logging.redirect(line -> { })).isSameAs(Logging.Redirection.NONE);
    }

    @Test
    void aLogLineOnATerminalGoesAboveThePromptAndTheTypedTextIsRedrawn() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream keyboard = new PipedInputStream(keys);
        ByteArrayOutputStream screenBytes = new ByteArrayOutputStream();
        try (Terminal terminal = TerminalBuilder.builder().system(false).streams(keyboard, screenBytes)
                .type("xterm").build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            Logging.Redirectable handler = handler(new ByteArrayOutputStream());
            AtomicReference<String> typed = new AtomicReference<>();
            Thread reading = Thread.ofPlatform().name("reading").start(() -> typed.set(reader.readLine("alice@lobby> ")));
            Logging.Redirection redirection = handler.redirect(Output.above(reader));
            try {
                keys.write("hel".getBytes(StandardCharsets.UTF_8));
                keys.flush();
                Await.until("the typed text is echoed", () -> screen(screenBytes).contains("alice@lobby> hel"));

                handler.publish(warning("connection lost"));

                // The typed line is wiped (carriage return, erase to the end of the line), the log line
                // takes its place, and the prompt comes back below it with what was typed.
                Await.until("the prompt is redrawn below the log line", () -> screen(screenBytes).endsWith(
                        " WARN  ChatClient: connection lost\r\nalice@lobby> hel"));
                assertThat(screen(screenBytes)).containsPattern(
                        "alice@lobby> hel\r\u001b\\[K\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  ChatClient: connection lost\r\n");
                keys.write("lo\n".getBytes(StandardCharsets.UTF_8));
                keys.flush();
                reading.join(Await.DEFAULT_TIMEOUT);
            } finally {
                redirection.close();
            }
            assertThat(typed.get()).isEqualTo("hello");
        }
    }

    private static String screen(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8); // synchronized against the terminal's writes
    }
}
