package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class LimitsTest {

    private static final Limits DEFAULTS = Limits.DEFAULTS;

    @Test
    void defaultsMatchTheDocumentedValues() {
        assertThat(DEFAULTS.maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(DEFAULTS.maxTextBytes()).isEqualTo(4 * 1024);
        assertThat(DEFAULTS.maxNameLength()).isEqualTo(32);
        assertThat(DEFAULTS.maxRoomNameLength()).isEqualTo(64);
        assertThat(DEFAULTS.maxJsonDepth()).isEqualTo(32);
        assertThat(DEFAULTS.maxJsonNumberLength()).isEqualTo(32);
        assertThat(DEFAULTS.historyPerRoom()).isEqualTo(1000);
        assertThat(DEFAULTS.historyPageDefault()).isEqualTo(20);
        assertThat(DEFAULTS.historyPageMax()).isEqualTo(100);
        assertThat(DEFAULTS.sendQueueBytes()).isEqualTo(256 * 1024);
        assertThat(DEFAULTS.writeDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.lineCompletion()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.idleTimeout()).isEqualTo(Duration.ofSeconds(300));
        // 60 s, as Limits documents it (ergo's value); the research table proposed 15 s.
        assertThat(DEFAULTS.registrationTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(DEFAULTS.messagesBeforeRegister()).isEqualTo(32);
        assertThat(DEFAULTS.udpMaxDatagramBytes()).isEqualTo(1200);
        assertThat(DEFAULTS.maxClients()).isEqualTo(1024);
        assertThat(DEFAULTS.maxUnregistered()).isEqualTo(64);
        assertThat(DEFAULTS.maxClientsPerAddress()).isEqualTo(16);
        assertThat(DEFAULTS.capLoopback()).as("the per-address cap spares loopback by default").isFalse();
    }

    @Test
    void theSixteenComponentConstructorKeepsTheDefaultConnectionCaps() {
        Limits old = new Limits(1024, 512, 32, 64, 32, 32, 1000, 20, 100, 1024, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 32, 1200);

        assertThat(old.maxClients()).isEqualTo(Limits.MAX_CLIENTS_DEFAULT);
        assertThat(old.maxUnregistered()).isEqualTo(Limits.MAX_UNREGISTERED_DEFAULT);
        assertThat(old.maxClientsPerAddress()).isEqualTo(Limits.MAX_CLIENTS_PER_ADDRESS_DEFAULT);
        assertThat(old.capLoopback()).isFalse();
    }

    @Test
    void refusesATextLimitAboveTheFrameLimit() {
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxTextBytes(64 * 1024 + 1))
                .withMessageContaining("maxTextBytes");
        assertThat(DEFAULTS.withMaxTextBytes(64 * 1024).maxTextBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void refusesAPageDefaultAboveThePageMaximum() {
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withHistory(1000, 101, 100))
                .withMessageContaining("historyPageDefault");
        assertThat(DEFAULTS.withHistory(1000, 100, 100).historyPageDefault()).isEqualTo(100);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void refusesNonPositiveSizes(int value) {
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxFrameBytes(value));
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxTextBytes(value));
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withHistory(value, 20, 100));
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withHistory(1000, value, 100));
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withHistory(1000, value, value));
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withSendQueueBytes(value));
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withConnectionCaps(value, 64, 16, false))
                .withMessageContaining("maxClients");
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withConnectionCaps(1024, value, 16, false))
                .withMessageContaining("maxUnregistered");
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withConnectionCaps(1024, 64, value, false))
                .withMessageContaining("maxClientsPerAddress");
        assertThatIllegalArgumentException().isThrownBy(() -> new Limits(1024, 512, value, 64, 32, 32, 1000, 20, 100,
                1024, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 32, 1200))
                .withMessageContaining("maxNameLength");
        assertThatIllegalArgumentException().isThrownBy(() -> new Limits(1024, 512, 32, 64, 32, 32, 1000, 20, 100,
                1024, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 32, value))
                .withMessageContaining("udpMaxDatagramBytes");
    }

    @Test
    void refusesZeroNegativeOrMissingDurations() {
        Duration second = Duration.ofSeconds(1);

        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withTimeouts(Duration.ZERO, second, second, second))
                .withMessageContaining("writeDeadline");
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withTimeouts(second, Duration.ofMillis(-1), second, second))
                .withMessageContaining("lineCompletion");
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withTimeouts(second, second, Duration.ZERO, second))
                .withMessageContaining("idleTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withTimeouts(second, second, second, Duration.ofSeconds(-5)))
                .withMessageContaining("registrationTimeout");
        assertThatNullPointerException().isThrownBy(() -> DEFAULTS.withTimeouts(null, second, second, second));
        assertThat(DEFAULTS.withTimeouts(Duration.ofNanos(1), second, second, second).writeDeadline())
                .isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void withMaxFrameBytesChangesTheFrameLimitAndKeepsTheTextLimitWithinIt() {
        Limits larger = DEFAULTS.withMaxFrameBytes(8192);
        Limits smaller = DEFAULTS.withMaxFrameBytes(1024);

        assertThat(larger.maxFrameBytes()).isEqualTo(8192);
        assertThat(larger.maxTextBytes()).isEqualTo(4096);
        assertThat(smaller.maxFrameBytes()).isEqualTo(1024);
        assertThat(smaller.maxTextBytes()).isEqualTo(1024);
        assertThat(larger).usingRecursiveComparison().ignoringFields("maxFrameBytes").isEqualTo(DEFAULTS);
    }

    @Test
    void withMethodsChangeOnlyWhatTheyName() {
        Duration one = Duration.ofSeconds(1);
        Duration two = Duration.ofSeconds(2);
        Duration three = Duration.ofSeconds(3);
        Duration four = Duration.ofSeconds(4);

        Limits text = DEFAULTS.withMaxTextBytes(100);
        Limits history = DEFAULTS.withHistory(50, 5, 10);
        Limits sendQueue = DEFAULTS.withSendQueueBytes(2048);
        Limits timeouts = DEFAULTS.withTimeouts(one, two, three, four);
        Limits caps = DEFAULTS.withConnectionCaps(10, 5, 3, true);

        assertThat(text.maxTextBytes()).isEqualTo(100);
        assertThat(text).usingRecursiveComparison().ignoringFields("maxTextBytes").isEqualTo(DEFAULTS);
        assertThat(history.historyPerRoom()).isEqualTo(50);
        assertThat(history.historyPageDefault()).isEqualTo(5);
        assertThat(history.historyPageMax()).isEqualTo(10);
        assertThat(history).usingRecursiveComparison()
                .ignoringFields("historyPerRoom", "historyPageDefault", "historyPageMax").isEqualTo(DEFAULTS);
        assertThat(sendQueue.sendQueueBytes()).isEqualTo(2048);
        assertThat(sendQueue).usingRecursiveComparison().ignoringFields("sendQueueBytes").isEqualTo(DEFAULTS);
        assertThat(timeouts.writeDeadline()).isEqualTo(one);
        assertThat(timeouts.lineCompletion()).isEqualTo(two);
        assertThat(timeouts.idleTimeout()).isEqualTo(three);
        assertThat(timeouts.registrationTimeout()).isEqualTo(four);
        assertThat(timeouts).usingRecursiveComparison()
                .ignoringFields("writeDeadline", "lineCompletion", "idleTimeout", "registrationTimeout").isEqualTo(DEFAULTS);
        assertThat(List.of(caps.maxClients(), caps.maxUnregistered(), caps.maxClientsPerAddress())).containsExactly(10, 5, 3);
        assertThat(caps.capLoopback()).isTrue();
        assertThat(caps).usingRecursiveComparison()
                .ignoringFields("maxClients", "maxUnregistered", "maxClientsPerAddress", "capLoopback").isEqualTo(DEFAULTS);
        assertThat(DEFAULTS.maxTextBytes()).as("DEFAULTS itself is unchanged").isEqualTo(4096);
    }
}
