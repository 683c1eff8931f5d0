package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The posting allowance: a burst, a steady refill, a cap, and a clock that is only ever the caller's. */
@Timeout(10)
class TokenBucketTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static int takeAll(TokenBucket bucket, Instant now) {
        int taken = 0;
        while (bucket.tryTake(now)) {
            taken++;
            if (taken > 1_000_000) {
                break;
            }
        }
        return taken;
    }

    @Test
    void aFullBucketAllowsTheBurstAndNothingMoreAtTheSameInstant() {
        TokenBucket bucket = new TokenBucket(new RateLimit(5, 2.0), T0);

        assertThat(takeAll(bucket, T0)).isEqualTo(5);
        assertThat(bucket.tryTake(T0)).isFalse();
    }

    @Test
    void tokensComeBackAtTheConfiguredRate() {
        TokenBucket bucket = new TokenBucket(new RateLimit(5, 2.0), T0);
        takeAll(bucket, T0);

        assertThat(bucket.tryTake(T0.plusMillis(499))).isFalse();
        assertThat(bucket.tryTake(T0.plusMillis(500))).isTrue();
        assertThat(bucket.tryTake(T0.plusMillis(500))).isFalse();
        assertThat(takeAll(bucket, T0.plusMillis(1500))).isEqualTo(2);
    }

    @Test
    void aLongPauseRefillsOnlyUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(5, 2.0), T0);
        takeAll(bucket, T0);

        assertThat(takeAll(bucket, T0.plus(Duration.ofHours(1)))).isEqualTo(5);
    }

    @Test
    void manySmallStepsAddUpLikeOneBigStep() {
        TokenBucket bucket = new TokenBucket(new RateLimit(3, 10.0), T0);
        takeAll(bucket, T0);
        int taken = 0;

        for (int step = 1; step <= 100; step++) {
            if (bucket.tryTake(T0.plusMillis(10L * step))) {
                taken++;
            }
        }

        // One second at 10 per second, each token taken as soon as it is whole.
        assertThat(taken).isBetween(9, 10);
    }

    @Test
    void aClockGoingBackwardsAddsNothing() {
        TokenBucket bucket = new TokenBucket(new RateLimit(2, 1.0), T0.plusSeconds(10));
        takeAll(bucket, T0.plusSeconds(10));

        assertThat(bucket.tryTake(T0)).isFalse();
        assertThat(bucket.tryTake(T0.plusSeconds(10))).isFalse();
        assertThat(bucket.tryTake(T0.plusSeconds(11))).isTrue();
    }

    @Test
    void unlimitedNeverRefuses() {
        TokenBucket bucket = new TokenBucket(RateLimit.UNLIMITED, T0);

        for (int i = 0; i < 100_000; i++) {
            assertThat(bucket.tryTake(T0)).isTrue();
        }
        assertThat(RateLimit.UNLIMITED.unlimited()).isTrue();
        assertThat(RateLimit.DEFAULT.unlimited()).isFalse();
    }

    @Test
    void aRateLimitNeedsAPositiveBurstAndRate() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(0, 1.0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(-1, 1.0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(1, 0.0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(1, -2.0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(1, Double.NaN));
    }
}
