package dev.wirelab.transport;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames moved between threads of one JVM, with no network at all: chat logic can be tested
 * without sockets, and the lab can show what the chat costs before any transport is involved.
 *
 * <p>Reliable and ordered, with back-pressure: each direction is a queue of at most
 * {@code queueFrames} frames, and a sender blocks while the peer's queue is full. Addresses are
 * {@link InetSocketAddress}es that only this transport instance knows; port 0 picks a free one.
 */
public final class MemoryTransport implements Transport {

    /** Frames queued per direction before a sender blocks. */
    public static final int QUEUE_FRAMES_DEFAULT = 1024;

    private static final System.Logger LOG = System.getLogger(MemoryTransport.class.getName());

    private final ConcurrentMap<SocketAddress, MemoryListener> listeners = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(49152);
    private final int queueFrames;

    private MemoryTransport(int queueFrames) {
        if (queueFrames <= 0) {
            throw new IllegalArgumentException("queueFrames must be positive: " + queueFrames);
        }
        this.queueFrames = queueFrames;
    }

    public static MemoryTransport create() {
        return new MemoryTransport(QUEUE_FRAMES_DEFAULT);
    }

    public static MemoryTransport create(int queueFrames) {
        return new MemoryTransport(queueFrames);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Listener listen(SocketAddress local, Framing framing, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(handler, "handler");
        SocketAddress address = local instanceof InetSocketAddress inet && inet.getPort() == 0
                ? freeAddress(inet.getAddress())
                : Objects.requireNonNull(local, "local");
        MemoryListener listener = new MemoryListener(address, framing, handler);
        if (listeners.putIfAbsent(address, listener) != null) {
            throw new BindException("memory address already in use: " + address);
        }
        return listener;
    }

    @Override
    public Connection connect(SocketAddress remote, Framing framing) throws IOException {
        MemoryListener listener = listeners.get(Objects.requireNonNull(remote, "remote"));
        if (listener == null) {
            throw new ConnectException("connection refused: nothing listens at " + remote + " in this JVM");
        }
        Pipe toServer = new Pipe(queueFrames);
        Pipe toClient = new Pipe(queueFrames);
        SocketAddress clientAddress = freeAddress(InetAddress.getLoopbackAddress());
        MemoryConnection client = new MemoryConnection(clientAddress, remote, toClient, toServer, framing);
        MemoryConnection server = new MemoryConnection(remote, clientAddress, toServer, toClient, listener.framing);
        listener.accept(server);
        return client;
    }

    private SocketAddress freeAddress(InetAddress host) {
        InetAddress address = host == null || host.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : host;
        return new InetSocketAddress(address, nextPort.getAndIncrement());
    }

    private final class MemoryListener implements Listener {
        private final SocketAddress address;
        private final Framing framing;
        private final ConnectionHandler handler;

        MemoryListener(SocketAddress address, Framing framing, ConnectionHandler handler) {
            this.address = address;
            this.framing = framing;
            this.handler = handler;
        }

        void accept(MemoryConnection connection) {
            Thread.ofVirtual().name("memory-" + connection.remoteAddress())
                    .start(() -> ConnectionHandler.serveThenClose(handler, connection, LOG));
        }

        @Override
        public SocketAddress localAddress() {
            return address;
        }

        @Override
        public void close() {
            listeners.remove(address, this);
        }
    }

    private static final class MemoryConnection implements Connection {
        private final SocketAddress local;
        private final SocketAddress remote;
        private final Pipe in;
        private final Pipe out;
        private final int maxFrameBytes;
        private final Framing framing;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong bytesIn = new AtomicLong();
        private final AtomicLong bytesOut = new AtomicLong();
        private final AtomicLong framesIn = new AtomicLong();
        private final AtomicLong framesOut = new AtomicLong();

        MemoryConnection(SocketAddress local, SocketAddress remote, Pipe in, Pipe out, Framing framing) {
            this.local = local;
            this.remote = remote;
            this.in = in;
            this.out = out;
            this.framing = framing;
            this.maxFrameBytes = framing.maxFrameBytes();
        }

        @Override
        public SocketAddress localAddress() {
            return local;
        }

        @Override
        public SocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public Guarantees guarantees(Delivery requested) {
            return new Guarantees(Delivery.RELIABLE_ORDERED, maxFrameBytes);
        }

        @Override
        public void send(Frame frame, Delivery delivery) throws IOException {
            // Encoding checks what a stream transport would refuse (size, a newline in a line), so code
            // that passes in memory also passes on TCP; the bytes are counted as they would travel.
            int wireBytes = framing.encode(frame).length;
            try {
                out.put(frame);
            } catch (ConnectionClosedException e) {
                throw fromOurSide(e);
            }
            framesOut.incrementAndGet();
            bytesOut.addAndGet(wireBytes);
        }

        @Override
        public Frame receive() throws IOException {
            Frame frame;
            try {
                frame = in.take();
            } catch (ConnectionClosedException e) {
                throw fromOurSide(e);
            }
            framesIn.incrementAndGet();
            bytesIn.addAndGet(frame.length() + framing.overheadBytes());
            return frame;
        }

        /** After our own close(), whatever the pipes saw first, the reason is LOCAL_CLOSE. */
        private ConnectionClosedException fromOurSide(ConnectionClosedException e) {
            return closed.get() && e.reason() != CloseReason.LOCAL_CLOSE
                    ? new ConnectionClosedException(CloseReason.LOCAL_CLOSE, "connection closed") : e;
        }

        @Override
        public TrafficStats stats() {
            return new TrafficStats(bytesIn.get(), bytesOut.get(), framesIn.get(), framesOut.get());
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                out.closeByWriter();
                in.closeByReader();
            }
        }

        @Override
        public String toString() {
            return "MemoryConnection[" + local + " -> " + remote + "]";
        }
    }
}
