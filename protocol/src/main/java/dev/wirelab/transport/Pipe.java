package dev.wirelab.transport;

import dev.wirelab.protocol.Frame;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded one-way queue of frames between two memory connections. A full pipe blocks the writer,
 * which is the in-memory form of TCP back-pressure. Guarded by a {@link ReentrantLock}, not
 * {@code synchronized}, so a blocked virtual thread does not pin its carrier on Java 21.
 */
final class Pipe {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final int capacity;
    private boolean closedByWriter;
    private boolean closedByReader;

    Pipe(int capacity) {
        this.capacity = capacity;
    }

    void put(Frame frame) throws ConnectionClosedException, InterruptedIOException {
        lock.lock();
        try {
            while (frames.size() >= capacity && !closed()) {
                awaitOrThrow(notFull);
            }
            if (closedByWriter) {
                throw new ConnectionClosedException(CloseReason.LOCAL_CLOSE, "connection closed");
            }
            if (closedByReader) {
                throw new ConnectionClosedException(CloseReason.PEER_CLOSED, "peer closed the connection");
            }
            frames.addLast(frame);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    Frame take() throws ConnectionClosedException, InterruptedIOException {
        lock.lock();
        try {
            while (frames.isEmpty() && !closed()) {
                awaitOrThrow(notEmpty);
            }
            if (closedByReader) {
                throw new ConnectionClosedException(CloseReason.LOCAL_CLOSE, "connection closed");
            }
            Frame frame = frames.pollFirst();
            if (frame == null) {
                throw new ConnectionClosedException(CloseReason.PEER_CLOSED, "peer closed the connection");
            }
            notFull.signal();
            return frame;
        } finally {
            lock.unlock();
        }
    }

    /** The writer is done: the reader drains what is queued, then sees the end. */
    void closeByWriter() {
        lock.lock();
        try {
            closedByWriter = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reader is gone: queued frames are dropped and the writer sees the end at once. */
    void closeByReader() {
        lock.lock();
        try {
            closedByReader = true;
            frames.clear();
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean closed() {
        return closedByWriter || closedByReader;
    }

    private static void awaitOrThrow(Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a memory connection");
        }
    }
}
