/**
 * The TCP transport: frames over the JDK's blocking sockets, one virtual thread per connection.
 *
 * <p>{@link dev.wirelab.transport.tcp.TcpTransport} implements the
 * {@link dev.wirelab.transport.Transport} contract; every connection it gives is a
 * {@link dev.wirelab.transport.tcp.TcpConnection}, which adds traffic counters
 * ({@link dev.wirelab.transport.TrafficStats}) for the lab. Frames are cut by the
 * codec's {@link dev.wirelab.protocol.Framing} (newline-delimited lines or a 4-byte length prefix),
 * so TCP never looks inside a frame. TCP gives every frame reliably and in order whatever
 * {@link dev.wirelab.transport.Delivery} is asked, and says so.
 *
 * <p>The reader enforces the limits that keep a hostile or broken peer cheap: never more than one
 * frame buffered (an oversize frame is skipped and reported, an endless one closes the
 * connection), a deadline for finishing a frame once it has started (slowloris), an idle timeout;
 * the sender has a write deadline, watched by one thread per transport, so a peer that stops
 * reading is disconnected instead of blocking anyone.
 *
 * <p>Threads: accept loops run on platform threads, connections on virtual threads; senders take a
 * {@link java.util.concurrent.locks.ReentrantLock}, never {@code synchronized} around I/O. The
 * implementation classes are package-private.
 */
package dev.wirelab.transport.tcp;

