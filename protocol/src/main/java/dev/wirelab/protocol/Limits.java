package dev.wirelab.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit the chat enforces, in one place. {@link #DEFAULTS} holds the values argued for in
 * {@code reference/limits-and-bad-input.md} and DESIGN §9; tests shrink them with the
 * {@code with...} methods instead of sending megabytes or waiting minutes.
 *
 * @param maxFrameBytes           largest frame on a stream, delimiter or length prefix excluded.
 *                                64 KiB: far above any chat message, small enough to buffer per connection
 * @param maxTextBytes            largest chat text, in UTF-8 bytes (4 KiB)
 * @param maxNameLength           longest user name (32 characters, as ergo's NICKLEN)
 * @param maxRoomNameLength       longest room name (64 characters, as ergo's CHANNELLEN)
 * @param maxJsonDepth            deepest JSON nesting accepted (32; a chat request needs 3)
 * @param maxJsonNumberLength     longest JSON number literal (32 characters; no BigInteger blow-up)
 * @param historyPerRoom          messages kept per room (1000)
 * @param historyPageDefault      messages in a page when the request names no limit (20, as the seed)
 * @param historyPageMax          most messages in one page (100)
 * @param sendQueueBytes          bytes queued for a slow client before it is disconnected (256 KiB)
 * @param writeDeadline           longest one write may block before the client counts as stuck (10 s)
 * @param lineCompletion          time a frame may take from its first byte to its last (10 s; slowloris)
 * @param idleTimeout             silence after which a connection is dropped (300 s, the seed's read deadline;
 *                                wirelab's client pings after 60 s of quiet, so only silent peers go)
 * @param registrationTimeout     time a new connection has to register before it is dropped (60 s, as ergo: people
 *                                exploring by hand with the seed's client need time)
 * @param messagesBeforeRegister  requests allowed before registering (32)
 * @param udpMaxDatagramBytes     largest UDP datagram sent or accepted (1200: RFC 9000 §14, RFC 8085 §3.2)
 * @param maxClients              connections a server holds at once, registered or not (1024); more are refused
 * @param maxUnregistered         connections not yet registered a server holds at once (64, as InspIRCd's
 *                                unregistered class); more are refused, so slow or silent sockets (slowloris)
 *                                cannot use up the server while registered clients still get in
 * @param maxClientsPerAddress    connections one IP address may hold at once (16, as ergo); see {@code capLoopback}
 * @param capLoopback             whether {@code maxClientsPerAddress} applies to loopback peers too (false: every
 *                                local test, lab run and benchmark connects from 127.0.0.1 or ::1, and one machine
 *                                is one user; a test that means to check the per-address cap turns it on)
 */
public record Limits(
        int maxFrameBytes,
        int maxTextBytes,
        int maxNameLength,
        int maxRoomNameLength,
        int maxJsonDepth,
        int maxJsonNumberLength,
        int historyPerRoom,
        int historyPageDefault,
        int historyPageMax,
        int sendQueueBytes,
        Duration writeDeadline,
        Duration lineCompletion,
        Duration idleTimeout,
        Duration registrationTimeout,
        int messagesBeforeRegister,
        int udpMaxDatagramBytes,
        int maxClients,
        int maxUnregistered,
        int maxClientsPerAddress,
        boolean capLoopback) {

    /** Connections at once, registered or not (the reference's 1024). */
    public static final int MAX_CLIENTS_DEFAULT = 1024;

    /** Connections at once that have not registered yet (the reference's 64). */
    public static final int MAX_UNREGISTERED_DEFAULT = 64;

    /** Connections at once from one IP address, loopback excepted unless {@link #capLoopback()} (16, as ergo). */
    public static final int MAX_CLIENTS_PER_ADDRESS_DEFAULT = 16;

    /** The defaults; see each component. */
    public static final Limits DEFAULTS = new Limits(
            64 * 1024,
            4 * 1024,
            32,
            64,
            32,
            32,
            1000,
            20,
            100,
            256 * 1024,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(300),
            Duration.ofSeconds(60),
            32,
            1200,
            MAX_CLIENTS_DEFAULT,
            MAX_UNREGISTERED_DEFAULT,
            MAX_CLIENTS_PER_ADDRESS_DEFAULT,
            false);

    /**
     * The limits before the connection caps existed, with the caps at their defaults. Kept so code
     * written against the sixteen components still compiles and links.
     */
    public Limits(int maxFrameBytes, int maxTextBytes, int maxNameLength, int maxRoomNameLength, int maxJsonDepth,
                  int maxJsonNumberLength, int historyPerRoom, int historyPageDefault, int historyPageMax,
                  int sendQueueBytes, Duration writeDeadline, Duration lineCompletion, Duration idleTimeout,
                  Duration registrationTimeout, int messagesBeforeRegister, int udpMaxDatagramBytes) {
        this(maxFrameBytes, maxTextBytes, maxNameLength, maxRoomNameLength, maxJsonDepth, maxJsonNumberLength,
                historyPerRoom, historyPageDefault, historyPageMax, sendQueueBytes, writeDeadline, lineCompletion,
                idleTimeout, registrationTimeout, messagesBeforeRegister, udpMaxDatagramBytes,
                MAX_CLIENTS_DEFAULT, MAX_UNREGISTERED_DEFAULT, MAX_CLIENTS_PER_ADDRESS_DEFAULT, false);
    }

    public Limits {
        Checks.positive(maxFrameBytes, "maxFrameBytes");
        Checks.positive(maxTextBytes, "maxTextBytes");
        Checks.positive(maxNameLength, "maxNameLength");
        Checks.positive(maxRoomNameLength, "maxRoomNameLength");
        Checks.positive(maxJsonDepth, "maxJsonDepth");
        Checks.positive(maxJsonNumberLength, "maxJsonNumberLength");
        Checks.positive(historyPerRoom, "historyPerRoom");
        Checks.positive(historyPageDefault, "historyPageDefault");
        Checks.positive(historyPageMax, "historyPageMax");
        Checks.positive(sendQueueBytes, "sendQueueBytes");
        positive(writeDeadline, "writeDeadline");
        positive(lineCompletion, "lineCompletion");
        positive(idleTimeout, "idleTimeout");
        positive(registrationTimeout, "registrationTimeout");
        Checks.positive(messagesBeforeRegister, "messagesBeforeRegister");
        Checks.positive(udpMaxDatagramBytes, "udpMaxDatagramBytes");
        Checks.positive(maxClients, "maxClients");
        Checks.positive(maxUnregistered, "maxUnregistered");
        Checks.positive(maxClientsPerAddress, "maxClientsPerAddress");
        if (maxTextBytes > maxFrameBytes) {
            throw new IllegalArgumentException("maxTextBytes " + maxTextBytes + " exceeds maxFrameBytes " + maxFrameBytes);
        }
        if (historyPageDefault > historyPageMax) {
            throw new IllegalArgumentException("historyPageDefault exceeds historyPageMax");
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    public Limits withMaxFrameBytes(int value) {
        return new Limits(value, Math.min(maxTextBytes, value), maxNameLength, maxRoomNameLength, maxJsonDepth,
                maxJsonNumberLength, historyPerRoom, historyPageDefault, historyPageMax, sendQueueBytes,
                writeDeadline, lineCompletion, idleTimeout, registrationTimeout, messagesBeforeRegister,
                udpMaxDatagramBytes, maxClients, maxUnregistered, maxClientsPerAddress, capLoopback);
    }

    public Limits withMaxTextBytes(int value) {
        return new Limits(maxFrameBytes, value, maxNameLength, maxRoomNameLength, maxJsonDepth,
                maxJsonNumberLength, historyPerRoom, historyPageDefault, historyPageMax, sendQueueBytes,
                writeDeadline, lineCompletion, idleTimeout, registrationTimeout, messagesBeforeRegister,
                udpMaxDatagramBytes, maxClients, maxUnregistered, maxClientsPerAddress, capLoopback);
    }

    public Limits withHistory(int perRoom, int pageDefault, int pageMax) {
        return new Limits(maxFrameBytes, maxTextBytes, maxNameLength, maxRoomNameLength, maxJsonDepth,
                maxJsonNumberLength, perRoom, pageDefault, pageMax, sendQueueBytes,
                writeDeadline, lineCompletion, idleTimeout, registrationTimeout, messagesBeforeRegister,
                udpMaxDatagramBytes, maxClients, maxUnregistered, maxClientsPerAddress, capLoopback);
    }

    public Limits withSendQueueBytes(int value) {
        return new Limits(maxFrameBytes, maxTextBytes, maxNameLength, maxRoomNameLength, maxJsonDepth,
                maxJsonNumberLength, historyPerRoom, historyPageDefault, historyPageMax, value,
                writeDeadline, lineCompletion, idleTimeout, registrationTimeout, messagesBeforeRegister,
                udpMaxDatagramBytes, maxClients, maxUnregistered, maxClientsPerAddress, capLoopback);
    }

    public Limits withTimeouts(Duration write, Duration line, Duration idle, Duration registration) {
        return new Limits(maxFrameBytes, maxTextBytes, maxNameLength, maxRoomNameLength, maxJsonDepth,
                maxJsonNumberLength, historyPerRoom, historyPageDefault, historyPageMax, sendQueueBytes,
                write, line, idle, registration, messagesBeforeRegister, udpMaxDatagramBytes,
                maxClients, maxUnregistered, maxClientsPerAddress, capLoopback);
    }

    /**
     * The same limits with other connection caps. Tests that open hundreds of sockets from
     * 127.0.0.1 raise them; tests of the caps shrink them.
     */
    public Limits withConnectionCaps(int clients, int unregistered, int perAddress, boolean loopbackToo) {
        return new Limits(maxFrameBytes, maxTextBytes, maxNameLength, maxRoomNameLength, maxJsonDepth,
                maxJsonNumberLength, historyPerRoom, historyPageDefault, historyPageMax, sendQueueBytes,
                writeDeadline, lineCompletion, idleTimeout, registrationTimeout, messagesBeforeRegister,
                udpMaxDatagramBytes, clients, unregistered, perAddress, loopbackToo);
    }

    /** The same limits with another largest UDP datagram. */
    public Limits withUdpMaxDatagramBytes(int value) {
        return new Limits(maxFrameBytes, maxTextBytes, maxNameLength, maxRoomNameLength, maxJsonDepth,
                maxJsonNumberLength, historyPerRoom, historyPageDefault, historyPageMax, sendQueueBytes,
                writeDeadline, lineCompletion, idleTimeout, registrationTimeout, messagesBeforeRegister,
                value, maxClients, maxUnregistered, maxClientsPerAddress, capLoopback);
    }
}
