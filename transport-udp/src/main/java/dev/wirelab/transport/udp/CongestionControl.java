package dev.wirelab.transport.udp;

import java.util.List;

/**
 * A congestion controller: how much the sender may have in flight. The engine keeps the counts
 * (bytes and packets in flight, {@link EngineConfig#sendWindowPackets()}) and tells the controller
 * what happened; the controller only keeps its window. Pure and single-threaded.
 *
 * <p>Three controllers, chosen by {@link EngineConfig#congestion()}:
 * <ul>
 *   <li>{@link Fixed}: no congestion control, a fixed window of packets (KCP {@code nc=1}).</li>
 *   <li>{@link NewReno}: RFC 9002 §7 in bytes.</li>
 *   <li>{@link KcpWindow}: KCP's own window in packets, anchored at the oldest unacknowledged message.</li>
 * </ul>
 */
sealed interface CongestionControl permits CongestionControl.Fixed, NewReno, KcpWindow {

    /** Creates the controller the configuration names. */
    static CongestionControl create(EngineConfig config) {
        return switch (config.congestion()) {
            case NONE -> new Fixed(config.sendWindowPackets());
            case NEW_RENO -> new NewReno(config.maxPacketBytes());
            case KCP -> new KcpWindow(config.fragmentPayloadBytes(), config.receiveWindowMessages(),
                    config.packetThreshold());
        };
    }

    /**
     * What the engine learnt in one round of loss detection.
     *
     * @param lost                  the packets declared lost, in packet-number order (not empty)
     * @param cause                 why (all of them: the engine reports each cause on its own)
     * @param persistent            RFC 9002 §7.6 persistent congestion was detected
     * @param packetsInFlightBefore ack-eliciting packets in flight before these were removed
     * @param nowNanos              now
     */
    record LossEvent(List<SentPacket> lost, LossCause cause, boolean persistent, int packetsInFlightBefore,
            long nowNanos) {
        public LossEvent {
            lost = List.copyOf(lost);
        }

        long largestLostSentNanos() {
            return lost.get(lost.size() - 1).sentNanos();
        }
    }

    /** Whether an ack-eliciting packet may be sent with {@code bytesInFlight} already out. */
    boolean canSend(long bytesInFlight);

    /**
     * How many messages past a channel's oldest unacknowledged message new reliable data may go
     * ({@link Integer#MAX_VALUE} when this controller does not limit it).
     */
    int spanLimit();

    /** One ack-eliciting packet was newly acknowledged. */
    void onPacketAcked(SentPacket packet, long nowNanos);

    /**
     * An ACK frame was processed; {@code progressed} says whether it moved any channel's oldest
     * unacknowledged message forward (KCP's "snd_una advanced").
     */
    void onAckProcessed(boolean progressed, long nowNanos);

    /** Packets were declared lost. */
    void onLost(LossEvent event);

    /** The window, for statistics: bytes for NewReno, packets (or messages) for the others. */
    long window();

    /** No congestion control: a fixed window, enforced by the engine's {@code sendWindowPackets}. */
    final class Fixed implements CongestionControl {
        private final int window;

        Fixed(int window) {
            this.window = window;
        }

        @Override
        public boolean canSend(long bytesInFlight) {
            return true;
        }

        @Override
        public int spanLimit() {
            return Integer.MAX_VALUE;
        }

        @Override
        public void onPacketAcked(SentPacket packet, long nowNanos) {
        }

        @Override
        public void onAckProcessed(boolean progressed, long nowNanos) {
        }

        @Override
        public void onLost(LossEvent event) {
        }

        @Override
        public long window() {
            return window;
        }
    }
}
