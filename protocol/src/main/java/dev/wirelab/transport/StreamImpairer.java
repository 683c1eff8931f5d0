package dev.wirelab.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Carries one direction of an impaired reliable stream: items (frames, relayed chunks) go in with
 * {@link #offer}, are given their fate by a {@link StreamModel}, and come out in order, each at its
 * due time, on a virtual thread of this impairer's own that hands them to a {@link Sink}. The
 * sender is never held up by the delay itself, only by back-pressure: the queue holds at most
 * {@code queueItems} items and {@code queueBytes} bytes (always at least one item), and
 * {@code offer} blocks while it is full.
 *
 * <p>How it ends, as {@link Sink#ended} reports it once (never after {@link #abort}):
 * <ul>
 *   <li>{@link End.Finished}: {@link #finish} was called and everything queued was delivered;</li>
 *   <li>{@link End.Expired}: {@link #finish}'s linger passed with items still queued, which were dropped;</li>
 *   <li>{@link End.Reset}: the model reset the stream; the item and all behind it were dropped;</li>
 *   <li>{@link End.Failed}: {@link Sink#deliver} threw; what was queued behind was dropped.</li>
 * </ul>
 *
 * <p>Threads: {@code offer}, {@code finish}, {@code abort} and the queries are thread-safe
 * ({@link ReentrantLock}, never held while the sink runs). The sink is called on the impairer's
 * thread only, one call at a time, and may block (a full socket): the queue then fills and senders
 * wait, which is how back-pressure travels. Waiting uses the injected nano clock, which must advance
 * with real time (an offset or scaled clock is fine; a frozen one never releases anything).
 *
 * @param <T> what is carried
 */
public final class StreamImpairer<T> {

    /** Items queued before {@link #offer} blocks, unless told otherwise. */
    public static final int QUEUE_ITEMS_DEFAULT = 1024;

    /** Bytes queued before {@link #offer} blocks, unless told otherwise: 1 MiB. */
    public static final long QUEUE_BYTES_DEFAULT = 1L << 20;

    private static final System.Logger LOG = System.getLogger(StreamImpairer.class.getName());

    /** Where released items go; called on the impairer's thread. */
    public interface Sink<T> {

        /** Delivers one item, at its due time, in order. May block; throwing ends the stream ({@link End.Failed}). */
        void deliver(T item) throws IOException;

        /** The stream has ended, and how; called once, after the last {@link #deliver}. Must not throw. */
        void ended(End end);
    }

    /** How a stream ended. */
    public sealed interface End {

        /** Everything offered before {@link #finish} was delivered. */
        record Finished() implements End {
        }

        /**
         * The linger given to {@link #finish} passed first.
         *
         * @param dropped items never delivered
         */
        record Expired(int dropped) implements End {
        }

        /** The model reset the stream: the item due and everything behind it were dropped. */
        record Reset() implements End {
        }

        /**
         * The sink failed.
         *
         * @param cause what {@link Sink#deliver} threw
         */
        record Failed(IOException cause) implements End {
            public Failed {
                Objects.requireNonNull(cause, "cause");
            }
        }
    }

    private enum State { OPEN, FINISHING, ENDED, ABORTED }

    private record Item<T>(T value, int bytes, StreamModel.Release release) {
    }

    private final StreamModel model;
    private final LongSupplier clock;
    private final Sink<T> sink;
    private final int queueItems;
    private final long queueBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition due = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Item<T>> queue = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long queuedBytes;
    private State state = State.OPEN;
    private long finishDeadline;
    private volatile End end;

    private StreamImpairer(StreamModel model, LongSupplier clock, int queueItems, long queueBytes, Sink<T> sink) {
        this.model = Objects.requireNonNull(model, "model");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (queueItems <= 0 || queueBytes <= 0) {
            throw new IllegalArgumentException("queue limits must be positive: " + queueItems + " items, "
                    + queueBytes + " bytes");
        }
        this.queueItems = queueItems;
        this.queueBytes = queueBytes;
    }

    /** Starts an impairer with the default queue limits; its thread is named {@code name}. */
    public static <T> StreamImpairer<T> start(String name, StreamModel model, LongSupplier clock, Sink<T> sink) {
        return start(name, model, clock, QUEUE_ITEMS_DEFAULT, QUEUE_BYTES_DEFAULT, sink);
    }

    /** Starts an impairer whose queue holds at most {@code queueItems} items and {@code queueBytes} bytes. */
    public static <T> StreamImpairer<T> start(String name, StreamModel model, LongSupplier clock, int queueItems,
            long queueBytes, Sink<T> sink) {
        StreamImpairer<T> impairer = new StreamImpairer<>(model, clock, queueItems, queueBytes, sink);
        Thread.ofVirtual().name(Objects.requireNonNull(name, "name")).start(impairer::run);
        return impairer;
    }

    /** The model deciding each item's fate; its {@link StreamModel#stats()} are safe to read. */
    public StreamModel model() {
        return model;
    }

    /**
     * Queues one item of {@code bytes} bytes (its size on the wire), waiting while the queue is full.
     *
     * @return false, with nothing queued, once the stream is finishing or has ended
     * @throws InterruptedIOException if interrupted while waiting for room
     */
    public boolean offer(T item, int bytes) throws InterruptedIOException {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            while (state == State.OPEN && !queue.isEmpty()
                    && (queue.size() >= queueItems || queuedBytes + bytes > queueBytes)) {
                try {
                    room.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for room in an impaired stream");
                }
            }
            if (state != State.OPEN) {
                return false;
            }
            StreamModel.Release release = model.send(bytes, clock.getAsLong());
            queue.addLast(new Item<>(item, bytes, release));
            queuedBytes += bytes;
            due.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * No more items: deliver what is queued, each at its due time but none later than {@code linger}
     * from now, then report {@link End.Finished} (or {@link End.Expired}). Blocked offers fail.
     * Idempotent; a later call does not move the deadline.
     *
     * @return true if the end will be (or was) reported as finished or expired; false if the stream
     *         had already ended otherwise (reset, failed, aborted), so no report will come
     */
    public boolean finish(Duration linger) {
        Objects.requireNonNull(linger, "linger");
        lock.lock();
        try {
            switch (state) {
                case OPEN -> {
                    state = State.FINISHING;
                    long lingerNanos = linger.compareTo(Duration.ofDays(365)) > 0
                            ? Duration.ofDays(365).toNanos() : Math.max(0, linger.toNanos());
                    finishDeadline = clock.getAsLong() + lingerNanos;
                    due.signalAll();
                    room.signalAll();
                    return true;
                }
                case FINISHING -> {
                    return true;
                }
                default -> {
                    return end instanceof End.Finished || end instanceof End.Expired;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything queued and stops at once; the sink hears nothing more. Idempotent. */
    public void abort() {
        lock.lock();
        try {
            if (state == State.OPEN || state == State.FINISHING) {
                state = State.ABORTED;
                queue.clear();
                queuedBytes = 0;
                due.signalAll();
                room.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the impairer's thread has stopped (after the end was reported, or an abort). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** How the stream ended, once it has (empty while running, and after an abort). */
    public Optional<End> end() {
        return Optional.ofNullable(end);
    }

    /** Items queued now, not yet delivered. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                Item<T> item;
                End reported;
                lock.lock();
                try {
                    item = next();
                    reported = item == null ? end : null;
                } catch (InterruptedException e) {
                    abort();
                    return;
                } finally {
                    lock.unlock();
                }
                if (item == null) {
                    if (reported != null) {
                        report(reported);
                    }
                    return;
                }
                if (item.release().reset()) {
                    report(endWith(new End.Reset()));
                    return;
                }
                try {
                    sink.deliver(item.value());
                } catch (IOException e) {
                    report(endWith(new End.Failed(e)));
                    return;
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "an impaired stream's sink failed", e);
                    report(endWith(new End.Failed(new IOException("sink failed: " + e, e))));
                    return;
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    /** The next item once it is due, or null when the stream stops (with {@link #end} set unless aborted). Lock held. */
    private Item<T> next() throws InterruptedException {
        while (true) {
            if (state == State.ABORTED || state == State.ENDED) {
                return null;
            }
            long now = clock.getAsLong();
            Item<T> head = queue.peekFirst();
            if (head == null) {
                if (state == State.FINISHING) {
                    endLocked(new End.Finished());
                    return null;
                }
                due.await();
                continue;
            }
            if (state == State.FINISHING && now - finishDeadline >= 0) {
                endLocked(new End.Expired(queue.size()));
                return null;
            }
            long wait = head.release().atNanos() - now;
            if (state == State.FINISHING) {
                wait = Math.min(wait, finishDeadline - now);
            }
            if (wait > 0) {
                due.awaitNanos(wait);
                continue;
            }
            queue.pollFirst();
            queuedBytes -= head.bytes();
            room.signalAll();
            return head;
        }
    }

    private End endWith(End ending) {
        lock.lock();
        try {
            if (state == State.ABORTED) {
                return null;
            }
            endLocked(ending);
            return ending;
        } finally {
            lock.unlock();
        }
    }

    private void endLocked(End ending) {
        state = State.ENDED;
        end = ending;
        queue.clear();
        queuedBytes = 0;
        room.signalAll();
    }

    private void report(End ending) {
        if (ending == null) {
            return;
        }
        try {
            sink.ended(ending);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an impaired stream's end handler failed", e);
        }
    }
}
