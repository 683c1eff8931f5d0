package dev.wirelab.transport.tcp;

import dev.wirelab.protocol.Decoded;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameDecoder;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.ConnectionClosedException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Cuts frames out of a byte stream and enforces the reader's deadlines: the stream half of a TCP
 * connection, kept apart from the socket so it can be tested with a scripted {@link Source} and a
 * fake clock.
 *
 * <p>Each call to {@link #next()} reads at most one buffer (8 KiB) at a time into the framing's
 * decoder and hands back the decoded results one by one, so nothing beyond one frame plus one read
 * buffer is ever held. Before every read the source is given the nearer of two deadlines:
 * <ul>
 *   <li><b>idle</b>: no bytes at all for {@code idleTimeout} ends the stream ({@code LOST});
 *   <li><b>frame completion</b>: once a frame has started (bytes buffered, or an oversize frame
 *       being skipped) it must end within {@code lineCompletion} ({@code PROTOCOL_VIOLATION}),
 *       which stops a peer from holding a connection open by dribbling a frame (slowloris).
 * </ul>
 *
 * <p>Not thread-safe: one reader at a time, which {@link TcpConnection} ensures.
 */
final class FrameReader {

    /** Bytes read from the socket at a time. */
    static final int READ_BUFFER_BYTES = 8 * 1024;

    /** Where the bytes come from: a socket, or a script in tests. */
    interface Source {
        /**
         * Reads up to {@code length} bytes, waiting at most {@code timeoutMillis} (always at least 1).
         *
         * @return the number of bytes read, or -1 at the end of the stream
         * @throws SocketTimeoutException if nothing arrived in time; the source stays usable
         */
        int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException;
    }

    private final Source source;
    private final int maxFrameBytes;
    private final long discardLimit;
    private final FrameDecoder decoder;
    private final Duration lineCompletion;
    private final Duration idleTimeout;
    private final long lineCompletionNanos;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoClock;
    private final Counters counters;
    private final byte[] buffer = new byte[READ_BUFFER_BYTES];
    private final ArrayDeque<Decoded> pending = new ArrayDeque<>();

    private long lastBytesNanos;
    private long frameStartNanos;
    private boolean inFrame;
    /** Set once the stream has ended; every later call reports the same end. */
    private ConnectionClosedException ended;

    FrameReader(Source source, Framing framing, Duration lineCompletion, Duration idleTimeout,
            LongSupplier nanoClock, Counters counters) {
        this.source = source;
        this.maxFrameBytes = framing.maxFrameBytes();
        this.discardLimit = framing.discardLimit();
        this.decoder = framing.newDecoder();
        this.lineCompletion = lineCompletion;
        this.idleTimeout = idleTimeout;
        this.lineCompletionNanos = lineCompletion.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.lastBytesNanos = nanoClock.getAsLong();
    }

    /**
     * The next frame.
     *
     * @throws FrameTooLargeException     the peer sent a frame over the limit; it was skipped and the
     *                                    stream is still in step. Once, with a {@code length()} over the
     *                                    framing's {@link Framing#discardLimit()}: the frame passed the
     *                                    discard limit, the stream cannot be followed, and every later
     *                                    call throws {@code PROTOCOL_VIOLATION}
     * @throws ConnectionClosedException the stream ended: {@code PEER_CLOSED} at a frame boundary,
     *                                    {@code PROTOCOL_VIOLATION} for a broken stream or a frame
     *                                    not finished in time, {@code LOST} when idle too long
     * @throws IOException                the source failed (reset, closed under the reader)
     */
    Frame next() throws IOException {
        while (true) {
            Decoded decoded = pending.pollFirst();
            if (decoded != null) {
                switch (decoded) {
                    case Decoded.Complete complete -> {
                        counters.framesIn.incrementAndGet();
                        return complete.frame();
                    }
                    case Decoded.Oversize oversize -> throw new FrameTooLargeException(oversize.length(), maxFrameBytes);
                    case Decoded.Broken broken -> {
                        // A decoder breaks while fed only when a frame passes the discard limit (a longer
                        // line, a larger length prefix). Said once as "too large", so the handler can
                        // answer before the end; every later call reports the end. Nothing more is read.
                        end(CloseReason.PROTOCOL_VIOLATION, broken.reason());
                        throw new FrameTooLargeException(discardLimit + 1, maxFrameBytes);
                    }
                }
            }
            if (ended != null) {
                throw copy(ended);
            }
            fill();
        }
    }

    /** Whether a frame has started and not yet ended (bytes buffered, or an oversize frame skipped). */
    boolean inFrame() {
        return inFrame;
    }

    private void fill() throws IOException {
        long now = nanoClock.getAsLong();
        long idleDeadline = lastBytesNanos + idleTimeoutNanos;
        long frameDeadline = frameStartNanos + lineCompletionNanos;
        long deadline = inFrame && frameDeadline - idleDeadline < 0 ? frameDeadline : idleDeadline;
        int n;
        try {
            n = source.read(buffer, 0, buffer.length, timeoutMillis(deadline - now));
        } catch (SocketTimeoutException e) {
            long later = nanoClock.getAsLong();
            if (inFrame && later - frameDeadline >= 0) {
                throw end(CloseReason.PROTOCOL_VIOLATION,
                        "frame not completed within " + describe(lineCompletion) + " of its first byte");
            }
            if (later - idleDeadline >= 0) {
                throw end(CloseReason.LOST, "idle for " + describe(idleTimeout));
            }
            return; // woke before the deadline: read again
        }
        if (n < 0) {
            Optional<Decoded> last = decoder.finish();
            if (last.isPresent() && last.get() instanceof Decoded.Broken broken) {
                throw end(CloseReason.PROTOCOL_VIOLATION, "peer closed the connection: " + broken.reason());
            }
            throw end(CloseReason.PEER_CLOSED, "peer closed the connection");
        }
        if (n == 0) {
            return;
        }
        long arrived = nanoClock.getAsLong();
        lastBytesNanos = arrived;
        counters.bytesIn.addAndGet(n);
        List<Decoded> decoded = decoder.feed(buffer, 0, n);
        pending.addAll(decoded);
        boolean wasInFrame = inFrame;
        inFrame = decoder.inFrame();
        // A frame that is open now started in this read if none was open before, or one ended here.
        if (inFrame && (!wasInFrame || !decoded.isEmpty())) {
            frameStartNanos = arrived;
        }
    }

    private ConnectionClosedException end(CloseReason reason, String detail) {
        ended = new ConnectionClosedException(reason, detail);
        pending.clear();
        return copy(ended);
    }

    /** A fresh exception per throw, so each carries the stack of the call that saw it. */
    private static ConnectionClosedException copy(ConnectionClosedException end) {
        return new ConnectionClosedException(end.reason(), end.getMessage());
    }

    static int timeoutMillis(long remainingNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(remainingNanos + 999_999);
        // Never 0, which a socket reads as "no timeout": data already there is still read at once.
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    /** "150 s", "1.5 s", "500 ms": how a limit reads in a close reason. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        if (millis >= 1000 && millis % 100 == 0) {
            return millis / 1000 + "." + millis % 1000 / 100 + " s";
        }
        return millis + " ms";
    }
}
