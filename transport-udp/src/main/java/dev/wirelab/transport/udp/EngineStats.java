package dev.wirelab.transport.udp;

/**
 * One engine's counters since it was created: an immutable snapshot from {@link ReliableEngine#stats()},
 * modelled on Aeron's and kcp-go's counters. Bytes are engine packet bytes (the socket layer's own
 * header is not counted); payload bytes are message bytes.
 *
 * @param datagramsOut              packets transmitted
 * @param bytesOut                  their bytes
 * @param datagramsIn               packets offered to {@code receive}, good or bad
 * @param bytesIn                   their bytes
 * @param messagesSent              messages {@code send} accepted
 * @param payloadBytesSent          their bytes
 * @param backPressured             {@code send} calls answered {@link Offer#BACK_PRESSURED}
 * @param messagesDelivered         messages handed to {@link EngineOutput#deliver}
 * @param bytesDelivered            their bytes
 * @param fastRetransmits           frames sent again because the packet threshold declared their packet lost
 * @param timeThresholdRetransmits  frames sent again because the time threshold did
 * @param ptoRetransmits            frames sent again because the retransmission/probe timer expired
 * @param spuriousRetransmits       frames sent again whose earlier copy was acknowledged afterwards
 * @param packetsLost               packets declared lost
 * @param spuriousLosses            packets declared lost and acknowledged afterwards
 * @param duplicatePackets          packets received twice (dropped whole)
 * @param duplicateFrames           data frames of messages already received (spurious or repeated repair)
 * @param outOfOrderBuffered        whole reliable-ordered messages that had to wait for an earlier one
 * @param headOfLineWaitTotalNanos  their total wait, from complete to delivered
 * @param headOfLineWaitMaxNanos    the longest such wait
 * @param srttNanos                 smoothed RTT
 * @param rttvarNanos               RTT variation
 * @param minRttNanos               smallest RTT sample (0 before the first)
 * @param ptoNanos                  the current probe/retransmission timeout, before back-off
 * @param congestionWindow          the congestion window: bytes for NEW_RENO, packets for KCP and NONE
 * @param bytesInFlight             bytes of ack-eliciting packets in flight
 * @param packetsInFlight           ack-eliciting packets in flight
 * @param sendBufferMessages        messages queued or unacknowledged now
 * @param sendBufferBytes           their bytes
 * @param packetsDroppedStale       packets too old to tell whether they are duplicates
 * @param messagesDroppedStale      sequenced messages older than one already delivered on their channel
 * @param partialsDropped           partial unreliable/sequenced messages dropped (timeout, memory cap, size)
 * @param packetsRefused            packets refused unacknowledged because their reliable data did not fit
 *                                  the receive window (the sender repairs them)
 * @param badPackets                packets that did not parse (garbage, truncated, corrupted, wrong version)
 * @param pingsSent                 PING frames sent (keepalives and probes)
 * @param acksSent                  ACK frames sent (alone or piggy-backed)
 */
public record EngineStats(
        long datagramsOut,
        long bytesOut,
        long datagramsIn,
        long bytesIn,
        long messagesSent,
        long payloadBytesSent,
        long backPressured,
        long messagesDelivered,
        long bytesDelivered,
        long fastRetransmits,
        long timeThresholdRetransmits,
        long ptoRetransmits,
        long spuriousRetransmits,
        long packetsLost,
        long spuriousLosses,
        long duplicatePackets,
        long duplicateFrames,
        long outOfOrderBuffered,
        long headOfLineWaitTotalNanos,
        long headOfLineWaitMaxNanos,
        long srttNanos,
        long rttvarNanos,
        long minRttNanos,
        long ptoNanos,
        long congestionWindow,
        long bytesInFlight,
        int packetsInFlight,
        int sendBufferMessages,
        long sendBufferBytes,
        long packetsDroppedStale,
        long messagesDroppedStale,
        long partialsDropped,
        long packetsRefused,
        long badPackets,
        long pingsSent,
        long acksSent) {

    /** Frames sent again, all causes. */
    public long retransmits() {
        return fastRetransmits + timeThresholdRetransmits + ptoRetransmits;
    }

    /**
     * Engine bytes that arrived here per payload byte delivered here (the peer's retransmissions and
     * ACKs included); {@link Double#NaN} before anything was delivered. For the cost of one direction
     * end to end, divide the sender's {@link #bytesOut()} by the receiver's {@link #bytesDelivered()}
     * ({@link LinkSimulator#wireBytesPerDeliveredByte()} does).
     */
    public double wireBytesPerDeliveredByte() {
        return bytesDelivered == 0 ? Double.NaN : (double) bytesIn / bytesDelivered;
    }

    /** Mean head-of-line wait of the messages that waited, in nanoseconds; 0 if none waited. */
    public long meanHeadOfLineWaitNanos() {
        return outOfOrderBuffered == 0 ? 0 : headOfLineWaitTotalNanos / outOfOrderBuffered;
    }
}
