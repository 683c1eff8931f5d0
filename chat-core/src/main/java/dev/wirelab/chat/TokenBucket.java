package dev.wirelab.chat;

import java.time.Duration;
import java.time.Instant;

/** One session's allowance under a {@link RateLimit}; pure, driven by the caller's clock. */
final class TokenBucket {

    private final RateLimit limit;
    private double tokens;
    private Instant last;

    TokenBucket(RateLimit limit, Instant now) {
        this.limit = limit;
        this.tokens = limit.burst();
        this.last = now;
    }

    /** Takes one token if there is one. */
    boolean tryTake(Instant now) {
        if (limit.unlimited()) {
            return true;
        }
        if (now.isAfter(last)) {
            double elapsedSeconds = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(limit.burst(), tokens + elapsedSeconds * limit.perSecond());
            last = now;
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
