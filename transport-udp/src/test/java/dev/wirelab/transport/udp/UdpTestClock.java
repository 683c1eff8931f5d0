package dev.wirelab.transport.udp;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock that moves only when told: a wall clock and a nano clock that advance together. */
final class UdpTestClock implements InstantSource, LongSupplier {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final long wallEpochMillis;

    UdpTestClock(long wallEpochMillis) {
        this.wallEpochMillis = wallEpochMillis;
    }

    UdpTestClock() {
        this(1_700_000_000_000L);
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return wallEpochMillis + (nanos.get() - 1_000_000_000_000L) / 1_000_000;
    }

    @Override
    public long getAsLong() {
        return nanos.get();
    }
}
