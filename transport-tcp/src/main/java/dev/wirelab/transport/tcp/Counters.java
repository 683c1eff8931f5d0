package dev.wirelab.transport.tcp;

import dev.wirelab.transport.TrafficStats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's traffic counters. The reader thread updates the "in" pair and senders (one at a
 * time, under the write lock) the "out" pair; anyone may read them at any time.
 */
final class Counters {

    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong framesIn = new AtomicLong();
    final AtomicLong framesOut = new AtomicLong();

    TrafficStats snapshot() {
        return new TrafficStats(bytesIn.get(), bytesOut.get(), framesIn.get(), framesOut.get());
    }
}
