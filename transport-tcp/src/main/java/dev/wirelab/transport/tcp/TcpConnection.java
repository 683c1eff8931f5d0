package dev.wirelab.transport.tcp;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Guarantees;
import dev.wirelab.transport.TrafficStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One TCP peer: a connected {@link Socket} carrying frames cut by the codec's {@link Framing}.
 *
 * <p><b>Guarantees.</b> TCP delivers every frame once and in order whatever {@link Delivery} is
 * asked, so {@link #guarantees(Delivery)} always answers {@code RELIABLE_ORDERED} with the framing's
 * {@link Framing#maxFrameBytes()}, and {@link #send(Frame, Delivery)} ignores the delivery.
 *
 * <p><b>Threads.</b>
 * <ul>
 *   <li>{@link #send} is thread-safe. Senders take turns on a {@link ReentrantLock} and each frame
 *       goes out in one socket write (TCP_NODELAY is on, nothing is buffered in between), so frames
 *       from concurrent senders never interleave. A write blocked longer than
 *       {@link Limits#writeDeadline()} (the peer stopped reading) makes the transport's watchdog
 *       abort the connection; the blocked sender gets {@code ConnectionClosedException(LOST)}.
 *   <li>{@link #receive} runs on the caller's thread and serves one reader at a time (others wait
 *       their turn). It enforces the idle and frame-completion deadlines of {@link Limits} while it
 *       waits; nothing is enforced while nobody calls it.
 *   <li>{@link #close} is idempotent, may be called from any thread, and wakes a blocked reader,
 *       which then gets {@code ConnectionClosedException(LOCAL_CLOSE)}.
 *   <li>{@link #stats} may be called from any thread at any time.
 * </ul>
 *
 * <p><b>How a connection ends</b>, as {@link ConnectionClosedException#reason()} reports it:
 * {@code PEER_CLOSED} after the peer's FIN at a frame boundary (every frame before it is read
 * first; sending may still work); {@code PROTOCOL_VIOLATION} when the stream ends inside a frame,
 * cannot be followed, or a frame is not finished within {@link Limits#lineCompletion()};
 * {@code LOST} on a reset, after {@link Limits#idleTimeout()} of silence, or when a write passes
 * the write deadline; {@code LOCAL_CLOSE} after {@link #close()}. Every reason but
 * {@code PEER_CLOSED} closes the socket.
 *
 * <p><b>A frame past the discard limit</b> (a line with no newline within
 * {@link Framing#discardLimit()} bytes, a length prefix beyond it) cannot be skipped to the next
 * frame. {@link #receive} first reports it as a {@link FrameTooLargeException} whose
 * {@code length()} is over the discard limit, with the socket still open, so the handler can send a
 * best-effort error before closing; the next {@code receive} ends the connection with
 * {@code PROTOCOL_VIOLATION}. Nothing more is read in between, so no more than the frame limit is
 * ever buffered.
 */
public final class TcpConnection implements Connection {

    /** How the connection ended, once it did; the first cause wins. */
    record Ending(CloseReason reason, String detail) {
        ConnectionClosedException exception() {
            return new ConnectionClosedException(reason, detail);
        }

        ConnectionClosedException exception(Throwable cause) {
            ConnectionClosedException e = exception();
            e.initCause(cause);
            return e;
        }
    }

    private static final System.Logger LOG = System.getLogger(TcpConnection.class.getName());
    private static final long NOT_WRITING = Long.MIN_VALUE;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Framing framing;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final LongSupplier nanoClock;
    private final Consumer<TcpConnection> onClose;
    private final Counters counters = new Counters();
    private final FrameReader reader;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When the write in progress started, or NOT_WRITING; read by the watchdog. */
    private volatile long writeStartedNanos = NOT_WRITING;
    /** Set when a write failed without the connection being closed; later sends fail the same way. */
    private Ending writeFailure;

    TcpConnection(Socket socket, Framing framing, Limits limits, LongSupplier nanoClock,
            Consumer<TcpConnection> onClose) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.framing = Objects.requireNonNull(framing, "framing");
        this.localAddress = socket.getLocalSocketAddress();
        this.remoteAddress = socket.getRemoteSocketAddress();
        this.nanoClock = nanoClock;
        this.onClose = onClose;
        this.reader = new FrameReader(this::readSocket, framing, limits.lineCompletion(), limits.idleTimeout(),
                nanoClock, counters);
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Always {@code RELIABLE_ORDERED} with the framing's limit: TCP gives that whatever is asked. */
    @Override
    public Guarantees guarantees(Delivery requested) {
        Objects.requireNonNull(requested, "requested");
        return new Guarantees(Delivery.RELIABLE_ORDERED, framing.maxFrameBytes());
    }

    /**
     * Sends one frame, reliably and in order whatever {@code delivery} says, in one socket write.
     * Blocks while the socket's send buffer is full, at most for about the write deadline.
     *
     * @throws FrameTooLargeException     if the frame is over the framing's limit; nothing was sent
     * @throws IllegalArgumentException   if the framing cannot carry the frame (a line with a newline)
     * @throws ConnectionClosedException if the connection has ended, or ends during the write
     *                                    ({@code LOST} when the write deadline passed)
     */
    @Override
    public void send(Frame frame, Delivery delivery) throws IOException {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(delivery, "delivery");
        byte[] wire = framing.encode(frame); // FrameTooLargeException before anything is written
        writeLock.lock();
        try {
            Ending end = ending.get();
            if (end != null) {
                throw end.exception();
            }
            if (writeFailure != null) {
                throw writeFailure.exception();
            }
            writeStartedNanos = nanoClock.getAsLong();
            try {
                out.write(wire);
            } finally {
                writeStartedNanos = NOT_WRITING;
            }
            counters.bytesOut.addAndGet(wire.length);
            counters.framesOut.incrementAndGet();
        } catch (ConnectionClosedException e) {
            throw e;
        } catch (IOException e) {
            Ending end = ending.get();
            if (end != null) {
                throw end.exception(e); // closed under the writer: locally, or by the watchdog
            }
            // Reset or broken pipe. The socket stays open so the reader can still take what the
            // peer sent before it left; it will see the end itself.
            writeFailure = new Ending(CloseReason.LOST, "connection lost while writing: " + e.getMessage());
            throw writeFailure.exception(e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Frame receive() throws IOException {
        readLock.lock();
        try {
            Ending end = ending.get();
            if (end != null) {
                throw end.exception();
            }
            return reader.next();
        } catch (FrameTooLargeException e) {
            throw e; // skipped; the stream is still in step
        } catch (ConnectionClosedException e) {
            Ending end = ending.get();
            if (end != null) {
                throw end.exception(); // a close (ours, or the watchdog's) explains the end best
            }
            if (e.reason() != CloseReason.PEER_CLOSED) {
                closeWith(e.reason(), e.getMessage(), false);
            }
            throw e;
        } catch (IOException e) {
            Ending end = ending.get();
            if (end != null) {
                throw end.exception(e);
            }
            Ending lost = new Ending(CloseReason.LOST, "connection lost: " + e.getMessage());
            closeWith(lost.reason(), lost.detail(), false);
            throw lost.exception(e);
        } finally {
            readLock.unlock();
        }
    }

    /** Closes the connection: FIN after the last whole frame, then close. Idempotent. */
    @Override
    public void close() {
        closeWith(CloseReason.LOCAL_CLOSE, "connection closed", false);
    }

    /** Traffic on this connection so far; a consistent-enough snapshot, safe from any thread. */
    @Override
    public TrafficStats stats() {
        return counters.snapshot();
    }

    @Override
    public String toString() {
        return "TcpConnection[" + localAddress + " -> " + remoteAddress + "]";
    }

    /** Whether TCP_NODELAY is on; for tests. */
    boolean tcpNoDelay() throws IOException {
        return socket.getTcpNoDelay();
    }

    /** Whether {@link #close} (or a limit) has closed the socket; for tests. */
    boolean isClosed() {
        return closed.get();
    }

    /** Called by the watchdog: aborts the connection if one write has blocked past the deadline. */
    void checkWriteDeadline(long now, long deadlineNanos, String detail) {
        long started = writeStartedNanos;
        if (started != NOT_WRITING && now - started > deadlineNanos) {
            LOG.log(System.Logger.Level.INFO, "{0}: {1}; closing", this, detail);
            closeWith(CloseReason.LOST, detail, true);
        }
    }

    /**
     * Records why the connection ends (the first reason wins) and closes the socket once. A graceful
     * close shuts the output down first so the peer reads every whole frame and then a FIN (unless a
     * sender is mid-frame, which a close does not wait for). An abort sends a reset and frees the
     * kernel's buffers at once: for a peer that stopped reading, nothing queued would arrive anyway.
     */
    void closeWith(CloseReason reason, String detail, boolean abort) {
        ending.compareAndSet(null, new Ending(reason, detail));
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (abort) {
                socket.setSoLinger(true, 0);
            } else if (writeLock.tryLock()) {
                try {
                    socket.shutdownOutput();
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: no orderly shutdown: {1}", this, e);
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: close failed: {1}", this, e);
        }
        onClose.accept(this);
    }

    private int readSocket(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        return in.read(buffer, offset, length);
    }
}
