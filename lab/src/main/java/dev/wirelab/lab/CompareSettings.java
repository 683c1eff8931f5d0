package dev.wirelab.lab;

import java.time.Duration;

/**
 * How each scenario of {@code compare} runs.
 *
 * @param rate    posts per second, sent on a fixed schedule (open loop)
 * @param size    characters of each post's text (sequence number and timestamps, padded)
 * @param warmup  posting before measuring starts (ignored by the receiver)
 * @param measure posting that is measured
 * @param drain   how long to wait for stragglers after the last post (reliable links wait up to
 *                five times this, but stop as soon as everything has arrived)
 * @param seed    seeds the sender's impairment; the server's gets {@code seed + 1}, receiver
 *                i's {@code seed + 2 + i}
 * @param receivers clients in the room that record what arrives (the sender is one more)
 */
record CompareSettings(int rate, int size, Duration warmup, Duration measure, Duration drain, long seed,
                       int receivers) {

    /** Most receivers a run may have: each is a client with its own socket in this process. */
    static final int MAX_RECEIVERS = 100;

    CompareSettings {
        if (receivers < 1 || receivers > MAX_RECEIVERS) {
            throw new IllegalArgumentException("clients must be between 2 and " + (MAX_RECEIVERS + 1)
                    + " (one sender and at least one receiver)");
        }
        if (rate <= 0 || rate > 100_000) {
            throw new IllegalArgumentException("rate must be between 1 and 100000 posts per second");
        }
        if (size < 48 || size > 1000) {
            throw new IllegalArgumentException("size must be between 48 and 1000 characters");
        }
        if (measure.isNegative() || measure.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    long warmupPosts() {
        return warmup.toNanos() * rate / 1_000_000_000L;
    }

    long measuredPosts() {
        return Math.max(1, measure.toNanos() * rate / 1_000_000_000L);
    }
}
