package dev.wirelab.transport;

import java.util.Objects;

/**
 * What a connection really does with a frame sent under some {@link Delivery}: the TCP-vs-UDP
 * differences as data, so reports and tests can read them rather than assume them.
 *
 * @param delivery      the delivery actually given (TCP upgrades everything to RELIABLE_ORDERED)
 * @param maxFrameBytes the largest frame the connection carries
 */
public record Guarantees(Delivery delivery, int maxFrameBytes) {
    public Guarantees {
        Objects.requireNonNull(delivery, "delivery");
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
    }

    public boolean reliable() {
        return delivery.reliable();
    }

    public boolean ordered() {
        return delivery.ordered();
    }
}
