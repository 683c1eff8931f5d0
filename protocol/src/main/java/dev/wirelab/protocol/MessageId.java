package dev.wirelab.protocol;

/**
 * A server-assigned id for a stored chat message. Ids grow with every message a server accepts,
 * so they order history and serve as paging cursors.
 *
 * @param value a positive number
 */
public record MessageId(long value) implements Comparable<MessageId> {

    public MessageId {
        if (value <= 0) {
            throw new IllegalArgumentException("message id must be positive: " + value);
        }
    }

    public static MessageId of(long value) {
        return new MessageId(value);
    }

    public MessageId next() {
        return new MessageId(value + 1);
    }

    @Override
    public int compareTo(MessageId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
