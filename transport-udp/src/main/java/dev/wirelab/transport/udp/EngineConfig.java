package dev.wirelab.transport.udp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every knob of a {@link ReliableEngine}, validated. Use a named {@link #profile(String) profile}
 * and adjust it with the {@code with...} methods; both ends of a connection should use the same
 * configuration (the engine assumes the peer's {@code maxAckDelay} is its own, and refuses data
 * frames on channels it does not have).
 *
 * <h2>Profiles</h2>
 * Five named profiles over the one engine, after {@code reference/reliable-udp.md} §5.3. Each value
 * and its reason:
 * <ul>
 *   <li><b>{@code quic-like}</b> (the {@link #defaults() default}): RFC 9002's defaults.
 *     <ul>
 *       <li>congestion {@code NEW_RENO}: RFC 9002 §7's reference controller.</li>
 *       <li>timeout {@code PROBE}: RFC 9002 §6.2, the timer sends probes and the thresholds declare loss.</li>
 *       <li>packetThreshold 3: RFC 9002 kPacketThreshold.</li>
 *       <li>timeThreshold 9/8: RFC 9002 kTimeThreshold.</li>
 *       <li>maxAckDelay 25 ms: RFC 9000's default max_ack_delay.</li>
 *       <li>ackFrequency 2: RFC 9000 §13.2.2, acknowledge at least every second ack-eliciting packet.</li>
 *       <li>initialRtt 333 ms: RFC 9002 kInitialRtt, so the first PTO is about one second.</li>
 *       <li>minRto 0: RFC 9002 has no floor beyond the 1 ms granularity inside the PTO formula.</li>
 *       <li>backoff 2.0: RFC 9002 §6.2.1 doubles the PTO.</li>
 *       <li>interval 0: timers are deadlines, nothing is rounded.</li>
 *     </ul></li>
 *   <li><b>{@code tcp-like}</b>: what Linux TCP does with NewReno.
 *     <ul>
 *       <li>congestion {@code NEW_RENO}: the Reno family (RFC 5681 arithmetic as written in RFC 9002).</li>
 *       <li>timeout {@code RETRANSMIT}: RFC 6298, an expired retransmission timer declares the data lost.</li>
 *       <li>minRto 200 ms: Linux's TCP_RTO_MIN (RFC 6298 itself asks for 1 s).</li>
 *       <li>backoff 2.0: RFC 6298 §5.5.</li>
 *       <li>packetThreshold 3: three duplicate ACKs trigger fast retransmit (RFC 5681).</li>
 *       <li>timeThreshold 0 (off): classic TCP has no time-based loss detection (RACK is a later extra).</li>
 *       <li>maxAckDelay 40 ms, ackFrequency 2: Linux's delayed ACK, every second segment (RFC 1122).</li>
 *       <li>initialRtt 333 ms: makes the first RTO about 1 s, RFC 6298 §2.1.</li>
 *     </ul></li>
 *   <li><b>{@code kcp-default}</b>: KCP's stock behaviour, README "normal" = nodelay 0, interval 40,
 *       resend 0, nc 0.
 *     <ul>
 *       <li>congestion {@code KCP}: KCP's own segment-counting window (cwnd 1 after a timeout).</li>
 *       <li>timeout {@code RETRANSMIT}: KCP resends each segment when its own RTO expires.</li>
 *       <li>packetThreshold 0 and timeThreshold 0: resend 0, no fast resend at all.</li>
 *       <li>minRto 100 ms: IKCP_RTO_MIN; backoff 2.0: nodelay 0 adds {@code max(rto, rx_rto)} per expiry.</li>
 *       <li>initialRtt 66 ms: the first RTO is then about 200 ms, KCP's IKCP_RTO_DEF.</li>
 *       <li>maxAckDelay 0, ackFrequency 1: KCP acknowledges every segment at its next flush.</li>
 *       <li>interval 40 ms: KCP's flush tick; every deadline is rounded up to it (see {@link #interval()}).</li>
 *       <li>sendWindowPackets 128, receiveWindowMessages 128: the windows of KCP's reference test
 *           (stock KCP sends 32 and receives 128).</li>
 *     </ul></li>
 *   <li><b>{@code kcp-nocc}</b>: {@code kcp-default} with congestion {@code NONE} (nc 1), the KCP test
 *       program's "normal" mode.</li>
 *   <li><b>{@code kcp-turbo}</b>: README "turbo" = nodelay 1, interval 10, resend 2, nc 1.
 *     <ul>
 *       <li>congestion {@code NONE}: nc 1.</li>
 *       <li>packetThreshold 2: fast resend once two later packets are acknowledged.</li>
 *       <li>minRto 30 ms: IKCP_RTO_NDL; backoff 1.5: nodelay 1 adds half the RTO per expiry.</li>
 *       <li>interval 10 ms: the turbo tick.</li>
 *     </ul></li>
 * </ul>
 * All profiles share: maxPacketBytes 1184, maxMessageBytes 64 KiB, 8 channels, a 1 MiB receive
 * buffer, a 4096-message / 4 MiB send buffer, 32 ACK ranges, a 1 s keepalive, a 2 s reassembly
 * timeout and a 60 s maximum RTO (RFC 6298 §2.5, KCP's IKCP_RTO_MAX).
 *
 * @param name                  the profile's name, for reports
 * @param maxPacketBytes        largest engine packet; {@link #MAX_PACKET_BYTES_DEFAULT} = 1200 - 16
 * @param maxMessageBytes       largest message {@code send} accepts ({@link Offer#TOO_LARGE} above it)
 * @param channels              independent channels, 1..256; each has its own sequence spaces
 * @param congestion            the congestion controller
 * @param sendWindowPackets     most ack-eliciting packets in flight, whatever the controller says
 * @param receiveWindowMessages how far (in messages) beyond the first missing one a channel accepts
 *                              reliable data; advertised to the sender, which never sends further
 * @param receiveWindowBytes    bytes the receiver holds for partial and out-of-order messages;
 *                              the free part is advertised, the sender keeps unacknowledged
 *                              reliable bytes within it
 * @param sendBufferMessages    messages queued or unacknowledged before {@link Offer#BACK_PRESSURED}
 * @param sendBufferBytes       bytes queued or unacknowledged before {@link Offer#BACK_PRESSURED}
 * @param initialRtt            the RTT assumed before the first sample
 * @param minRto                floor of the retransmission/probe timeout
 * @param maxRto                ceiling of the retransmission/probe timeout, back-off included
 * @param backoff               factor the timeout grows by on each expiry without progress (1..4)
 * @param timeout               what an expired timer does: probe, or declare loss and retransmit
 * @param packetThreshold       a packet is lost once a packet this many numbers later is acknowledged; 0 = off
 * @param timeThreshold         a packet is lost once older than this many RTTs (9/8 in RFC 9002)
 *                              and a later one is acknowledged; 0 = off, else at least 1
 * @param maxAckDelay           longest an ack-eliciting packet waits for its acknowledgement; 0 = immediately
 * @param ackFrequency          acknowledge at once after this many ack-eliciting packets
 * @param maxAckRanges          most ranges in one ACK frame
 * @param interval              KCP-style flush tick: when positive, new data waits for the next tick
 *                              and every deadline is rounded up to a multiple of it; 0 = deadlines only
 * @param keepAlive             silence after which a PING is sent; 0 = never
 * @param reassemblyTimeout     how long a partial unreliable or sequenced message may wait for its
 *                              missing fragments before it is dropped
 */
public record EngineConfig(
        String name,
        int maxPacketBytes,
        int maxMessageBytes,
        int channels,
        Congestion congestion,
        int sendWindowPackets,
        int receiveWindowMessages,
        int receiveWindowBytes,
        int sendBufferMessages,
        int sendBufferBytes,
        Duration initialRtt,
        Duration minRto,
        Duration maxRto,
        double backoff,
        Timeout timeout,
        int packetThreshold,
        double timeThreshold,
        Duration maxAckDelay,
        int ackFrequency,
        int maxAckRanges,
        Duration interval,
        Duration keepAlive,
        Duration reassemblyTimeout) {

    /** The congestion controller. */
    public enum Congestion {
        /** A fixed window of {@link #sendWindowPackets()} packets (KCP {@code nc=1}). */
        NONE,
        /** RFC 9002 §7 NewReno in bytes: slow start, congestion avoidance, one reduction per recovery period. */
        NEW_RENO,
        /**
         * KCP's window in packets (ikcp.c): +1 per acknowledgement that makes progress in slow
         * start, slower above ssthresh; halved on fast resend; back to 1 on a timeout. It also
         * caps how far past a channel's oldest unacknowledged message new data may go, as KCP's
         * window is anchored at {@code snd_una}.
         */
        KCP
    }

    /** What an expired retransmission/probe timer does. */
    public enum Timeout {
        /**
         * RFC 9002 §6.2: the timer runs from the last ack-eliciting packet; on expiry up to two probe
         * packets carry the oldest unacknowledged data (or a PING), nothing is declared lost, and the
         * thresholds decide loss once the probes are acknowledged. Needs a packet or time threshold.
         */
        PROBE,
        /**
         * RFC 6298 and KCP: every packet times out on its own, RTO after it was sent (backed off by how
         * often its frames were already sent); an expired packet is declared lost and all its frames
         * are queued again.
         */
        RETRANSMIT
    }

    /** 1200 (RFC 9000 §14, RFC 8085 §3.2, DESIGN §9) minus the UDP socket layer's 16-byte header. */
    public static final int MAX_PACKET_BYTES_DEFAULT = 1200 - 16;

    /** Smallest {@code maxPacketBytes}: room for headers, an ACK and a useful fragment. */
    public static final int MAX_PACKET_BYTES_MIN = 128;

    /** Largest {@code maxPacketBytes}; keeps every length field a 2-byte varint. */
    public static final int MAX_PACKET_BYTES_MAX = 16383;

    /** 64 KiB: the largest frame on a stream transport (DESIGN §9), so every chat frame fits. */
    public static final int MAX_MESSAGE_BYTES_DEFAULT = 64 * 1024;

    /** Channels when none are chosen: enough for a few rooms plus control traffic. */
    public static final int CHANNELS_DEFAULT = 8;

    /** Largest number of channels: the channel is one byte on the wire. */
    public static final int CHANNELS_MAX = 256;

    /** Most fragments one message may have: the fragment count is 16 bits on the wire. */
    public static final int MAX_FRAGMENTS = 65535;

    /** The profile {@link #defaults()} returns. */
    public static final String DEFAULT_PROFILE = "quic-like";

    private static final List<String> PROFILE_NAMES =
            List.of("tcp-like", "kcp-default", "kcp-nocc", "kcp-turbo", "quic-like");

    /** Validates every knob; throws {@link IllegalArgumentException} naming the bad one. */
    public EngineConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(congestion, "congestion");
        Objects.requireNonNull(initialRtt, "initialRtt");
        Objects.requireNonNull(minRto, "minRto");
        Objects.requireNonNull(maxRto, "maxRto");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxAckDelay, "maxAckDelay");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(reassemblyTimeout, "reassemblyTimeout");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        range("maxPacketBytes", maxPacketBytes, MAX_PACKET_BYTES_MIN, MAX_PACKET_BYTES_MAX);
        range("maxMessageBytes", maxMessageBytes, 1, 64 * 1024 * 1024);
        range("channels", channels, 1, CHANNELS_MAX);
        range("sendWindowPackets", sendWindowPackets, 1, 1 << 20);
        range("receiveWindowMessages", receiveWindowMessages, 1, 1 << 20);
        range("receiveWindowBytes", receiveWindowBytes, maxMessageBytes, Integer.MAX_VALUE);
        range("sendBufferMessages", sendBufferMessages, 1, 1 << 24);
        range("sendBufferBytes", sendBufferBytes, maxMessageBytes, Integer.MAX_VALUE);
        long fragments = fragmentsFor(maxMessageBytes, fragmentPayloadBytes(maxPacketBytes));
        if (fragments > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + " needs " + fragments
                    + " fragments of " + fragmentPayloadBytes(maxPacketBytes) + " bytes; at most "
                    + MAX_FRAGMENTS + " fit the 16-bit fragment count");
        }
        positive("initialRtt", initialRtt);
        nonNegative("minRto", minRto);
        positive("maxRto", maxRto);
        if (maxRto.compareTo(minRto) < 0) {
            throw new IllegalArgumentException("maxRto " + maxRto + " must not be below minRto " + minRto);
        }
        if (maxRto.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("maxRto must be at most an hour: " + maxRto);
        }
        if (!(backoff >= 1.0 && backoff <= 4.0)) {
            throw new IllegalArgumentException("backoff must be from 1 to 4: " + backoff);
        }
        range("packetThreshold", packetThreshold, 0, 1 << 20);
        if (!(timeThreshold == 0 || (timeThreshold >= 1 && timeThreshold <= 16))) {
            throw new IllegalArgumentException("timeThreshold must be 0 (off) or from 1 to 16: " + timeThreshold);
        }
        if (timeout == Timeout.PROBE && packetThreshold == 0 && timeThreshold == 0) {
            throw new IllegalArgumentException(
                    "timeout PROBE declares no loss itself: it needs a packetThreshold or a timeThreshold");
        }
        nonNegative("maxAckDelay", maxAckDelay);
        if (maxAckDelay.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("maxAckDelay must be at most 1 s: " + maxAckDelay);
        }
        range("ackFrequency", ackFrequency, 1, 1024);
        range("maxAckRanges", maxAckRanges, 1, 256);
        nonNegative("interval", interval);
        if (interval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("interval must be at most 1 s: " + interval);
        }
        nonNegative("keepAlive", keepAlive);
        positive("reassemblyTimeout", reassemblyTimeout);
    }

    /** The default profile, {@value #DEFAULT_PROFILE}. */
    public static EngineConfig defaults() {
        return profile(DEFAULT_PROFILE);
    }

    /** The names {@link #profile(String)} accepts, in a fixed order. */
    public static List<String> profileNames() {
        return PROFILE_NAMES;
    }

    /**
     * A named profile (see the class comment for every value and its reason).
     *
     * @throws IllegalArgumentException for a name not in {@link #profileNames()}
     */
    public static EngineConfig profile(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case "quic-like" -> base(name);
            case "tcp-like" -> base(name)
                    .withTimeout(Timeout.RETRANSMIT)
                    .withMinRto(Duration.ofMillis(200))
                    .withTimeThreshold(0)
                    .withMaxAckDelay(Duration.ofMillis(40));
            case "kcp-default" -> kcp(name, Congestion.KCP);
            case "kcp-nocc" -> kcp(name, Congestion.NONE);
            case "kcp-turbo" -> kcp(name, Congestion.NONE)
                    .withPacketThreshold(2)
                    .withMinRto(Duration.ofMillis(30))
                    .withBackoff(1.5)
                    .withInterval(Duration.ofMillis(10));
            default -> throw new IllegalArgumentException(
                    "unknown engine profile '" + name + "'; known: " + String.join(", ", PROFILE_NAMES));
        };
    }

    private static EngineConfig base(String name) {
        return new EngineConfig(name, MAX_PACKET_BYTES_DEFAULT, MAX_MESSAGE_BYTES_DEFAULT, CHANNELS_DEFAULT,
                Congestion.NEW_RENO, 1024, 1024, 1024 * 1024, 4096, 4 * 1024 * 1024,
                Duration.ofMillis(333), Duration.ZERO, Duration.ofSeconds(60), 2.0, Timeout.PROBE,
                3, 9.0 / 8.0, Duration.ofMillis(25), 2, 32, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(2));
    }

    private static EngineConfig kcp(String name, Congestion congestion) {
        return base(name)
                .withCongestion(congestion)
                .withTimeout(Timeout.RETRANSMIT)
                .withSendWindowPackets(128)
                .withReceiveWindowMessages(128)
                .withMinRto(Duration.ofMillis(100))
                .withInitialRtt(Duration.ofMillis(66))
                .withPacketThreshold(0)
                .withTimeThreshold(0)
                .withMaxAckDelay(Duration.ZERO)
                .withAckFrequency(1)
                .withInterval(Duration.ofMillis(40));
    }

    // ------------------------------------------------------------------------------ derived values

    /** Bytes of message payload one fragment carries: the packet less every header and an ACK's reserve. */
    public int fragmentPayloadBytes() {
        return fragmentPayloadBytes(maxPacketBytes);
    }

    /** Fragments a message of {@code messageBytes} is cut into (at least 1). */
    public int fragmentsFor(int messageBytes) {
        return (int) fragmentsFor(messageBytes, fragmentPayloadBytes());
    }

    long intervalNanos() {
        return interval.toNanos();
    }

    /** Timer granularity: 1 ms (RFC 9002 kGranularity), or the tick when it is longer (KCP). */
    long granularityNanos() {
        return Math.max(1_000_000L, interval.toNanos());
    }

    private static int fragmentPayloadBytes(int maxPacketBytes) {
        return maxPacketBytes - PacketCodec.PACKET_OVERHEAD_MAX - PacketCodec.ACK_RESERVE
                - PacketCodec.DATA_HEADER_MAX;
    }

    private static long fragmentsFor(long messageBytes, int payload) {
        return Math.max(1, (messageBytes + payload - 1) / payload);
    }

    // ------------------------------------------------------------------------------------ withers

    public EngineConfig withName(String v) {
        return new EngineConfig(v, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withMaxPacketBytes(int v) {
        return new EngineConfig(name, v, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withMaxMessageBytes(int v) {
        return new EngineConfig(name, maxPacketBytes, v, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withChannels(int v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, v, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withCongestion(Congestion v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, v, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withSendWindowPackets(int v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, v,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withReceiveWindowMessages(int v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                v, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withReceiveWindowBytes(int v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, v, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    /** Both send-buffer limits at once. */
    public EngineConfig withSendBuffer(int messages, int bytes) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, messages, bytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withInitialRtt(Duration v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, v, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withMinRto(Duration v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, v,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withMaxRto(Duration v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                v, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withBackoff(double v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, v, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withTimeout(Timeout v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, v, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withPacketThreshold(int v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, v, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withTimeThreshold(double v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, v, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withMaxAckDelay(Duration v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, v, ackFrequency, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withAckFrequency(int v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, v, maxAckRanges,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withMaxAckRanges(int v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, v,
                interval, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withInterval(Duration v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                v, keepAlive, reassemblyTimeout);
    }

    public EngineConfig withKeepAlive(Duration v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, v, reassemblyTimeout);
    }

    public EngineConfig withReassemblyTimeout(Duration v) {
        return new EngineConfig(name, maxPacketBytes, maxMessageBytes, channels, congestion, sendWindowPackets,
                receiveWindowMessages, receiveWindowBytes, sendBufferMessages, sendBufferBytes, initialRtt, minRto,
                maxRto, backoff, timeout, packetThreshold, timeThreshold, maxAckDelay, ackFrequency, maxAckRanges,
                interval, keepAlive, v);
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ": " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void nonNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
