package dev.wirelab.transport.tcp;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Aborts connections whose current write has blocked longer than the write deadline: a peer that
 * stopped reading fills its receive window, and its sender must not wait forever.
 *
 * <p>One watchdog per transport, on one daemon thread. Senders pay only two volatile writes per
 * frame (the write's start time, then "not writing"); the watchdog scans the open connections every
 * tenth of the deadline (between 10 ms and 1 s), so a stuck write ends between the deadline and
 * the deadline plus one period. It runs only while connections are open, and its thread ends a
 * few seconds after the last one closes.
 *
 * <p>Thread-safe.
 */
final class WriteWatchdog {

    private static final System.Logger LOG = System.getLogger(WriteWatchdog.class.getName());
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Collection<TcpConnection> connections;
    private final long deadlineNanos;
    private final long periodNanos;
    private final String detail;
    private final LongSupplier nanoClock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    /** The periodic scan while connections are open; guarded by {@code lock}. */
    private ScheduledFuture<?> scan;

    WriteWatchdog(Collection<TcpConnection> connections, Duration writeDeadline, LongSupplier nanoClock) {
        this.connections = connections;
        this.deadlineNanos = writeDeadline.toNanos();
        this.periodNanos = Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, deadlineNanos / 10));
        this.detail = "write blocked for more than " + FrameReader.describe(writeDeadline);
        this.nanoClock = nanoClock;
        this.scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("wirelab-tcp-watchdog").factory());
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(5, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
    }

    /** A connection was added to the watched collection: make sure the scan runs. */
    void connectionOpened() {
        lock.lock();
        try {
            if (scan == null) {
                scan = scheduler.scheduleWithFixedDelay(this::scan, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void scan() {
        try {
            long now = nanoClock.getAsLong();
            for (TcpConnection connection : connections) {
                connection.checkWriteDeadline(now, deadlineNanos, detail);
            }
            if (connections.isEmpty()) {
                lock.lock();
                try {
                    // Re-checked under the lock: connectionOpened() adds first, then takes the lock.
                    if (connections.isEmpty() && scan != null) {
                        scan.cancel(false);
                        scan = null;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again; log and keep watching.
            LOG.log(System.Logger.Level.WARNING, "write watchdog scan failed", e);
        }
    }

    /** Whether a scan is scheduled; for tests. */
    boolean running() {
        lock.lock();
        try {
            return scan != null;
        } finally {
            lock.unlock();
        }
    }
}
