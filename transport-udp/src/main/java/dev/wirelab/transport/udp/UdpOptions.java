package dev.wirelab.transport.udp;

import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Everything a {@link UdpTransport} can be told, with defaults argued for below; tests shrink the
 * durations with the {@code with...} methods instead of waiting seconds.
 *
 * <p>From {@link Limits} the transport uses {@link Limits#udpMaxDatagramBytes()} (largest datagram
 * sent or accepted, 1200 by default) and {@link Limits#writeDeadline()} (longest a sender waits for
 * the send window to open before the connection counts as {@code LOST}). The UDP-specific durations
 * live here, because UDP has no FIN and no kernel retransmission to lean on: TCP's
 * {@link Limits#idleTimeout()} (300 s) is not used.
 *
 * @param limits                    datagram size and write deadline
 * @param delivery                  what {@code send(frame)} without a delivery uses: the server's
 *                                  {@code --delivery}; RELIABLE_ORDERED by default, as chat needs
 * @param engine                    the reliability engine's profile ({@code quic-like} by default); the
 *                                  transport overrides its packet budget (datagram limit minus the
 *                                  16-byte header), caps its message size at the framing's limit and
 *                                  sets its keepalive to {@code keepaliveInterval}
 * @param impairment                what this side's sending link does to every datagram it sends
 *                                  (handshake included): loss, delay, copies, corruption, seeded;
 *                                  {@link Impairment#NONE} by default
 * @param handshakeTimeout          how long {@code connect} tries before it throws
 *                                  {@link java.net.ConnectException} (2 s: a loopback or LAN handshake
 *                                  takes well under a millisecond, and connecting where nothing listens
 *                                  must fail about as fast as it does on TCP)
 * @param handshakeRetry            the first HELLO retransmission interval; doubles per retry up to
 *                                  four times this (200 ms)
 * @param keepaliveInterval         the engine sends a PING when a connection has sent nothing for this
 *                                  long (1 s, the reference design's default); shorter than the idle timeout
 * @param idleTimeout               a connection that has received nothing for this long ends as
 *                                  {@code LOST}: the peer died without a CLOSE (10 s: ten keepalives)
 * @param closeLinger               how long {@code close()} waits for everything sent to be
 *                                  acknowledged before the CLOSE goes out (1 s), and how long a
 *                                  side told by a CLOSE that frames are still on the way waits for them
 * @param cookieLifetime            the cookie time bucket (30 s); a cookie is valid for one to two buckets
 * @param cookiesPerSecondPerSource COOKIE (and repeated ACCEPT) replies per second one source IP may
 *                                  draw, and its burst (50: fifty clients on one host may connect at once)
 * @param cookiesPerSecond          such replies per second for the whole listener, and its burst (2000)
 * @param maxConnections            connections one listener holds at once; HELLOs beyond are dropped (1024)
 * @param receiveQueueBytes         bytes of delivered frames a connection holds for a reader that does
 *                                  not keep up (each frame counted with 64 bytes of overhead): the
 *                                  receive window advertised to the peer shrinks by what reliable
 *                                  frames wait unread, so a slow reader stops the peer's sender rather
 *                                  than losing anything; unreliable frames past it are dropped (4 MiB)
 * @param clock                     wall clock for the cookie buckets
 * @param nanoClock                 monotonic clock for the engine, timers and rate limits; it must run
 *                                  with real time, since timers wait on it
 * @param random                    connection ids, nonces and cookie secrets ({@link SecureRandom} by
 *                                  default; a seeded generator makes runs repeatable). The transport
 *                                  serialises its calls; do not share a non-thread-safe generator
 *                                  between transports
 */
public record UdpOptions(
        Limits limits,
        Delivery delivery,
        EngineConfig engine,
        Impairment impairment,
        Duration handshakeTimeout,
        Duration handshakeRetry,
        Duration keepaliveInterval,
        Duration idleTimeout,
        Duration closeLinger,
        Duration cookieLifetime,
        int cookiesPerSecondPerSource,
        int cookiesPerSecond,
        int maxConnections,
        int receiveQueueBytes,
        InstantSource clock,
        LongSupplier nanoClock,
        RandomGenerator random) {

    /** The reliability profile used unless told otherwise. */
    public static final String PROFILE_DEFAULT = "quic-like";
    public static final Duration HANDSHAKE_TIMEOUT_DEFAULT = Duration.ofSeconds(2);
    public static final Duration HANDSHAKE_RETRY_DEFAULT = Duration.ofMillis(200);
    public static final Duration KEEPALIVE_INTERVAL_DEFAULT = Duration.ofSeconds(1);
    public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    public static final Duration CLOSE_LINGER_DEFAULT = Duration.ofSeconds(1);
    public static final Duration COOKIE_LIFETIME_DEFAULT = Duration.ofSeconds(30);
    public static final int COOKIES_PER_SECOND_PER_SOURCE_DEFAULT = 50;
    public static final int COOKIES_PER_SECOND_DEFAULT = 2000;
    public static final int MAX_CONNECTIONS_DEFAULT = 1024;
    public static final int RECEIVE_QUEUE_BYTES_DEFAULT = 4 * 1024 * 1024;
    /** Largest UDP payload over IPv4 (65,535 - 20 - 8). */
    public static final int MAX_DATAGRAM_CEILING = 65_507;
    /** Smallest datagram limit that leaves the engine a useful packet behind the header. */
    public static final int MIN_DATAGRAM_FLOOR = 256;

    public UdpOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(impairment, "impairment");
        positive(handshakeTimeout, "handshakeTimeout");
        positive(handshakeRetry, "handshakeRetry");
        positive(keepaliveInterval, "keepaliveInterval");
        positive(idleTimeout, "idleTimeout");
        Objects.requireNonNull(closeLinger, "closeLinger");
        if (closeLinger.isNegative()) {
            throw new IllegalArgumentException("closeLinger must not be negative: " + closeLinger);
        }
        if (idleTimeout.compareTo(keepaliveInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout " + idleTimeout + " must be longer than keepaliveInterval "
                    + keepaliveInterval + ", or live peers would time out");
        }
        positive(cookieLifetime, "cookieLifetime");
        positive(cookiesPerSecondPerSource, "cookiesPerSecondPerSource");
        positive(cookiesPerSecond, "cookiesPerSecond");
        positive(maxConnections, "maxConnections");
        positive(receiveQueueBytes, "receiveQueueBytes");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(random, "random");
        int datagram = limits.udpMaxDatagramBytes();
        if (datagram < MIN_DATAGRAM_FLOOR || datagram > MAX_DATAGRAM_CEILING) {
            throw new IllegalArgumentException("udpMaxDatagramBytes must be from " + MIN_DATAGRAM_FLOOR + " to "
                    + MAX_DATAGRAM_CEILING + ": " + datagram);
        }
    }

    /** The defaults: {@link Limits#DEFAULTS}, RELIABLE_ORDERED, {@code quic-like}, no impairment, the system clocks. */
    public static UdpOptions defaults() {
        return new UdpOptions(Limits.DEFAULTS, Delivery.RELIABLE_ORDERED, EngineConfig.profile(PROFILE_DEFAULT),
                Impairment.NONE, HANDSHAKE_TIMEOUT_DEFAULT, HANDSHAKE_RETRY_DEFAULT, KEEPALIVE_INTERVAL_DEFAULT,
                IDLE_TIMEOUT_DEFAULT, CLOSE_LINGER_DEFAULT, COOKIE_LIFETIME_DEFAULT,
                COOKIES_PER_SECOND_PER_SOURCE_DEFAULT, COOKIES_PER_SECOND_DEFAULT, MAX_CONNECTIONS_DEFAULT,
                RECEIVE_QUEUE_BYTES_DEFAULT, InstantSource.system(), System::nanoTime, new SecureRandom());
    }

    public UdpOptions withLimits(Limits value) {
        return new UdpOptions(value, delivery, engine, impairment, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, receiveQueueBytes, clock, nanoClock, random);
    }

    /** The same options with another largest datagram (both ends must agree on it). */
    public UdpOptions withMaxDatagramBytes(int value) {
        return withLimits(limits.withUdpMaxDatagramBytes(value));
    }

    public UdpOptions withDelivery(Delivery value) {
        return new UdpOptions(limits, value, engine, impairment, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, receiveQueueBytes, clock, nanoClock, random);
    }

    public UdpOptions withEngine(EngineConfig value) {
        return new UdpOptions(limits, delivery, value, impairment, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, receiveQueueBytes, clock, nanoClock, random);
    }

    /** The same options with the named engine profile; see {@link EngineConfig#profileNames()}. */
    public UdpOptions withProfile(String name) {
        return withEngine(EngineConfig.profile(name));
    }

    public UdpOptions withImpairment(Impairment value) {
        return new UdpOptions(limits, delivery, engine, value, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, receiveQueueBytes, clock, nanoClock, random);
    }

    public UdpOptions withHandshake(Duration timeout, Duration retry) {
        return new UdpOptions(limits, delivery, engine, impairment, timeout, retry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, receiveQueueBytes, clock, nanoClock, random);
    }

    /** The same options with another keepalive interval, idle timeout and close linger. */
    public UdpOptions withTimeouts(Duration keepalive, Duration idle, Duration linger) {
        return new UdpOptions(limits, delivery, engine, impairment, handshakeTimeout, handshakeRetry,
                keepalive, idle, linger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, receiveQueueBytes, clock, nanoClock, random);
    }

    public UdpOptions withCookieRules(Duration lifetime, int perSecondPerSource, int perSecond) {
        return new UdpOptions(limits, delivery, engine, impairment, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, lifetime, perSecondPerSource,
                perSecond, maxConnections, receiveQueueBytes, clock, nanoClock, random);
    }

    public UdpOptions withMaxConnections(int value) {
        return new UdpOptions(limits, delivery, engine, impairment, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, value, receiveQueueBytes, clock, nanoClock, random);
    }

    public UdpOptions withReceiveQueueBytes(int value) {
        return new UdpOptions(limits, delivery, engine, impairment, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, value, clock, nanoClock, random);
    }

    /** The same options with other clocks and another source of randomness. */
    public UdpOptions withClocks(InstantSource wallClock, LongSupplier nanos, RandomGenerator randomness) {
        return new UdpOptions(limits, delivery, engine, impairment, handshakeTimeout, handshakeRetry,
                keepaliveInterval, idleTimeout, closeLinger, cookieLifetime, cookiesPerSecondPerSource,
                cookiesPerSecond, maxConnections, receiveQueueBytes, wallClock, nanos, randomness);
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
