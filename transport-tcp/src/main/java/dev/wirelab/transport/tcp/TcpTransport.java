package dev.wirelab.transport.tcp;

import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.ConnectionHandler;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Frames over TCP with the JDK's blocking sockets, one virtual thread per connection.
 *
 * <pre>{@code
 * Transport tcp = TcpTransport.create();
 * try (Listener listener = tcp.listen(new InetSocketAddress(0), codec.framing(), connection -> {
 *     while (true) {
 *         connection.send(connection.receive());       // echo until the peer leaves
 *     }
 * })) {
 *     try (Connection client = tcp.connect(listener.localAddress(), codec.framing())) { ... }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Each listener runs its accept loop on a platform thread of its own; each
 * accepted socket is served by the {@link ConnectionHandler} on a new virtual thread, and the
 * transport closes the connection when the handler returns or throws (a throwable is logged
 * through {@link System.Logger}, never propagated). Reads and writes are plain blocking calls on
 * the caller's thread (see {@link TcpConnection}). One daemon watchdog thread per transport, alive
 * only while connections are open, aborts writes stuck past the write deadline. This class is
 * thread-safe: one transport may listen and connect many times at once.
 *
 * <p><b>Guarantees.</b> TCP is reliable and ordered, and this transport says so for every
 * {@link Delivery} asked of it: {@code guarantees(any)} is {@code RELIABLE_ORDERED} with the
 * framing's frame limit. The frame limit is the framing's ({@link Framing#maxFrameBytes()}), never
 * {@link Limits#maxFrameBytes()}; the reader never buffers more than one such frame plus one 8 KiB
 * read buffer.
 *
 * <p><b>Limits</b> used from {@link Limits}: {@link Limits#idleTimeout()} (no bytes received for
 * that long closes the connection, {@code LOST}), {@link Limits#lineCompletion()} (a frame must
 * end that long after its first byte, else {@code PROTOCOL_VIOLATION}: slowloris defence),
 * {@link Limits#writeDeadline()} (one write blocked longer closes the connection, {@code LOST}).
 * They apply to connections made by {@link #connect} as well as accepted ones. Sockets get
 * TCP_NODELAY on both sides; connecting gives up after the connect timeout.
 */
public final class TcpTransport implements Transport {

    /** How long {@link #connect} waits for the peer to answer, unless told otherwise. */
    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    /** Pending connections the kernel queues for the accept loop (capped by {@code somaxconn}). */
    static final int BACKLOG = 1024;

    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());

    private final Limits limits;
    private final Duration connectTimeout;
    private final LongSupplier nanoClock = System::nanoTime;
    private final Set<TcpConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger activeHandlers = new AtomicInteger();
    private final WriteWatchdog watchdog;

    private TcpTransport(Limits limits, Duration connectTimeout) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout must be positive and below 24 days: " + connectTimeout);
        }
        this.watchdog = new WriteWatchdog(open, limits.writeDeadline(), nanoClock);
    }

    /** A TCP transport with {@link Limits#DEFAULTS}. */
    public static TcpTransport create() {
        return create(Limits.DEFAULTS);
    }

    /** A TCP transport enforcing the timeouts of {@code limits}. */
    public static TcpTransport create(Limits limits) {
        return new TcpTransport(limits, CONNECT_TIMEOUT_DEFAULT);
    }

    /** A TCP transport enforcing {@code limits}, whose {@link #connect} gives up after {@code connectTimeout}. */
    public static TcpTransport create(Limits limits, Duration connectTimeout) {
        return new TcpTransport(limits, connectTimeout);
    }

    /** {@code tcp}. */
    @Override
    public String name() {
        return "tcp";
    }

    /** The limits this transport enforces. */
    public Limits limits() {
        return limits;
    }

    /**
     * Binds a server socket at {@code local} (port 0 picks a free port) and starts its accept loop.
     *
     * @throws IOException if the address cannot be bound
     */
    @Override
    public Listener listen(SocketAddress local, Framing framing, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(handler, "handler");
        ServerSocket server = new ServerSocket();
        try {
            server.bind(local, BACKLOG);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        TcpListener listener = new TcpListener(this, server, framing, handler);
        listener.start();
        return listener;
    }

    /**
     * Connects to {@code remote}, waiting at most the connect timeout.
     *
     * @throws java.net.ConnectException       if nothing listens there
     * @throws java.net.SocketTimeoutException if the peer did not answer in time
     */
    @Override
    public TcpConnection connect(SocketAddress remote, Framing framing) throws IOException {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(framing, "framing");
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(remote, (int) connectTimeout.toMillis());
            return open(socket, framing);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "TcpTransport[" + limits.idleTimeout() + " idle, " + limits.lineCompletion() + " per frame, "
                + limits.writeDeadline() + " per write]";
    }

    /** Connections open right now, accepted or connected; for tests. */
    int openConnections() {
        return open.size();
    }

    /** Handlers running right now; for tests. */
    int activeHandlers() {
        return activeHandlers.get();
    }

    /** The write watchdog; for tests. */
    WriteWatchdog watchdog() {
        return watchdog;
    }

    /** Called by a listener's accept loop: sets the socket up and serves it on a virtual thread. */
    void accepted(Socket socket, Framing framing, ConnectionHandler handler) {
        TcpConnection connection;
        try {
            socket.setTcpNoDelay(true);
            connection = open(socket, framing);
        } catch (IOException e) {
            // The peer may have reset already; nothing to serve.
            LOG.log(System.Logger.Level.DEBUG, "dropping {0} before serving it: {1}", socket, e);
            closeQuietly(socket);
            return;
        }
        activeHandlers.incrementAndGet();
        try {
            Thread.ofVirtual().name("wirelab-tcp-" + connection.remoteAddress()).start(() -> serve(connection, handler));
        } catch (RuntimeException e) {
            activeHandlers.decrementAndGet();
            connection.close();
            LOG.log(System.Logger.Level.WARNING, "could not start a thread for " + connection, e);
        }
    }

    private TcpConnection open(Socket socket, Framing framing) throws IOException {
        TcpConnection connection = new TcpConnection(socket, framing, limits, nanoClock, open::remove);
        open.add(connection);
        watchdog.connectionOpened();
        return connection;
    }

    private void serve(TcpConnection connection, ConnectionHandler handler) {
        try {
            ConnectionHandler.serveThenClose(handler, connection, LOG);
        } finally {
            activeHandlers.decrementAndGet();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing {0} failed: {1}", socket, e);
        }
    }
}
