package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;
import java.util.ArrayDeque;

/**
 * The send side of one sequence space: one channel and one delivery mode. Holds the frames not yet
 * sent, in order, and (for the reliable modes) the messages not yet fully acknowledged, in
 * sequence order, whose head anchors the receiver's window.
 */
final class SendStream {

    final int channel;
    final Delivery delivery;
    long nextSeq;
    final ArrayDeque<OutFrame> pending = new ArrayDeque<>();
    final ArrayDeque<OutMessage> unacked = new ArrayDeque<>();

    SendStream(int channel, Delivery delivery) {
        this.channel = channel;
        this.delivery = delivery;
    }

    /** The oldest message not yet acknowledged, or the next to be numbered when all are. */
    long lowestUnackedSeq() {
        OutMessage head = unacked.peekFirst();
        return head == null ? nextSeq : head.seq;
    }

    /** Drops acknowledged messages from the head; returns whether the head moved. */
    boolean popAcknowledged() {
        boolean moved = false;
        while (!unacked.isEmpty() && unacked.peekFirst().released) {
            unacked.pollFirst();
            moved = true;
        }
        return moved;
    }
}
