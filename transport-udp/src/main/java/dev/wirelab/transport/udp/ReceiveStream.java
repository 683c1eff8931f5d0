package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The receive side of one sequence space (one channel, one delivery mode):
 * <ul>
 *   <li>{@code RELIABLE_ORDERED}: {@link #base} is the next message to deliver; whole messages that
 *       arrive early wait in {@link #ready} (head-of-line blocking, per channel only).</li>
 *   <li>{@code RELIABLE}: {@link #base} is the lowest message not yet delivered; {@link #done}
 *       remembers those above it that were (the duplicate-suppression window).</li>
 *   <li>{@code SEQUENCED}: {@link #newest} is the newest delivered; older ones are stale.</li>
 *   <li>{@code UNRELIABLE}: nothing but reassembly.</li>
 * </ul>
 */
final class ReceiveStream {

    /** A whole message waiting for its turn. */
    record Waiting(byte[] message, long completedNanos) {
    }

    final int channel;
    final Delivery delivery;
    long base;
    long newest = -1;
    final TreeSet<Long> done = new TreeSet<>();
    final TreeMap<Long, Waiting> ready = new TreeMap<>();

    ReceiveStream(int channel, Delivery delivery) {
        this.channel = channel;
        this.delivery = delivery;
    }

    /** Whether a reliable message with this number was already delivered or is waiting whole. */
    boolean alreadyHave(long seq) {
        return seq < base || done.contains(seq) || ready.containsKey(seq);
    }
}
