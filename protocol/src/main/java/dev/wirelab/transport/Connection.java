package dev.wirelab.transport;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * One peer, reached through some transport: whole frames in, whole frames out.
 *
 * <p>Threads: {@link #send} is thread-safe and may block while the transport applies
 * back-pressure; {@link #receive} blocks and is called by one reader at a time; {@link #close} is
 * idempotent and may be called from any thread, waking a blocked reader.
 */
public interface Connection extends AutoCloseable {

    /** This end's address. */
    SocketAddress localAddress();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** What this connection really gives a frame sent with {@code requested}. */
    Guarantees guarantees(Delivery requested);

    /**
     * Sends one frame with the given delivery.
     *
     * @throws FrameTooLargeException     if the frame is over the limit; nothing was sent
     * @throws ConnectionClosedException if the connection has ended
     * @throws IOException                if the transport failed
     */
    void send(Frame frame, Delivery delivery) throws IOException;

    /**
     * Sends one frame with the given delivery, in order only with the frames sent with the same
     * {@code key} (see {@link OrderingKey}). A transport that carries one ordered stream ignores the
     * key, which is what this default does; UDP puts each key on a channel of its own.
     *
     * @throws FrameTooLargeException     if the frame is over the limit; nothing was sent
     * @throws ConnectionClosedException if the connection has ended
     * @throws IOException                if the transport failed
     */
    default void send(Frame frame, Delivery delivery, OrderingKey key) throws IOException {
        Objects.requireNonNull(key, "key");
        send(frame, delivery);
    }

    /** Sends one frame reliably and in order. */
    default void send(Frame frame) throws IOException {
        send(frame, Delivery.RELIABLE_ORDERED);
    }

    /** Sends one frame as {@link #send(Frame)} does, in order with the frames sent with the same {@code key}. */
    default void send(Frame frame, OrderingKey key) throws IOException {
        send(frame, Delivery.RELIABLE_ORDERED, key);
    }

    /**
     * Waits for the next frame.
     *
     * @throws FrameTooLargeException     the peer sent a frame over the limit, which was skipped; the
     *                                    connection is still usable and the next call reads on, unless
     *                                    the frame ran past {@code Framing.discardLimit()} without an end:
     *                                    then the next call ends the connection
     * @throws ConnectionClosedException the connection has ended and every earlier frame was read
     * @throws IOException                the transport failed
     */
    Frame receive() throws IOException;

    /** Traffic so far; callable from any thread at any time. */
    TrafficStats stats();

    /** Closes the connection; frames not yet sent may be lost. Idempotent. */
    @Override
    void close();
}
