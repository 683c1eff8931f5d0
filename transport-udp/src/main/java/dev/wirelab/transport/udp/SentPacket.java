package dev.wirelab.transport.udp;

import java.util.List;

/**
 * One ack-eliciting packet the engine sent and is waiting to hear about.
 *
 * @param number              its packet number
 * @param ordinal             its place among the ack-eliciting packets sent (0, 1, 2, ...): the
 *                            packet threshold counts these, so ACK-only packets in between do not
 *                            make reordering look like loss
 * @param sentNanos           when it was sent
 * @param bytes               its size on the wire (engine bytes)
 * @param frames              the reliable frames it carries (unreliable ones are never repaired)
 * @param bytesInFlightAfter  bytes in flight just after it was sent (app-limited test of NewReno)
 * @param backoffExponent     how often its frames had already been sent, at most (per-packet RTO back-off)
 */
record SentPacket(long number, long ordinal, long sentNanos, int bytes, List<OutFrame> frames, long bytesInFlightAfter,
        int backoffExponent) {

    SentPacket {
        frames = List.copyOf(frames);
    }

    /** A packet with no reliable frames, for tests and PINGs. */
    static SentPacket of(long number, long ordinal, long sentNanos, int bytes) {
        return new SentPacket(number, ordinal, sentNanos, bytes, List.of(), bytes, 0);
    }
}
