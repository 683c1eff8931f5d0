package dev.wirelab.chat;

/**
 * A token bucket for chat posts: {@code burst} posts at once, then {@code perSecond} per second
 * (ergo's fakelag idea, answered with RATE_LIMITED instead of a delay so every transport behaves
 * alike). {@link #UNLIMITED} switches it off, as the comparison lab does.
 *
 * @param burst     posts allowed back to back
 * @param perSecond posts per second after the burst
 */
public record RateLimit(int burst, double perSecond) {

    /** Generous for people typing, tight for a script flooding a room. */
    public static final RateLimit DEFAULT = new RateLimit(20, 10.0);

    /** No limit at all. */
    public static final RateLimit UNLIMITED = new RateLimit(Integer.MAX_VALUE, Double.POSITIVE_INFINITY);

    public RateLimit {
        if (burst <= 0 || !(perSecond > 0)) {
            throw new IllegalArgumentException("burst and perSecond must be positive");
        }
    }

    boolean unlimited() {
        return Double.isInfinite(perSecond);
    }
}
