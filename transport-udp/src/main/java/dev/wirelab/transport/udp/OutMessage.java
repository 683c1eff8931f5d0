package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;

/** One message on the send side, cut into its fragments; owned by one engine, not thread-safe. */
final class OutMessage {

    final int channel;
    final Delivery delivery;
    final long seq;
    final byte[] bytes;
    final OutFrame[] fragments;
    /** Fragments not yet acknowledged (reliable) or not yet sent (unreliable). */
    int outstanding;
    /** Whether the message has left the send buffer (acknowledged, or sent if unreliable). */
    boolean released;

    OutMessage(int channel, Delivery delivery, long seq, byte[] bytes, int fragmentPayload) {
        this.channel = channel;
        this.delivery = delivery;
        this.seq = seq;
        this.bytes = bytes;
        int count = Math.max(1, (bytes.length + fragmentPayload - 1) / fragmentPayload);
        this.fragments = new OutFrame[count];
        for (int i = 0; i < count; i++) {
            int offset = i * fragmentPayload;
            fragments[i] = new OutFrame(this, i, offset, Math.min(fragmentPayload, bytes.length - offset));
        }
        this.outstanding = count;
    }

    boolean reliable() {
        return delivery.reliable();
    }
}
