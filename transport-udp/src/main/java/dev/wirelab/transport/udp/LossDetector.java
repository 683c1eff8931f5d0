package dev.wirelab.transport.udp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;

/**
 * The ack-eliciting packets in flight and RFC 9002 §6's loss detection over them.
 *
 * <ul>
 *   <li><b>Acknowledgement</b>: an ACK frame removes every packet in its ranges (SACK); the newly
 *       acknowledged largest one gives the RTT sample.</li>
 *   <li><b>Packet threshold</b>: a packet is lost once an ack-eliciting packet sent
 *       {@code packetThreshold} ack-eliciting packets after it is acknowledged. RFC 9002 counts packet
 *       numbers; counting only ack-eliciting packets (as TCP counts segments and KCP data segments)
 *       keeps ACK-only packets sent in between from turning mere reordering into loss.</li>
 *   <li><b>Time threshold</b>: a packet older than {@code timeThreshold * max(srtt, latest rtt)} is
 *       lost once a later one is acknowledged; a younger one sets {@link #lossTime()}, the moment it
 *       will be.</li>
 *   <li><b>Every gap at once</b>: all packets that meet a threshold are declared lost in the same
 *       pass, however many gaps the ACK shows (not one per round trip).</li>
 *   <li><b>Timeouts</b> ({@link #expire}): each packet expires on its own, for the RETRANSMIT policy.</li>
 *   <li>Packets declared lost are remembered a while (at most {@link #RECENTLY_LOST_MAX}, and the
 *       engine forgets those sent more than {@code max(1 s, 4 PTO)} ago), so an ACK that arrives for
 *       one later is recognised as a spurious loss.</li>
 * </ul>
 * Not thread-safe.
 */
final class LossDetector {

    static final long NEVER = Long.MAX_VALUE;
    /** Packets declared lost that are remembered for spurious-loss detection. */
    static final int RECENTLY_LOST_MAX = 4096;

    /** A packet declared lost and why. */
    record Lost(SentPacket packet, LossCause cause) {
    }

    /**
     * What one ACK frame acknowledged.
     *
     * @param newlyAcked    packets in flight it acknowledged, in packet-number order
     * @param lateAcked     packets it acknowledged that had already been declared lost (spurious losses)
     * @param largest       the newly acknowledged packet that is the ACK's largest, if it is newly acknowledged
     */
    record AckResult(List<SentPacket> newlyAcked, List<SentPacket> lateAcked, Optional<SentPacket> largest) {
    }

    private final int packetThreshold;
    private final double timeThreshold;
    private final TreeMap<Long, SentPacket> sent = new TreeMap<>();
    private final TreeMap<Long, SentPacket> recentlyLost = new TreeMap<>();
    private final AckRanges acked = new AckRanges(1024);
    private long largestAcked = -1;
    private long largestAckedOrdinal = -1;
    private long bytesInFlight;
    private long lastAckElicitingSentNanos = Long.MIN_VALUE;
    private long lossTime = NEVER;

    LossDetector(int packetThreshold, double timeThreshold) {
        this.packetThreshold = packetThreshold;
        this.timeThreshold = timeThreshold;
    }

    void onSent(SentPacket p) {
        sent.put(p.number(), p);
        bytesInFlight += p.bytes();
        lastAckElicitingSentNanos = p.sentNanos();
    }

    AckResult onAck(PacketCodec.AckFrame ack) {
        largestAcked = Math.max(largestAcked, ack.largest());
        List<SentPacket> newly = new ArrayList<>();
        List<SentPacket> late = new ArrayList<>();
        Optional<SentPacket> largest = Optional.empty();
        long lowestSent = sent.isEmpty() ? Long.MAX_VALUE : sent.firstKey();
        long lowestLost = recentlyLost.isEmpty() ? Long.MAX_VALUE : recentlyLost.firstKey();
        for (AckRanges.Range r : ack.ranges()) {
            if (r.largest() < Math.min(lowestSent, lowestLost)) {
                break; // ranges come largest first: nothing below this one is tracked
            }
            if (r.largest() >= lowestSent) {
                NavigableMap<Long, SentPacket> sub = sent.subMap(r.smallest(), true, r.largest(), true);
                for (SentPacket p : sub.values()) {
                    newly.add(p);
                    acked.add(p.number());
                    largestAckedOrdinal = Math.max(largestAckedOrdinal, p.ordinal());
                    bytesInFlight -= p.bytes();
                    if (p.number() == ack.largest()) {
                        largest = Optional.of(p);
                    }
                }
                sub.clear();
            }
            if (r.largest() >= lowestLost) {
                NavigableMap<Long, SentPacket> lostSub = recentlyLost.subMap(r.smallest(), true, r.largest(), true);
                for (SentPacket p : lostSub.values()) {
                    late.add(p);
                    acked.add(p.number());
                    largestAckedOrdinal = Math.max(largestAckedOrdinal, p.ordinal());
                }
                lostSub.clear();
            }
        }
        newly.sort((a, b) -> Long.compare(a.number(), b.number()));
        late.sort((a, b) -> Long.compare(a.number(), b.number()));
        return new AckResult(newly, late, largest);
    }

