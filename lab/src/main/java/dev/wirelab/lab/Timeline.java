package dev.wirelab.lab;

import java.io.IOException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Runs actions at their due time, earliest first (ties in the order scheduled), on one virtual
 * thread of its own that sleeps until the next one is due: the delivery side of a
 * {@link dev.wirelab.transport.LinkModel}, whose arrivals may come out of send order.
 *
 * <p>Bounded: at most {@code capacity} actions wait; {@link #schedule} refuses more (a relay counts
 * the datagram as lost). An action that throws is logged at DEBUG and the next one runs.
 *
 * <p>Threads: {@link #schedule} and {@link #close} are thread-safe; actions run on the timeline's
 * thread, one at a time, outside the lock.
 */
final class Timeline implements AutoCloseable {

    /** Something to do at its time; may do I/O. */
    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    private record Entry(long atNanos, long sequence, Action action) {
    }

    private static final System.Logger LOG = System.getLogger(Timeline.class.getName());

    private final LongSupplier clock;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        long difference = a.atNanos() - b.atNanos(); // nano clocks compare by difference
        return difference != 0 ? Long.signum(difference) : Long.compare(a.sequence(), b.sequence());
    });
    private final Thread thread;
    private long sequence;
    private boolean closed;

    Timeline(String name, LongSupplier clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    /**
     * Runs {@code action} at {@code atNanos} on the clock (at once if that has passed).
     *
     * @return false if the timeline is full or closed; the action will not run
     */
    boolean schedule(long atNanos, Action action) {
        Objects.requireNonNull(action, "action");
        lock.lock();
        try {
            if (closed || queue.size() >= capacity) {
                return false;
            }
            queue.add(new Entry(atNanos, sequence++, action));
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Actions waiting now. */
    int pending() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is waiting and stops the thread. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Entry due;
            lock.lock();
            try {
                due = next();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (due == null) {
                return;
            }
            try {
                due.action().run();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "a scheduled delivery failed: {0}", e.toString());
            }
        }
    }

    /** The next entry once due, or null once closed. Lock held. */
    private Entry next() throws InterruptedException {
        while (!closed) {
            Entry head = queue.peek();
            if (head == null) {
                changed.await();
                continue;
            }
            long wait = head.atNanos() - clock.getAsLong();
            if (wait > 0) {
                changed.awaitNanos(wait);
                continue;
            }
            return queue.poll();
        }
        return null;
    }
}
