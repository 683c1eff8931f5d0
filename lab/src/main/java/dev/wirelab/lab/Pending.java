package dev.wirelab.lab;

import dev.wirelab.protocol.RequestId;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests the client has sent and not yet seen answered. The command loop waits here for the
 * reply to each command before reading the next line, which keeps a script's output in a fixed
 * order; the connection's reader thread marks replies as they are printed.
 *
 * <p>Thread-safe. A {@link ReentrantLock}, not {@code synchronized}, because the reader may be a
 * virtual thread (rule 12).
 */
final class Pending {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<RequestId> waiting = new HashSet<>();
    private boolean closed;

    /** Called before the request is sent, so a fast reply cannot arrive unexpected. */
    void expect(RequestId id) {
        lock.lock();
        try {
            waiting.add(id);
        } finally {
            lock.unlock();
        }
    }

    /** The reply to {@code id} has been printed. */
    void complete(RequestId id) {
        lock.lock();
        try {
            if (waiting.remove(id)) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The request was never sent after all. */
    void forget(RequestId id) {
        complete(id);
    }

    /** The connection ended: nothing more will be answered, so nobody waits any more. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code id} is answered.
     *
     * @return true if it was; false if the connection ended or {@code timeout} passed first
     */
    boolean await(RequestId id, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (waiting.contains(id) && !closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            // Answered if complete() took it out, even when the connection closed right after.
            return !waiting.remove(id);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Pending" + waiting;
        } finally {
            lock.unlock();
        }
    }
}
