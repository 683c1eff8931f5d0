package dev.wirelab.chat;

import dev.wirelab.protocol.Limits;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How a chat server behaves.
 *
 * @param limits     sizes, queues and deadlines
 * @param rateLimit  how fast one session may post
 * @param welcome    the first line every client receives; the seed's text by default, because the
 *                   seed's client prints it and people compare the two
 * @param serverName what HELLO is answered with
 * @param zone       the zone of TIME replies and of history lines in the seed's format
 * @param passwordIterations PBKDF2 iterations for passwords (OWASP: 600,000; tests use far fewer)
 */
public record ChatConfig(Limits limits, RateLimit rateLimit, String welcome, String serverName, ZoneId zone,
                         int passwordIterations) {

    /** The seed server's welcome text, byte for byte. */
    public static final String SEED_WELCOME = "Welcome to TCP/IP Educational Server!";

    public static final String SERVER_NAME = "wirelab/0.1";

    public ChatConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(welcome, "welcome");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(zone, "zone");
        if (passwordIterations <= 0) {
            throw new IllegalArgumentException("passwordIterations must be positive");
        }
    }

    /** Default limits and rate, the seed's welcome, this machine's zone. */
    public static ChatConfig defaults() {
        return new ChatConfig(Limits.DEFAULTS, RateLimit.DEFAULT, SEED_WELCOME, SERVER_NAME, ZoneId.systemDefault(),
                Accounts.ITERATIONS_DEFAULT);
    }

    public ChatConfig withLimits(Limits value) {
        return new ChatConfig(value, rateLimit, welcome, serverName, zone, passwordIterations);
    }

    public ChatConfig withRateLimit(RateLimit value) {
        return new ChatConfig(limits, value, welcome, serverName, zone, passwordIterations);
    }

    public ChatConfig withPasswordIterations(int value) {
        return new ChatConfig(limits, rateLimit, welcome, serverName, zone, value);
    }

    public ChatConfig withZone(ZoneId value) {
        return new ChatConfig(limits, rateLimit, welcome, serverName, value, passwordIterations);
    }
}
