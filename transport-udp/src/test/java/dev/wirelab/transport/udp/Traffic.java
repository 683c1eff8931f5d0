package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test messages that carry their own index, channel and send time, and the links the tests use. */
final class Traffic {

    static final long MS = 1_000_000L;

    private Traffic() {
    }

    /** A message of at least 16 bytes: index, channel, send time, then {@code padding} bytes derived from the index. */
    static byte[] message(int index, int channel, long sentNanos, int padding) {
        ByteBuffer b = ByteBuffer.allocate(16 + padding);
        b.putInt(index).putInt(channel).putLong(sentNanos);
        for (int i = 0; i < padding; i++) {
            b.put((byte) (index * 31 + i));
        }
        return b.array();
    }

    static int index(byte[] message) {
        return ByteBuffer.wrap(message).getInt(0);
    }

    static long sentAt(byte[] message) {
        return ByteBuffer.wrap(message).getLong(8);
    }

    /** Whether the padding is what {@link #message} wrote (the message arrived intact). */
    static boolean intact(byte[] message) {
        int index = index(message);
        for (int i = 16; i < message.length; i++) {
            if (message[i] != (byte) (index * 31 + (i - 16))) {
                return false;
            }
        }
        return true;
    }

    /** The indexes received on each channel, in delivery order. */
    static Map<Integer, List<Integer>> byChannel(List<LinkSimulator.Received> received) {
        Map<Integer, List<Integer>> out = new TreeMap<>();
        for (LinkSimulator.Received r : received) {
            out.computeIfAbsent(r.channel(), c -> new ArrayList<>()).add(index(r.message()));
        }
        return out;
    }

    /**
     * A link with the given loss plus 20 ms delay, up to 10 ms jitter, 2% reordering (held 15 ms) and
     * 2% duplication.
     */
    static Impairment lossy(double loss, long seed) {
        return new Impairment(loss, 1, Duration.ofMillis(20), Duration.ofMillis(10), 0.02, Duration.ofMillis(15), 0.02,
                0, 0, seed);
    }

    /**
     * {@link #lossy} with bursty loss: a Gilbert-Elliott chain that loses {@code loss} of the datagrams
     * in bursts of {@code burstLength} datagrams on average (see {@link Impairment}).
     */
    static Impairment bursty(double loss, double burstLength, long seed) {
        return new Impairment(loss, burstLength, Duration.ofMillis(20), Duration.ofMillis(10), 0.02,
                Duration.ofMillis(15), 0.02, 0, 0, seed);
    }

    /**
     * Schedules {@code count} messages from A, one every {@code spacing} nanoseconds from time 0, on
     * channels {@code 0..channels-1} in turn; returns the indexes sent on each channel.
     */
    static Map<Integer, List<Integer>> schedule(LinkSimulator sim, int count, long spacing, int channels,
            Delivery delivery, int padding) {
        Map<Integer, List<Integer>> sent = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            int channel = i % channels;
            long at = i * spacing;
            sent.computeIfAbsent(channel, c -> new ArrayList<>()).add(index);
            sim.schedule(at, () -> {
                Offer offer = sim.a().send(message(index, channel, at, padding), delivery, channel);
                if (offer != Offer.ACCEPTED) {
                    throw new AssertionError("message " + index + " was not accepted: " + offer);
                }
            });
        }
        return sent;
    }
}