    /**
     * Declares lost every packet below the largest acknowledged one that meets a threshold, and
     * sets {@link #lossTime()} for the youngest that does not yet.
     */
    List<Lost> detectLost(long nowNanos, RttEstimator rtt) {
        lossTime = NEVER;
        List<Lost> lost = new ArrayList<>();
        if (largestAcked < 0 || (packetThreshold == 0 && timeThreshold == 0)) {
            return lost;
        }
        long lossDelay = timeThreshold > 0 ? rtt.lossDelay(timeThreshold) : NEVER;
        long lostSendTime = timeThreshold > 0 ? nowNanos - lossDelay : Long.MIN_VALUE;
        Iterator<SentPacket> it = sent.headMap(largestAcked, false).values().iterator();
        while (it.hasNext()) {
            SentPacket p = it.next();
            if (packetThreshold > 0 && largestAckedOrdinal - p.ordinal() >= packetThreshold) {
                lost.add(new Lost(p, LossCause.PACKET_THRESHOLD));
            } else if (timeThreshold > 0 && p.sentNanos() <= lostSendTime) {
                lost.add(new Lost(p, LossCause.TIME_THRESHOLD));
            } else {
                if (timeThreshold > 0) {
                    lossTime = Math.min(lossTime, p.sentNanos() + lossDelay);
                }
                continue;
            }
            it.remove();
            forget(p);
        }
        return lost;
    }

    /**
     * RETRANSMIT policy: declares lost every packet whose own timeout has passed.
     *
     * @param timeoutFor the timeout of a packet with the given back-off exponent
     */
    List<SentPacket> expire(long nowNanos, IntToLongFunction timeoutFor) {
        List<SentPacket> out = new ArrayList<>();
        Iterator<SentPacket> it = sent.values().iterator();
        while (it.hasNext()) {
            SentPacket p = it.next();
            if (p.sentNanos() + timeoutFor.applyAsLong(p.backoffExponent()) <= nowNanos) {
                out.add(p);
                it.remove();
                forget(p);
            }
        }
        return out;
    }

    /** RETRANSMIT policy: when the first packet in flight times out; {@link #NEVER} if none is in flight. */
    long earliestExpiry(IntToLongFunction timeoutFor) {
        long t = NEVER;
        for (SentPacket p : sent.values()) {
            t = Math.min(t, p.sentNanos() + timeoutFor.applyAsLong(p.backoffExponent()));
        }
        return t;
    }

    /** The packets in flight, oldest first (a live view: do not change the detector while iterating). */
    Collection<SentPacket> inFlightView() {
        return Collections.unmodifiableCollection(sent.values());
    }

    /**
     * RFC 9002 §7.6.2, within one round of losses: two lost packets at least {@code duration} apart
     * with nothing between them acknowledged or still in flight.
     */
    boolean persistentCongestion(List<SentPacket> lost, long duration, boolean haveRttSample) {
        if (!haveRttSample || lost.size() < 2) {
            return false;
        }
        SentPacket start = lost.get(0);
        SentPacket prev = start;
        for (int i = 1; i < lost.size(); i++) {
            SentPacket p = lost.get(i);
            boolean gapClean = !acked.intersects(prev.number() + 1, p.number() - 1)
                    && sent.subMap(prev.number(), false, p.number(), false).isEmpty();
            if (!gapClean) {
                start = p;
            } else if (p.sentNanos() - start.sentNanos() >= duration) {
                return true;
            }
            prev = p;
        }
        return false;
    }

    /** Stops remembering lost packets sent before {@code sentBeforeNanos}: an ACK for them is not coming. */
    void forgetLostSentBefore(long sentBeforeNanos) {
        Iterator<SentPacket> it = recentlyLost.values().iterator();
        while (it.hasNext() && it.next().sentNanos() < sentBeforeNanos) {
            it.remove(); // packet-number order is send order: the rest are younger
        }
    }

    private void forget(SentPacket p) {
        bytesInFlight -= p.bytes();
        recentlyLost.put(p.number(), p);
        while (recentlyLost.size() > RECENTLY_LOST_MAX) {
            recentlyLost.pollFirstEntry();
        }
    }

    int packetsInFlight() {
        return sent.size();
    }

    long bytesInFlight() {
        return bytesInFlight;
    }

    /** When the last ack-eliciting packet was sent; {@link Long#MIN_VALUE} before any. */
    long lastAckElicitingSentNanos() {
        return lastAckElicitingSentNanos;
    }

    /** When the time threshold will next declare a packet lost; {@link #NEVER} if no packet waits for it. */
    long lossTime() {
        return lossTime;
    }

    long largestAcked() {
        return largestAcked;
    }

    /** Packets in flight, oldest first, copied (for tests). */
    List<SentPacket> inFlight() {
        return List.copyOf(sent.values());
    }

    Map<Long, SentPacket> recentlyLostView() {
        return Collections.unmodifiableMap(recentlyLost);
    }
}
