package dev.wirelab.transport;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A connection of a reliable stream transport whose sent frames go through a {@link StreamModel}
 * before the delegate sends them: delayed, throttled, stalled (the stream's form of loss) or reset,
 * never reordered, duplicated or dropped. See {@link ImpairedTransport}.
 *
 * <p>Threads: {@link #send} checks the frame, queues it and returns (blocking only while the queue
 * is full); a {@link StreamImpairer} thread of this connection sends each frame through the
 * delegate at its due time. {@link #receive} is the delegate's, on the caller's thread.
 *
 * <p>Closing: {@link #close} is a socket's close with data in its send buffer: what was already sent
 * still goes out at its due time (for at most {@link ImpairedTransport#CLOSE_LINGER}), then the
 * delegate is closed; new sends and new receives fail at once with {@code LOCAL_CLOSE}. A reader
 * already blocked in {@code receive} wakes when the delegate closes. After a reset, sends and
 * receives fail with {@code LOST}.
 */
final class ImpairedConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(ImpairedConnection.class.getName());

    private record Outgoing(Frame frame, Delivery delivery) {
    }

    private final Connection delegate;
    private final Framing framing;
    private final StreamImpairer<Outgoing> impairer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Why sending stopped: a reset by the model (LOST) or the delegate's failure. */
    private volatile IOException failure;
    private volatile boolean reset;

    ImpairedConnection(Connection delegate, Framing framing, StreamModel model, LongSupplier nanoClock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.impairer = StreamImpairer.start("wirelab-impair-" + delegate.remoteAddress(), model, nanoClock,
                new StreamImpairer.Sink<>() {
                    @Override
                    public void deliver(Outgoing outgoing) throws IOException {
                        delegate.send(outgoing.frame(), outgoing.delivery());
                    }

                    @Override
                    public void ended(StreamImpairer.End end) {
                        onEnd(end);
                    }
                });
    }

    /** The model deciding each sent frame's fate. */
    StreamModel model() {
        return impairer.model();
    }

    @Override
    public SocketAddress localAddress() {
        return delegate.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public Guarantees guarantees(Delivery requested) {
        return delegate.guarantees(requested);
    }

    /**
     * Queues the frame; it is sent at its due time. Fails at once, as the delegate would, for a frame
     * over the limit or one the framing cannot carry; a failure of the delegate's own send shows at
     * the next call.
     */
    @Override
    public void send(Frame frame, Delivery delivery) throws IOException {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(delivery, "delivery");
        int wireBytes = framing.encode(frame).length; // FrameTooLargeException, or a line with a newline
        throwIfEnded();
        if (!impairer.offer(new Outgoing(frame, delivery), wireBytes)) {
            // The stream ended under us; the impairer knows how even before onEnd has run.
            switch (impairer.end().orElse(null)) {
                case StreamImpairer.End.Reset r -> throw lost();
                case StreamImpairer.End.Failed failed -> throw failure(failed.cause());
                case null, default -> {
                    throwIfEnded();
                    throw new ConnectionClosedException(CloseReason.LOCAL_CLOSE, "connection closed");
                }
            }
        }
    }

    @Override
    public Frame receive() throws IOException {
        if (reset) {
            throw lost();
        }
        if (closed.get()) {
            throw new ConnectionClosedException(CloseReason.LOCAL_CLOSE, "connection closed");
        }
        try {
            return delegate.receive();
        } catch (ConnectionClosedException e) {
            if (reset) {
                throw lost(); // the delegate only saw our close
            }
            throw e;
        }
    }

    @Override
    public TrafficStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && !impairer.finish(ImpairedTransport.CLOSE_LINGER)) {
            delegate.close(); // reset or failed already: nothing left to send
        }
    }

    /**
     * Closes, then waits (at most a little longer than the linger) until what was sent has gone
     * out and the delegate is closed: a handler's last replies must not be cut off when it returns.
     */
    void closeAndDrain() {
        close();
        try {
            if (!impairer.awaitStopped(ImpairedTransport.CLOSE_LINGER.plusSeconds(1))) {
                impairer.abort();
                delegate.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            impairer.abort();
            delegate.close();
        }
    }

    private void onEnd(StreamImpairer.End end) {
        switch (end) {
            case StreamImpairer.End.Finished finished -> delegate.close();
            case StreamImpairer.End.Expired expired -> {
                LOG.log(System.Logger.Level.DEBUG, "{0}: {1} frame(s) still delayed at close were dropped",
                        this, expired.dropped());
                delegate.close();
            }
            case StreamImpairer.End.Reset r -> {
                LOG.log(System.Logger.Level.DEBUG, "{0}: reset by the impairment", this);
                failure = lost();
                reset = true;
                delegate.close();
            }
            case StreamImpairer.End.Failed failed -> {
                // The delegate's send failed (the peer reset, a write deadline): the delegate knows
                // why; its reader still takes what arrived before. A later close() closes it.
                failure = failed.cause();
                if (closed.get()) {
                    delegate.close();
                }
            }
        }
    }

    private void throwIfEnded() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw failure(f);
        }
        if (closed.get()) {
            throw new ConnectionClosedException(CloseReason.LOCAL_CLOSE, "connection closed");
        }
    }

    /** A fresh exception for this caller, saying what ended the sending. */
    private static IOException failure(IOException f) {
        if (f instanceof ConnectionClosedException closedException) {
            ConnectionClosedException copy = new ConnectionClosedException(closedException.reason(),
                    closedException.getMessage());
            copy.initCause(f);
            return copy;
        }
        return new IOException("sending failed: " + f.getMessage(), f);
    }

    private ConnectionClosedException lost() {
        return new ConnectionClosedException(CloseReason.LOST,
                "connection reset by the impairment " + impairer.model().impairment().toSpec());
    }

    @Override
    public String toString() {
        return "ImpairedConnection[" + delegate + " with " + impairer.model().impairment().toSpec() + "]";
    }
}
