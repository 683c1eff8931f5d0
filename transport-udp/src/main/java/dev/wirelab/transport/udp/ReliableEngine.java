package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One connection's reliability over datagrams: delivery modes, channels, acknowledgements, loss
 * recovery, flow and congestion control, fragmentation and keepalive. Pure and single-threaded: the
 * caller serialises every call; the clock is injected as {@code nowNanos} arguments (any monotonic
 * nanosecond clock, never going backwards); there are no timers of its own. Packets leave through
 * {@link EngineOutput#transmit} and messages arrive through {@link EngineOutput#deliver}, both called
 * synchronously from inside {@link #send}, {@link #receive} and {@link #tick}. The same code runs under
 * {@link LinkSimulator} in simulated time and under the UDP socket transport in real time.
 *
 * <h2>How it works</h2>
 * <ul>
 *   <li><b>Two numbering layers</b> (QUIC, RakNet): packet numbers only increase and are never
 *       reused, so a retransmitted frame travels in a new packet and every ACK gives a clean RTT
 *       sample; messages are numbered per channel and per delivery mode.</li>
 *   <li><b>ACK frames</b> carry the largest packet number received, the ack delay and up to
 *       {@link EngineConfig#maxAckRanges()} ranges (SACK), plus the receive window. An ACK rides on
 *       every outgoing packet when there is anything to acknowledge; an ack-eliciting packet is
 *       acknowledged within {@link EngineConfig#maxAckDelay()}, at once after
 *       {@link EngineConfig#ackFrequency()} of them, and at once when one arrives out of order.</li>
 *   <li><b>Loss detection</b> per RFC 9002 ({@link LossDetector}): packet threshold, time threshold
 *       {@code 9/8 * max(srtt, latest rtt)}, and a timer {@code srtt + max(4 rttvar, granularity) +
 *       maxAckDelay} (at least {@link EngineConfig#minRto()}) backed off by
 *       {@link EngineConfig#backoff()}; on expiry it probes ({@code PROBE}) or declares the expired
 *       packets lost ({@code RETRANSMIT}). Every packet that meets a threshold is declared lost in
 *       the same pass, and all of their reliable frames are queued again at once: every gap is
 *       repaired in one round trip. RTT per RFC 6298 ({@link RttEstimator}).</li>
 *   <li><b>Spurious retransmits</b>: a frame acknowledged through an older copy after it was sent
 *       again is counted; a frame already acknowledged is never sent again.</li>
 *   <li><b>Duplicate suppression</b>: duplicate packets are dropped by number; duplicate frames (after
 *       a spurious retransmit) by each channel's window of delivered messages.</li>
 *   <li><b>Flow control</b>: a channel accepts reliable messages at most
 *       {@link EngineConfig#receiveWindowMessages()} past its first missing one, and the receiver
 *       holds at most {@link EngineConfig#receiveWindowBytes()} of partial and waiting messages; both
 *       are advertised in every ACK. The sender never sends past the first, keeps its unacknowledged
 *       reliable bytes within the free part of the second, and answers {@link Offer#BACK_PRESSURED}
 *       when its own send buffer is full. A packet whose reliable data does not fit anyway is refused
 *       whole and unacknowledged, so the sender repairs it later. When the application reads later
 *       ({@link EngineOutput#unreadLimitBytes()}), reliable messages delivered and not yet
 *       {@linkplain #consumed consumed} count against the byte window too, so a slow reader stops
 *       the sender (a zero window stops new reliable data until an ACK opens it), and the read that
 *       reopens the window sends a window update at once.</li>
 *   <li><b>Congestion control</b>: {@link CongestionControl} (none, NewReno, KCP's window). PTO probes
 *       may exceed it, as RFC 9002 requires.</li>
 *   <li><b>Fragmentation</b>: a message larger than {@link EngineConfig#fragmentPayloadBytes()} is cut
 *       into up to 65535 fragments; {@link Reassembler} puts them back together under the receive
 *       memory cap; partial unreliable messages time out after
 *       {@link EngineConfig#reassemblyTimeout()}, partial reliable ones are repaired.</li>
 *   <li><b>Keepalive</b>: after {@link EngineConfig#keepAlive()} without sending anything, a PING. Not
 *       while ack-eliciting packets are in flight: then the probe/retransmission timer already
 *       elicits the peer's packets, and a PING would restart the probe timer and starve it.</li>
 *   <li><b>Timers are deadlines</b>: {@link #nextDeadlineNanos()} is the earliest of the ack, loss,
 *       probe/retransmission, keepalive and reassembly deadlines. With a positive
 *       {@link EngineConfig#interval()} (the {@code kcp-*} profiles) the engine imitates KCP's flush
 *       tick: new data, ACKs and everything else wait for the next multiple of the interval since
 *       the engine was created, and every deadline is rounded up to one.</li>
 * </ul>
 *
 * <h2>Packet format</h2>
 * See {@link PacketCodec} for the diagrams: a version byte, a varint packet number, frames (PING, ACK,
 * DATA), a CRC32C. Garbage, truncated, corrupted or stale packets are counted and dropped, never
 * thrown; nothing a peer sends makes the engine allocate without bound.
 */
public final class ReliableEngine {

    private static final long NEVER = Long.MAX_VALUE;
    private static final int PROBE_PACKETS = 2;
    private static final int MODES = 4;

    private final EngineConfig config;
    private final EngineOutput output;
    private final long origin;
    private final long interval;
    private final long keepAlive;
    private final long maxAckDelay;
    private final int fragmentPayload;
    private final RttEstimator rtt;
    private final CongestionControl cc;
    private final LossDetector loss;
    private final SendStream[] sendStreams;
    private final ReceiveStream[] receiveStreams;
    private final ArrayDeque<OutFrame> retransmits = new ArrayDeque<>();
    private final AckRanges received;
    private final Reassembler reassembler;

    // send side
    private long nextPacketNumber;
    private long nextOrdinal;
    private long lastSentNanos;
    private int rrCursor;
    private int candidateStream = -1;
    private int pendingNewFrames;
    private int bufferedMessages;
    private long bufferedBytes;
    private long unackedReliableBytes;
    private long peerWindowMessages;
    private long peerWindowBytes;
    private long peerWindowPacket = -1;
    private int ptoCount;
    private int probesPending;
    private long flushAt = NEVER;

    // receive side
    private long largestReceivedNanos;
    private boolean ackPending;
    private int ackElicitingUnacked;
    private long ackDeadline = NEVER;
    /** The output's {@link EngineOutput#unreadLimitBytes()}, read once: {@link Long#MAX_VALUE} for none. */
    private final long unreadLimit;
    /** Bytes delivered and not yet {@linkplain #consumed consumed}, each with {@link #UNREAD_OVERHEAD_BYTES}. */
    private long unread;
    /** A window update is due: the application read enough to reopen a window the peer saw (nearly) closed. */
    private boolean windowUpdate;
    private long lastReceivedNanos;

    // counters
    private long datagramsOut;
    private long bytesOut;
    private long datagramsIn;
    private long bytesIn;
    private long messagesSent;
    private long payloadBytesSent;
    private long backPressured;
    private long messagesDelivered;
    private long bytesDelivered;
    private long fastRetransmits;
    private long timeThresholdRetransmits;
    private long ptoRetransmits;
    private long spuriousRetransmits;
    private long packetsLost;
    private long spuriousLosses;
    private long duplicatePackets;
    private long duplicateFrames;
    private long outOfOrderBuffered;
    private long holWaitTotal;
    private long holWaitMax;
    private long packetsDroppedStale;
    private long messagesDroppedStale;
    private long packetsRefused;
    private long badPackets;
    private long pingsSent;
    private long acksSent;

    /** What each delivered message counts for against {@link EngineOutput#unreadLimitBytes()}, besides its bytes. */
    public static final int UNREAD_OVERHEAD_BYTES = 64;

    /**
     * Creates an engine.
     *
     * @param config   its configuration (see {@link EngineConfig#profile})
     * @param output   where its packets and messages go
     * @param nowNanos the current time; the KCP-style interval grid starts here
     */
    public ReliableEngine(EngineConfig config, EngineOutput output, long nowNanos) {
        this.config = Objects.requireNonNull(config, "config");
        this.output = Objects.requireNonNull(output, "output");
        this.unreadLimit = output.unreadLimitBytes();
        this.origin = nowNanos;
        this.interval = config.intervalNanos();
        this.keepAlive = config.keepAlive().toNanos();
        this.maxAckDelay = config.maxAckDelay().toNanos();
        this.fragmentPayload = config.fragmentPayloadBytes();
        this.rtt = RttEstimator.of(config);
        this.cc = CongestionControl.create(config);
        this.loss = new LossDetector(config.packetThreshold(), config.timeThreshold());
        int streams = config.channels() * MODES;
        this.sendStreams = new SendStream[streams];
        this.receiveStreams = new ReceiveStream[streams];
        for (int channel = 0; channel < config.channels(); channel++) {
            for (Delivery d : Delivery.values()) {
                int i = streamIndex(channel, d);
                sendStreams[i] = new SendStream(channel, d);
                receiveStreams[i] = new ReceiveStream(channel, d);
            }
        }
        this.received = new AckRanges(Math.max(256, config.maxAckRanges() * 4));
        this.reassembler = new Reassembler(config.receiveWindowBytes(), config.maxMessageBytes(),
                config.reassemblyTimeout().toNanos());
        this.peerWindowMessages = config.receiveWindowMessages();
        this.peerWindowBytes = config.receiveWindowBytes();
        this.lastSentNanos = nowNanos;
        this.lastReceivedNanos = nowNanos;
    }

    /** This engine's configuration. */
    public EngineConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------- sending

    /**
     * Offers one message. A copy is taken; the caller may reuse the array.
     *
     * @param message  the message, 0 to {@link EngineConfig#maxMessageBytes()} bytes
     * @param delivery what the receiver is promised
     * @param channel  0 to {@link EngineConfig#channels()} - 1
     * @return {@link Offer#ACCEPTED}, {@link Offer#BACK_PRESSURED} (send buffer full, nothing taken) or
     *         {@link Offer#TOO_LARGE}
     * @throws IllegalArgumentException if the channel does not exist
     */
    public Offer send(byte[] message, Delivery delivery, int channel, long nowNanos) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(delivery, "delivery");
        if (channel < 0 || channel >= config.channels()) {
            throw new IllegalArgumentException("channel " + channel + " not in 0.." + (config.channels() - 1));
        }
        if (message.length > config.maxMessageBytes()) {
            return Offer.TOO_LARGE;
        }
        if (bufferedMessages + 1 > config.sendBufferMessages()
                || bufferedBytes + message.length > config.sendBufferBytes()) {
            backPressured++;
            return Offer.BACK_PRESSURED;
        }
        SendStream s = sendStreams[streamIndex(channel, delivery)];
        OutMessage m = new OutMessage(channel, delivery, s.nextSeq++, message.clone(), fragmentPayload);
        for (OutFrame f : m.fragments) {
            s.pending.addLast(f);
        }
        pendingNewFrames += m.fragments.length;
        if (m.reliable()) {
            s.unacked.addLast(m);
        }
        bufferedMessages++;
        bufferedBytes += message.length;
        messagesSent++;
        payloadBytesSent += message.length;
        if (interval == 0) {
            flush(nowNanos);
        } else {
            flushAt = Math.min(flushAt, nowNanos);
        }
        return Offer.ACCEPTED;
    }

    // ----------------------------------------------------------------------------------- receiving

    /**
     * Takes one engine packet from the peer. Garbage, truncated, corrupted, duplicate and stale
     * packets are counted in {@link #stats()} and dropped; this never throws on their account.
     */
    public void receive(byte[] packet, int offset, int length, long nowNanos) {
        Objects.requireNonNull(packet, "packet");
        datagramsIn++;
        bytesIn += Math.max(0, length);
        switch (PacketCodec.decode(packet, offset, length, config.channels())) {
            case PacketCodec.Decoded.Bad bad -> badPackets++;
            case PacketCodec.Decoded.Ok ok -> onPacket(ok.packet(), nowNanos);
        }
        if (interval == 0) {
            flush(nowNanos);
        } else if (pendingNewFrames > 0 || !retransmits.isEmpty()) {
            flushAt = Math.min(flushAt, nowNanos);
        }
    }

    private void onPacket(PacketCodec.Packet p, long now) {
        long pn = p.number();
        if (received.isBelowFloor(pn)) {
            packetsDroppedStale++;
            return;
        }
        if (received.contains(pn)) {
            duplicatePackets++;
            return;
        }
        if (p.ack().isPresent() && p.ack().get().largest() >= nextPacketNumber) {
            badPackets++; // acknowledges a packet never sent: forged or broken
            return;
        }
        lastReceivedNanos = now;
        if (!admit(p)) {
            packetsRefused++;
            return;
        }
        long largestBefore = received.largest();
        received.add(pn);
        if (pn > largestBefore) {
            largestReceivedNanos = now;
        }
        if (p.ackEliciting()) {
            ackElicitingUnacked++;
            ackPending = true;
            if (maxAckDelay == 0 || pn != largestBefore + 1 || ackElicitingUnacked >= config.ackFrequency()) {
                ackDeadline = Math.min(ackDeadline, now);
            } else if (ackDeadline == NEVER) {
                ackDeadline = now + maxAckDelay;
            }
        }
        p.ack().ifPresent(a -> onAck(a, pn, now));
        for (PacketCodec.DataFrame f : p.data()) {
            onData(f, now);
        }
    }

    /** Whether every reliable frame of the packet fits the receive windows (else the packet is refused). */
    private boolean admit(PacketCodec.Packet p) {
        long need = 0;
        long reaching = 0;
        boolean beyondBase = false;
        for (PacketCodec.DataFrame f : p.data()) {
            if (!f.delivery().reliable()) {
                continue;
            }
            int idx = streamIndex(f.channel(), f.delivery());
            ReceiveStream s = receiveStreams[idx];
            if (s.alreadyHave(f.seq())) {
                continue;
            }
            if (f.seq() - s.base >= config.receiveWindowMessages()) {
                return false;
            }
            long add;
            if (f.fragmented()) {
                add = reassembler.bytesToAdd(idx, true, f.seq(), f.fragmentIndex(), f.payload().length);
            } else if (f.delivery() == Delivery.RELIABLE_ORDERED && f.seq() != s.base) {
                add = f.payload().length + Reassembler.MESSAGE_OVERHEAD;
            } else {
                add = 0;
            }
            if (add > 0) {
                need += add;
                beyondBase |= f.seq() != s.base;
            }
            reaching += f.payload().length + UNREAD_OVERHEAD_BYTES;
        }
        // What the application has not read counts against its limit. The advertised window keeps a
        // sender within the limit but for the one message it may send whenever the window is open
        // and nothing is outstanding; room for that one more message means a sender that keeps to
        // the window is never refused (and never waits out a probe timeout for it).
        long waiting = unread + reassembler.held();
        if (reaching > 0 && waiting > 0 && unreadLimit != Long.MAX_VALUE
                && waiting + reaching > unreadLimit + config.maxMessageBytes() + UNREAD_OVERHEAD_BYTES) {
            return false;
        }
        if (need == 0) {
            return true;
        }
        return reassembler.held() + need <= reliableLimit(beyondBase);
    }

    /** The fragment a channel is waiting for may use one message more than the cap, so a full buffer cannot deadlock. */
    private long reliableLimit(boolean beyondBase) {
        return reassembler.capacity() + (beyondBase ? 0 : config.maxMessageBytes());
    }

    private void onData(PacketCodec.DataFrame f, long now) {
        int idx = streamIndex(f.channel(), f.delivery());
        ReceiveStream s = receiveStreams[idx];
        long seq = f.seq();
        switch (f.delivery()) {
            case UNRELIABLE -> {
                byte[] m = assemble(idx, false, f, now, reassembler.capacity());
                if (m != null) {
                    deliver(s, m);
                }
            }
            case SEQUENCED -> {
                if (seq <= s.newest) {
                    if (f.fragmentIndex() == 0) {
                        messagesDroppedStale++;
                    }
                    return;
                }
                byte[] m = assemble(idx, false, f, now, reassembler.capacity());
                if (m != null) {
                    s.newest = seq;
                    messagesDroppedStale += reassembler.discardBelow(idx, seq);
                    deliver(s, m);
                }
            }
            case RELIABLE -> {
                if (s.alreadyHave(seq) || reassembler.has(idx, true, seq, f.fragmentIndex())) {
                    duplicateFrames++;
                    return;
                }
                byte[] m = assemble(idx, true, f, now, reliableLimit(seq != s.base));
                if (m == null) {
                    return;
                }
                deliver(s, m);
                if (seq == s.base) {
                    s.base++;
                    while (s.done.remove(s.base)) {
                        s.base++;
                    }
                } else {
                    s.done.add(seq);
                }
            }
            case RELIABLE_ORDERED -> {
                if (s.alreadyHave(seq) || reassembler.has(idx, true, seq, f.fragmentIndex())) {
                    duplicateFrames++;
                    return;
                }
                byte[] m = assemble(idx, true, f, now, reliableLimit(seq != s.base));
                if (m == null) {
                    return;
                }
                if (seq != s.base) {
                    s.ready.put(seq, new ReceiveStream.Waiting(m, now));
                    reassembler.hold(m.length + Reassembler.MESSAGE_OVERHEAD);
                    outOfOrderBuffered++;
                    return;
                }
                deliver(s, m);
                s.base++;
                for (ReceiveStream.Waiting w = s.ready.remove(s.base); w != null; w = s.ready.remove(s.base)) {
                    reassembler.release(w.message().length + Reassembler.MESSAGE_OVERHEAD);
                    long wait = now - w.completedNanos();
                    holWaitTotal += wait;
                    holWaitMax = Math.max(holWaitMax, wait);
                    deliver(s, w.message());
                    s.base++;
                }
            }
        }
    }

    /** The whole message if this frame completes it, else null (stored, duplicate or dropped). */
    private byte[] assemble(int idx, boolean isReliable, PacketCodec.DataFrame f, long now, long limit) {
        if (!f.fragmented()) {
            return f.payload();
        }
        Reassembler.Result r = reassembler.offer(idx, isReliable, f.seq(), f.fragmentIndex(), f.fragmentCount(),
                f.payload(), now, limit);
        return switch (r) {
            case Reassembler.Result.Complete c -> c.message();
            case Reassembler.Result.Duplicate d -> {
                duplicateFrames++;
                yield null;
            }
            case Reassembler.Result.Incomplete i -> null;
            case Reassembler.Result.Dropped d -> null;
        };
    }

    private void deliver(ReceiveStream s, byte[] message) {
        messagesDelivered++;
        bytesDelivered += message.length;
        if (s.delivery.reliable() && unreadLimit != Long.MAX_VALUE) {
            unread += message.length + UNREAD_OVERHEAD_BYTES; // reliable only: the window governs only those
        }
        output.deliver(s.delivery, s.channel, message);
    }

    // -------------------------------------------------------------------------------- acknowledgements

    private void onAck(PacketCodec.AckFrame ack, long carrier, long now) {
        if (carrier > peerWindowPacket) {
            peerWindowPacket = carrier;
            peerWindowMessages = Math.max(1, ack.windowMessages()); // its next missing message always fits
            peerWindowBytes = ack.windowBytes();
        }
        LossDetector.AckResult r = loss.onAck(ack);
        for (SentPacket p : r.lateAcked()) {
            spuriousLosses++;
            for (OutFrame f : p.frames()) {
                frameAcked(f, p.number());
            }
        }
        if (r.newlyAcked().isEmpty()) {
            cc.onAckProcessed(popAcknowledged(), now);
            return;
        }
        r.largest().ifPresent(p -> rtt.onSample(now - p.sentNanos(),
                Math.min(ack.ackDelayMicros(), 1_000_000_000L) * 1000));
        for (SentPacket p : r.newlyAcked()) {
            for (OutFrame f : p.frames()) {
                frameAcked(f, p.number());
            }
            cc.onPacketAcked(p, now);
        }
        cc.onAckProcessed(popAcknowledged(), now);
        ptoCount = 0;
        detectLosses(now);
    }

    private void frameAcked(OutFrame f, long viaPacket) {
        if (f.acked) {
            return;
        }
        f.acked = true;
        if (f.transmissions > 1 && f.lastPacket != viaPacket) {
            spuriousRetransmits++;
        }
        unackedReliableBytes -= f.length;
        OutMessage m = f.message;
        if (--m.outstanding == 0) {
            release(m);
        }
    }

    private void release(OutMessage m) {
        m.released = true;
        bufferedMessages--;
        bufferedBytes -= m.bytes.length;
    }

    private boolean popAcknowledged() {
        boolean moved = false;
        for (SendStream s : sendStreams) {
            if (!s.unacked.isEmpty()) {
                moved |= s.popAcknowledged();
            }
        }
        return moved;
    }

    private void detectLosses(long now) {
        loss.forgetLostSentBefore(now - Math.max(1_000_000_000L, 4 * rtt.pto()));
        int before = loss.packetsInFlight();
        List<LossDetector.Lost> lost = loss.detectLost(now, rtt);
        if (lost.isEmpty()) {
            return;
        }
        List<SentPacket> fast = new ArrayList<>();
        List<SentPacket> timed = new ArrayList<>();
        for (LossDetector.Lost l : lost) {
            (l.cause() == LossCause.PACKET_THRESHOLD ? fast : timed).add(l.packet());
        }
        if (!fast.isEmpty()) {
            onLost(fast, LossCause.PACKET_THRESHOLD, before, now);
        }
        if (!timed.isEmpty()) {
            onLost(timed, LossCause.TIME_THRESHOLD, before, now);
        }
    }

    /** Queues every reliable frame of the lost packets again (all gaps at once) and tells the controller. */
    private void onLost(List<SentPacket> lost, LossCause cause, int inFlightBefore, long now) {
        for (SentPacket p : lost) {
            for (OutFrame f : p.frames()) {
                if (!f.acked && !f.queued && f.lastPacket == p.number()) {
                    f.queued = true;
                    f.requeueCause = cause;
                    retransmits.addLast(f);
                }
            }
        }
        packetsLost += lost.size();
        boolean persistent = loss.persistentCongestion(lost, rtt.persistentCongestionDuration(), rtt.hasSample());
        cc.onLost(new CongestionControl.LossEvent(lost, cause, persistent, inFlightBefore, now));
    }

    // -------------------------------------------------------------------------------------- timers

    /** Fires whatever timers are due at {@code nowNanos} and sends what is due. Calling it early is harmless. */
    public void tick(long nowNanos) {
        reassembler.expire(nowNanos);
        if (loss.lossTime() <= nowNanos) {
            detectLosses(nowNanos);
        }
        if (config.timeout() == EngineConfig.Timeout.PROBE) {
            if (loss.packetsInFlight() > 0 && probeDeadline() <= nowNanos) {
                ptoCount++;
                prepareProbes();
            }
        } else {
            int before = loss.packetsInFlight();
            List<SentPacket> expired = loss.expire(nowNanos, this::timeoutFor);
            if (!expired.isEmpty()) {
                ptoCount++;
                onLost(expired, LossCause.TIMEOUT, before, nowNanos);
            }
        }
        flush(nowNanos);
    }

    /**
     * Sends probes now, as if the probe timer had fired, but without backing it off: the oldest
     * unacknowledged reliable data (up to two packets' worth), else data still waiting for the
     * window, else a PING. Does nothing when the engine is {@link #quiescent()}. For a graceful
     * close, which cannot wait a whole probe timeout when that is as long as its linger (about one
     * second before the first RTT sample, or longer once backed off).
     */
    public void probe(long nowNanos) {
        if (quiescent()) {
            return;
        }
        prepareProbes();
        flush(nowNanos);
    }

    /**
     * RFC 9002 §6.2.4: the probes repeat the oldest unacknowledged reliable data, up to two packets'
     * worth, wherever its latest copy travels (or carry new data, or a PING, if there is none).
     */
    private void prepareProbes() {
        Set<OutFrame> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<OutFrame> again = new ArrayList<>();
        long budget = (long) PROBE_PACKETS * config.maxPacketBytes();
        long bytes = 0;
        collect:
        for (SentPacket p : loss.inFlightView()) {
            for (OutFrame f : p.frames()) {
                if (!f.acked && !f.queued && seen.add(f)) {
                    again.add(f);
                    bytes += f.wireBytes();
                    if (bytes >= budget) {
                        break collect;
                    }
                }
            }
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            OutFrame f = again.get(i);
            f.queued = true;
            f.requeueCause = LossCause.TIMEOUT;
            retransmits.addFirst(f);
        }
        probesPending = PROBE_PACKETS;
    }

    private long probeDeadline() {
        return saturatingAdd(loss.lastAckElicitingSentNanos(), rtt.backedOff(config.backoff(), ptoCount));
    }

    private long timeoutFor(int exponent) {
        return rtt.backedOff(config.backoff(), exponent);
    }

    /**
     * When {@link #tick} must next be called: the earliest of the ack, loss-time, probe/retransmission,
     * keepalive and reassembly deadlines (and, with an interval, the next flush tick), rounded up to
     * the interval; {@link Long#MAX_VALUE} if nothing is pending.
     */
    public long nextDeadlineNanos() {
        long t = flushAt;
        if (ackPending) {
            t = Math.min(t, ackDeadline);
        }
        t = Math.min(t, loss.lossTime());
        if (loss.packetsInFlight() > 0) {
            t = Math.min(t, config.timeout() == EngineConfig.Timeout.PROBE
                    ? probeDeadline()
                    : loss.earliestExpiry(this::timeoutFor));
        }
        if (keepAlive > 0 && loss.packetsInFlight() == 0) {
            t = Math.min(t, saturatingAdd(lastSentNanos, keepAlive));
        }
        t = Math.min(t, reassembler.nextDeadline());
        return roundUp(t);
    }

    private long roundUp(long t) {
        if (interval == 0 || t == NEVER) {
            return t;
        }
        long k = Math.ceilDiv(t - origin, interval);
        return saturatingAdd(origin, k * interval);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }

    // ------------------------------------------------------------------------------------ flushing

    private void flush(long now) {
        flushAt = NEVER;
        while (probesPending > 0) {
            sendPacket(now, true, probesPending == PROBE_PACKETS);
            probesPending--;
        }
        while (sendPacket(now, false, false)) {
            // one packet per round, until nothing more is due or allowed
        }
    }

    /**
     * Builds and transmits one packet: an ACK (piggy-backed whenever there is something to
     * acknowledge), frames queued for retransmission, then new frames round-robin over the channels,
     * while the windows allow; a PING if it is a probe or a keepalive and carries nothing else.
     *
     * @return whether a packet was sent
     */
    private boolean sendPacket(long now, boolean probe, boolean probePing) {
        boolean ackDue = (ackPending && ackDeadline <= now) || windowUpdate;
        boolean windowOpen = probe
                || (loss.packetsInFlight() < config.sendWindowPackets() && cc.canSend(loss.bytesInFlight()));
        boolean keepAliveDue = keepAlive > 0 && loss.packetsInFlight() == 0 && now - lastSentNanos >= keepAlive;
        OutFrame first = windowOpen ? peekFrame() : null;
        boolean ping = first == null && (keepAliveDue || (probe && probePing));
        if (first == null && !ping && !ackDue) {
            return false;
        }
        long pn = nextPacketNumber;
        PacketCodec.Writer w = new PacketCodec.Writer(config.maxPacketBytes(), pn);
        if (!received.isEmpty()) {
            int budget = first == null
                    ? w.remaining()
                    : Math.max(PacketCodec.ACK_RESERVE, w.remaining() - first.wireBytes());
            long delayMicros = Math.max(0, now - largestReceivedNanos) / 1000;
            if (w.writeAck(received.descending(config.maxAckRanges()), delayMicros, config.receiveWindowMessages(),
                    advertisedWindowBytes(), budget)) {
                ackPending = false;
                windowUpdate = false;
                ackElicitingUnacked = 0;
                ackDeadline = NEVER;
                acksSent++;
            }
        }
        List<OutFrame> reliableFrames = new ArrayList<>();
        int exponent = 0;
        for (OutFrame f = first; f != null && f.wireBytes() <= w.remaining(); f = peekFrame()) {
            takeFrame(f, pn);
            OutMessage m = f.message;
            w.writeData(m.delivery, m.channel, m.seq, f.index, f.count(), m.bytes, f.offset, f.length);
            if (m.reliable()) {
                reliableFrames.add(f);
                exponent = Math.max(exponent, f.transmissions - 1);
            }
        }
        if (ping) {
            w.writePing();
            pingsSent++;
        }
        if (w.isEmpty()) {
            return false;
        }
        byte[] bytes = w.finish();
        nextPacketNumber++;
        if (w.ackEliciting()) {
            loss.onSent(new SentPacket(pn, nextOrdinal++, now, bytes.length, reliableFrames, loss.bytesInFlight() + bytes.length,
                    exponent));
        }
        lastSentNanos = now;
        datagramsOut++;
        bytesOut += bytes.length;
        output.transmit(bytes);
        return true;
    }

    /** The next frame to send (retransmissions first, then new frames round-robin), or null. */
    private OutFrame peekFrame() {
        while (!retransmits.isEmpty()) {
            OutFrame f = retransmits.peekFirst();
            if (!f.acked) {
                candidateStream = -1;
                return f;
            }
            retransmits.pollFirst();
            f.queued = false;
        }
        if (pendingNewFrames == 0) {
            return null;
        }
        int n = sendStreams.length;
        for (int i = 0; i < n; i++) {
            int idx = (rrCursor + i) % n;
            SendStream s = sendStreams[idx];
            OutFrame f = s.pending.peekFirst();
            if (f != null && allowedNew(s, f)) {
                candidateStream = idx;
                return f;
            }
        }
        return null;
    }

    private boolean allowedNew(SendStream s, OutFrame f) {
        if (!s.delivery.reliable()) {
            return true;
        }
        long span = Math.min(peerWindowMessages, cc.spanLimit());
        if (f.message.seq - s.lowestUnackedSeq() >= span) {
            return false;
        }
        // A zero window stops new reliable data until an ACK opens it (the peer sends one as soon as its
        // application reads, and every keepalive PING is acknowledged with the window of the moment).
        return unackedReliableBytes + f.length <= peerWindowBytes || (unackedReliableBytes == 0 && peerWindowBytes > 0);
    }

    /**
     * The receive window in bytes this side advertises: the reassembly buffer's free part, less
     * what the application has not read when it has a limit ({@link EngineOutput#unreadLimitBytes()}).
     */
    private long advertisedWindowBytes() {
        if (unreadLimit == Long.MAX_VALUE) {
            return reassembler.free();
        }
        return Math.max(0, Math.min(reassembler.free(), unreadLimit - unread - reassembler.held()));
    }

    /**
     * The application took a delivered message of {@code messageBytes} bytes. When that reopens a
     * window the peer last saw smaller than one packet, an ACK carrying the new window goes out at
     * once (a window update), so a sender stopped by a slow reader resumes without waiting for a
     * timer. Meaningful only with {@link EngineOutput#unreadLimitBytes()}; otherwise ignored.
     */
    public void consumed(int messageBytes, long nowNanos) {
        if (unreadLimit == Long.MAX_VALUE) {
            return;
        }
        long before = advertisedWindowBytes();
        unread = Math.max(0, unread - messageBytes - UNREAD_OVERHEAD_BYTES);
        if (before < config.maxPacketBytes() && advertisedWindowBytes() >= config.maxPacketBytes() && !received.isEmpty()) {
            windowUpdate = true;
            flush(nowNanos);
        }
    }

    private void takeFrame(OutFrame f, long pn) {
        if (candidateStream < 0) {
            retransmits.pollFirst();
        } else {
            sendStreams[candidateStream].pending.pollFirst();
            pendingNewFrames--;
            rrCursor = (candidateStream + 1) % sendStreams.length;
        }
        f.queued = false;
        f.transmissions++;
        f.lastPacket = pn;
        if (f.transmissions > 1) {
            switch (f.requeueCause) {
                case PACKET_THRESHOLD -> fastRetransmits++;
                case TIME_THRESHOLD -> timeThresholdRetransmits++;
                case TIMEOUT -> ptoRetransmits++;
            }
            return;
        }
        OutMessage m = f.message;
        if (m.reliable()) {
            unackedReliableBytes += f.length;
        } else if (--m.outstanding == 0) {
            release(m);
        }
    }

    // ------------------------------------------------------------------------------------- queries

    /** A snapshot of the counters. */
    public EngineStats stats() {
        return new EngineStats(datagramsOut, bytesOut, datagramsIn, bytesIn, messagesSent, payloadBytesSent,
                backPressured, messagesDelivered, bytesDelivered, fastRetransmits, timeThresholdRetransmits,
                ptoRetransmits, spuriousRetransmits, packetsLost, spuriousLosses, duplicatePackets, duplicateFrames,
                outOfOrderBuffered, holWaitTotal, holWaitMax, rtt.smoothed(), rtt.rttvar(), rtt.min(), rtt.pto(),
                cc.window(), loss.bytesInFlight(), loss.packetsInFlight(), bufferedMessages, bufferedBytes,
                packetsDroppedStale, messagesDroppedStale, reassembler.droppedPartials(), packetsRefused, badPackets,
                pingsSent, acksSent);
    }

    /**
     * Whether nothing is queued and nothing reliable is unacknowledged: every accepted message was
     * sent and, if reliable, acknowledged. A graceful close waits for this.
     */
    public boolean quiescent() {
        return bufferedMessages == 0;
    }

    /** How many reliable messages one stream (a channel and a reliable delivery mode) was offered. */
    public record StreamCount(int channel, Delivery delivery, long messages) {
        public StreamCount {
            Objects.requireNonNull(delivery, "delivery");
            if (!delivery.reliable() || channel < 0 || messages < 0) {
                throw new IllegalArgumentException("not a reliable stream count: " + channel + " " + delivery + " "
                        + messages);
            }
        }
    }

    /**
     * For every reliable stream that was offered any message: how many (sent or still queued, each
     * counted once). What a graceful close tells the peer to expect, so the peer can tell a complete
     * stream from one whose tail was lost; see {@link #undelivered}.
     */
    public List<StreamCount> reliableOffered() {
        List<StreamCount> out = new ArrayList<>();
        for (SendStream s : sendStreams) {
            if (s.delivery.reliable() && s.nextSeq > 0) {
                out.add(new StreamCount(s.channel, s.delivery, s.nextSeq));
            }
        }
        return out;
    }

    /**
     * How many of the reliable messages the peer says it offered (its {@link #reliableOffered()})
     * this engine has not delivered yet: none once every one of them was handed to
     * {@link EngineOutput#deliver}. Counts for channels this engine does not have are ignored.
     */
    public long undelivered(List<StreamCount> offered) {
        long missing = 0;
        for (StreamCount c : offered) {
            if (c.channel() >= config.channels()) {
                continue;
            }
            ReceiveStream s = receiveStreams[streamIndex(c.channel(), c.delivery())];
            long delivered = Math.min(s.base, c.messages());
            if (c.delivery() == Delivery.RELIABLE) {
                delivered += s.done.headSet(c.messages()).size(); // delivered out of order, above the base
            }
            missing += c.messages() - delivered;
        }
        return missing;
    }

    /**
     * When the last well-formed, new packet from the peer arrived (creation time before any), for
     * idle timeouts; garbage, duplicates and stale packets do not count.
     */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    private static int streamIndex(int channel, Delivery delivery) {
        return channel * MODES + PacketCodec.code(delivery);
    }
}
