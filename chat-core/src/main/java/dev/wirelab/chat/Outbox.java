package dev.wirelab.chat;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.OrderingKey;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session's outbound queue and the virtual thread that drains it into the connection. Offering
 * never blocks, so a broadcaster never waits on someone else's socket; a queue that would pass its
 * byte limit refuses, and the server then drops that one slow session. Frames are written in the
 * order offered, each under its {@link OrderingKey}, so over UDP one room's loss does not hold back
 * another's frames at the receiver.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final Connection connection;
    private final long maxQueuedBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final Thread writer;
    private long queuedBytes;
    private boolean closing;
    private boolean finished;
    /** When the frame being written was handed to the connection; 0 while not writing. */
    private volatile long sendingSinceNanos;

    Outbox(Connection connection, long maxQueuedBytes, String name) {
        this.connection = connection;
        this.maxQueuedBytes = maxQueuedBytes;
        this.writer = Thread.ofVirtual().name("outbox-" + name).start(this::drain);
    }

    /** A frame waiting to be written, and what it must stay in order with. */
    private record Queued(Frame frame, OrderingKey key) {}

    /** Queues a frame; false if that would pass the byte limit (the frame is not queued). */
    boolean offer(Frame frame, OrderingKey key) {
        lock.lock();
        try {
            if (closing) {
                return true;
            }
            if (queuedBytes + frame.length() > maxQueuedBytes) {
                return false;
            }
            queue.addLast(new Queued(frame, key));
            queuedBytes += frame.length();
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is queued, then closes the connection. */
    void closeAfterFlush() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is queued, sends only {@code lastWords} (best effort), then closes. */
    void abort(Frame lastWords) {
        lock.lock();
        try {
            queue.clear();
            queue.addLast(new Queued(lastWords, OrderingKey.CONNECTION));
            queuedBytes = lastWords.length();
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a single write has been blocked for longer than {@code nanos}. */
    boolean stuckFor(long nanos, long nowNanos) {
        long since = sendingSinceNanos;
        return since != 0 && nowNanos - since > nanos;
    }

    /** Waits until everything was sent and the connection closed, or the time is up. */
    boolean awaitFinished(long timeoutMillis) throws InterruptedException {
        return writer.join(java.time.Duration.ofMillis(timeoutMillis));
    }

    boolean finished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    private void drain() {
        try {
            while (true) {
                Queued next;
                lock.lock();
                try {
                    while (queue.isEmpty() && !closing) {
                        changed.await();
                    }
                    next = queue.pollFirst();
                    if (next == null) {
                        return;
                    }
                    queuedBytes -= next.frame().length();
                } finally {
                    lock.unlock();
                }
                sendingSinceNanos = System.nanoTime();
                try {
                    connection.send(next.frame(), next.key());
                } catch (FrameTooLargeException e) {
                    // Nothing was sent and the connection is fine: skip this frame, not the client.
                    LOG.log(System.Logger.Level.WARNING, () -> "skipped a frame to " + connection.remoteAddress() + ": " + e.getMessage());
                }
                sendingSinceNanos = 0;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "stopped writing to " + connection.remoteAddress() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sendingSinceNanos = 0;
            lock.lock();
            try {
                finished = true;
                closing = true;
                queue.clear();
            } finally {
                lock.unlock();
            }
            connection.close();
        }
    }
}
