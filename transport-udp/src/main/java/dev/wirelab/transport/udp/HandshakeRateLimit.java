package dev.wirelab.transport.udp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Token buckets that bound the replies a listener sends before a client is validated (COOKIE, and
 * ACCEPT repeated for a lost one): one per source IP address and one for the whole listener, so
 * neither one spoofed address nor a spoofed flood from many can turn the server into a reflector.
 *
 * <p>Per-source buckets live in a fixed table indexed by a hash of the address, so a flood from
 * millions of spoofed addresses allocates nothing (no per-client state before the cookie comes
 * back); two addresses that share a slot share a budget, which only makes the limit stricter.
 * Time comes from an injected nano clock. Thread-safe.
 */
final class HandshakeRateLimit {

    /** Slots in the per-source table. */
    static final int SLOTS = 1024;

    private final double perSourceRate;
    private final double perSourceBurst;
    private final double globalRate;
    private final double globalBurst;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final double[] sourceTokens = new double[SLOTS];
    private final long[] sourceStamps = new long[SLOTS];
    private final boolean[] sourceUsed = new boolean[SLOTS];
    private double globalTokens;
    private long globalStamp;

    /**
     * @param perSourceRate  replies per second one source IP earns
     * @param perSourceBurst replies one source IP may get at once
     * @param globalRate     replies per second for the whole listener
     * @param globalBurst    replies the listener may send at once
     */
    HandshakeRateLimit(double perSourceRate, double perSourceBurst, double globalRate, double globalBurst,
            LongSupplier nanoClock) {
        this.perSourceRate = perSourceRate;
        this.perSourceBurst = perSourceBurst;
        this.globalRate = globalRate;
        this.globalBurst = globalBurst;
        this.nanoClock = nanoClock;
        this.globalTokens = globalBurst;
        this.globalStamp = nanoClock.getAsLong();
        Arrays.fill(sourceTokens, perSourceBurst);
    }

    /** Takes one token from {@code source}'s bucket and one from the global bucket, or neither. */
    boolean tryAcquire(InetAddress source) {
        long now = nanoClock.getAsLong();
        int slot = Math.floorMod(source.hashCode() * 0x9E3779B9, SLOTS);
        lock.lock();
        try {
            double local = sourceUsed[slot]
                    ? refill(sourceTokens[slot], sourceStamps[slot], now, perSourceRate, perSourceBurst)
                    : perSourceBurst;
            double global = refill(globalTokens, globalStamp, now, globalRate, globalBurst);
            sourceUsed[slot] = true;
            sourceStamps[slot] = now;
            globalStamp = now;
            if (local < 1 || global < 1) {
                sourceTokens[slot] = local;
                globalTokens = global;
                return false;
            }
            sourceTokens[slot] = local - 1;
            globalTokens = global - 1;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static double refill(double tokens, long stamp, long now, double rate, double burst) {
        double elapsedSeconds = Math.max(0, now - stamp) / 1e9;
        return Math.min(burst, tokens + elapsedSeconds * rate);
    }
}
