package dev.wirelab.transport;

/**
 * Traffic on one connection since it opened: an immutable snapshot. Bytes are counted as they go
 * on the wire, framing and transport headers included (so the lab can report bytes per delivered
 * message); frames are whole frames handed to {@code receive()} callers or accepted by
 * {@code send()}.
 *
 * @param bytesIn   bytes received
 * @param bytesOut  bytes sent
 * @param framesIn  frames received
 * @param framesOut frames sent
 */
public record TrafficStats(long bytesIn, long bytesOut, long framesIn, long framesOut) {

    public static final TrafficStats ZERO = new TrafficStats(0, 0, 0, 0);

    public TrafficStats plus(TrafficStats other) {
        return new TrafficStats(bytesIn + other.bytesIn, bytesOut + other.bytesOut,
                framesIn + other.framesIn, framesOut + other.framesOut);
    }
}
