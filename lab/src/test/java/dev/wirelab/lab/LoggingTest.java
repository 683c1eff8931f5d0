package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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
}
