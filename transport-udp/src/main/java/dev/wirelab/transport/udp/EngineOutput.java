package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;

/**
 * What a {@link ReliableEngine} asks of its surroundings: a way to put one engine packet on the
 * wire, and a way to hand a whole message to the application.
 *
 * <p>Threads: both methods are called synchronously from inside {@link ReliableEngine#send},
 * {@link ReliableEngine#receive} and {@link ReliableEngine#tick}, on the caller's thread, while
 * the engine is in the middle of its work. They must be fast, must not throw, and must not call
 * back into the engine (queue the work and do it after the engine call returns, as
 * {@link LinkSimulator} does for its echo handlers).
 */
public interface EngineOutput {

    /**
     * Puts one engine packet on the wire. The array is the caller's to keep (the engine never
     * touches it again); it is at most {@link EngineConfig#maxPacketBytes()} long.
     */
    void transmit(byte[] packet);

    /**
     * Hands one whole message to the application, in the order {@code delivery} promises: once
     * for the reliable modes; newest-wins for {@link Delivery#SEQUENCED}; in send order per channel
     * for {@link Delivery#RELIABLE_ORDERED}. The array is the caller's to keep.
     */
    void deliver(Delivery delivery, int channel, byte[] message);

    /**
     * How many bytes of delivered messages (each counted with {@link ReliableEngine#UNREAD_OVERHEAD_BYTES})
     * may wait for the application before the engine stops the peer: with a limit, every delivered
     * reliable message counts as unread until {@link ReliableEngine#consumed} says the application took it,
     * the receive window advertised to the peer shrinks by what is unread, and a reliable packet
     * that would pass the limit by more than one maximum message is refused, as KCP's window counts its unread receive queue and
     * QUIC's flow control counts what the application has not consumed. {@link Long#MAX_VALUE} (the
     * default) for an application that takes every message as it is delivered. Read once, when
     * the engine is created.
     */
    default long unreadLimitBytes() {
        return Long.MAX_VALUE;
    }
}
