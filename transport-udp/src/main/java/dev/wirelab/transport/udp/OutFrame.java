package dev.wirelab.transport.udp;

/**
 * One DATA frame's worth of a message (a fragment, or the whole message) on the send side. A
 * reliable frame lives until acknowledged; it may travel in several packets, and {@link #lastPacket}
 * names the newest, so losing an older copy does not queue it again.
 */
final class OutFrame {

    final OutMessage message;
    final int index;
    final int offset;
    final int length;
    boolean acked;
    /** Whether it waits in the retransmission queue. */
    boolean queued;
    long lastPacket = -1;
    int transmissions;
    LossCause requeueCause = LossCause.TIMEOUT;

    OutFrame(OutMessage message, int index, int offset, int length) {
        this.message = message;
        this.index = index;
        this.offset = offset;
        this.length = length;
    }

    int count() {
        return message.fragments.length;
    }

    /** Bytes this frame takes in a packet. */
    int wireBytes() {
        return PacketCodec.dataFrameBytes(message.seq, count() > 1, length);
    }

    @Override
    public String toString() {
        return "OutFrame[" + message.delivery + " ch" + message.channel + " #" + message.seq + " " + index + "/"
                + count() + " tx=" + transmissions + (acked ? " acked" : "") + "]";
    }
}
