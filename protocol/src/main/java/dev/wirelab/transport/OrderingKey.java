package dev.wirelab.transport;

import java.util.Objects;

/**
 * Which frames must stay in order with each other. Frames sent with the same key arrive in the
 * order sent (under an ordered {@link Delivery}); frames with different keys may overtake each
 * other where the transport can let them, so a loss holds back only its own key's frames.
 *
 * <p>TCP and the memory transport carry one ordered stream and ignore the key: everything stays in
 * order, and one lost segment holds back everything behind it (head-of-line blocking). UDP maps
 * each key to one of the engine's independent channels: {@link #CONNECTION} to channel 0, any other
 * key to one of the rest by its hash, so two keys may share a channel, but one key never spans two.
 * The chat gives each room its own key: a loss in one room no longer delays another.
 *
 * @param name what the frames belong to, e.g. {@code "room:lobby"}; empty for {@link #CONNECTION}
 */
public record OrderingKey(String name) {

    /** In order with everything else sent on the connection without a key of its own. */
    public static final OrderingKey CONNECTION = new OrderingKey("");

    public OrderingKey {
        Objects.requireNonNull(name, "name");
    }

    /** A key of its own for {@code name}. */
    public static OrderingKey of(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a named key needs a non-empty name; use OrderingKey.CONNECTION");
        }
        return new OrderingKey(name);
    }

    /**
     * The channel this key maps to among {@code channels} independent ones: 0 for
     * {@link #CONNECTION}, otherwise one of 1..channels-1 chosen by the name's hash (0 when there is
     * only one channel). The same name always maps to the same channel.
     */
    public int channel(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1: " + channels);
        }
        if (this.equals(CONNECTION) || channels == 1) {
            return 0;
        }
        return 1 + Math.floorMod(name.hashCode(), channels - 1);
    }
}
