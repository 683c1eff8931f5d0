package dev.wirelab.lab;

import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.StreamImpairer;
import dev.wirelab.transport.StreamModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The TCP side of {@code wirelab impair}: accepts clients, connects each to the server, and pumps
 * bytes both ways, each direction through a {@link StreamModel}: every chunk read is held back by
 * the delay and jitter (in order), throttled by the rate, stalled one RTO when the model "loses"
 * it, and the connection reset (a real RST both ways) when the model resets it.
 *
 * <p>What passes through as it would without the relay: a half-close (the relay reads the end of one
 * side, delivers what is still delayed, then shuts its output down toward the other side); a reset
 * from either side (the relay drops what is queued and resets the other side); a server that does
 * not answer (the client is reset). Connection <i>n</i> (0-based, in accept order) draws from seeds
 * {@code seed + 2n} toward the server and {@code seed + 1 + 2n} toward the client, so the first
 * connection uses the same seeds as the UDP relay. Which chunks stall depends on how the bytes were
 * cut by the reads, which depends on timing; for frame-exact replay use {@code --impair} instead.
 *
 * <p>Threads: one virtual thread accepts; per connection one virtual thread reads each side and a
 * {@link StreamImpairer} thread writes each side. Reading stops while a direction's queue is full,
 * so TCP's own flow control pushes back on the sender.
 */
final class TcpRelay implements Relay {

    /** The most one read takes, and so the largest chunk the model sees. */
    static final int CHUNK_BYTES = 16 * 1024;

    /** How long the relay waits for the server to accept a connection. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** A half-closed direction delivers everything still delayed, however long that takes. */
    private static final Duration NO_LINGER_LIMIT = Duration.ofDays(1);

    private static final System.Logger LOG = System.getLogger(TcpRelay.class.getName());

    private final ServerSocket listener;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress server;
    private final Impairment toServer;
    private final Impairment toClient;
    private final LongSupplier clock;
    private final Set<Pair> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final LongAdder bytesToServer = new LongAdder();
    private final LongAdder bytesToClient = new LongAdder();
    private final LongAdder retiredStallsToServer = new LongAdder();
    private final LongAdder retiredStallsToClient = new LongAdder();
    private final LongAdder impairmentResets = new LongAdder();
    private final LongAdder peerResets = new LongAdder();
    private final ReentrantLock countsLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptLoop;

    private TcpRelay(ServerSocket listener, InetSocketAddress server, Impairment toServer, Impairment toClient,
            LongSupplier clock) {
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalSocketAddress();
        this.server = server;
        this.toServer = toServer;
        this.toClient = toClient;
        this.clock = clock;
        this.acceptLoop = Thread.ofVirtual().name("wirelab-impair-tcp-accept").start(this::acceptLoop);
    }

    /**
     * Binds {@code listen} and starts relaying to {@code server}.
     *
     * @param toServer what happens to bytes from clients (connection n uses seed + 2n)
     * @param toClient what happens to bytes from the server (connection n uses seed + 2n)
     * @throws IOException if {@code listen} cannot be bound
     */
    static TcpRelay start(InetSocketAddress listen, InetSocketAddress server, Impairment toServer,
            Impairment toClient, LongSupplier clock) throws IOException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(toServer, "toServer");
        Objects.requireNonNull(toClient, "toClient");
        Objects.requireNonNull(clock, "clock");
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(listen, 128);
            return new TcpRelay(listener, server, toServer, toClient, clock);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Connections open now. */
    int openConnections() {
        return open.size();
    }

    @Override
    public String statusLine() {
        long stallsUp;
        long stallsDown;
        int openNow;
        countsLock.lock(); // a connection retiring moves its stalls from open to retired at once
        try {
            stallsUp = retiredStallsToServer.sum();
            stallsDown = retiredStallsToClient.sum();
            for (Pair pair : open) {
                stallsUp += pair.up.model().stats().stalled();
                stallsDown += pair.down.model().stats().stalled();
            }
            openNow = open.size();
        } finally {
            countsLock.unlock();
        }
        return String.format(Locale.ROOT,
                "tcp: to server %d B, %d stalled; to client %d B, %d stalled; %d connection(s) open, %d in all; "
                        + "%d reset by the impairment, %d resets passed on",
                bytesToServer.sum(), stallsUp, bytesToClient.sum(), stallsDown, openNow, accepted.get(),
                impairmentResets.sum(), peerResets.sum());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(listener);
        for (Pair pair : open) {
            pair.close();
        }
        try {
            acceptLoop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "accept failed: {0}", e.toString());
                try {
                    Thread.sleep(100); // out of file descriptors, say: do not spin
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            long index = accepted.getAndIncrement();
            Thread.ofVirtual().name("wirelab-impair-tcp-" + client.getRemoteSocketAddress()).start(() -> connect(client, index));
        }
    }

    private void connect(Socket client, long index) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(server, (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot reach {0} for {1}: {2}; resetting the client",
                    HostPort.format(server), HostPort.format(client.getRemoteSocketAddress()), e.getMessage());
            reset(client);
            closeQuietly(upstream);
            return;
        }
        Pair pair = new Pair(client, upstream, index);
        open.add(pair);
        if (closed.get()) {
            pair.close();
            return;
        }
        LOG.log(System.Logger.Level.INFO, () -> "connection " + index + ": " + HostPort.format(client.getRemoteSocketAddress())
                + " -> " + HostPort.format(server));
        pair.start();
    }

    /**
     * One client and its connection to the server. {@code up} carries client bytes to the server,
     * {@code down} server bytes to the client.
     */
    private final class Pair {
        final Socket client;
        final Socket upstream;
        final long index;
        final StreamImpairer<byte[]> up;
        final StreamImpairer<byte[]> down;
        final AtomicInteger halvesDone = new AtomicInteger();
        final AtomicBoolean ended = new AtomicBoolean();

        Pair(Socket client, Socket upstream, long index) {
            this.client = client;
            this.upstream = upstream;
            this.index = index;
            this.up = StreamImpairer.start("wirelab-impair-tcp-" + index + "-up",
                    new StreamModel(toServer.withSeed(toServer.seed() + 2 * index)), clock, sink(upstream, bytesToServer));
            this.down = StreamImpairer.start("wirelab-impair-tcp-" + index + "-down",
                    new StreamModel(toClient.withSeed(toClient.seed() + 2 * index)), clock, sink(client, bytesToClient));
        }

        void start() {
            Thread.ofVirtual().name("wirelab-impair-tcp-" + index + "-read-client").start(() -> pump(client, up));
            Thread.ofVirtual().name("wirelab-impair-tcp-" + index + "-read-server").start(() -> pump(upstream, down));
        }

        private StreamImpairer.Sink<byte[]> sink(Socket to, LongAdder bytes) {
            return new StreamImpairer.Sink<>() {
                @Override
                public void deliver(byte[] chunk) throws IOException {
                    to.getOutputStream().write(chunk);
                    bytes.add(chunk.length);
                }

                @Override
                public void ended(StreamImpairer.End end) {
                    switch (end) {
                        case StreamImpairer.End.Finished finished -> halfClose(to);
                        case StreamImpairer.End.Expired expired -> halfClose(to);
                        case StreamImpairer.End.Reset reset -> {
                            impairmentResets.increment();
                            LOG.log(System.Logger.Level.INFO, "connection {0}: reset by the impairment", index);
                            resetBoth();
                        }
                        case StreamImpairer.End.Failed failed -> {
                            if (!ended.get()) {
                                // The side we write to is gone (reset): tell the other side the same way.
                                peerResets.increment();
                                LOG.log(System.Logger.Level.INFO, "connection {0}: write failed ({1}); resetting",
                                        index, failed.cause().getMessage());
                                resetBoth();
                            }
                        }
                    }
                }
            };
        }

        /** Reads one side until its end, queueing each chunk on {@code impairer}. */
        private void pump(Socket from, StreamImpairer<byte[]> impairer) {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        impairer.finish(NO_LINGER_LIMIT); // the sink half-closes the other side once all is out
                        return;
                    }
                    if (n > 0 && !impairer.offer(Arrays.copyOf(buffer, n), n)) {
                        return; // reset or failed: the pair is ending
                    }
                }
            } catch (IOException e) {
                if (!ended.get()) {
                    // "Connection reset": the peer sent RST (or vanished); pass it on.
                    peerResets.increment();
                    LOG.log(System.Logger.Level.INFO, "connection {0}: {1} reset ({2}); resetting the other side",
                            index, from == client ? "client" : "server", e.getMessage());
                    resetBoth();
                }
            }
        }

        private void halfClose(Socket to) {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "connection {0}: shutdownOutput: {1}", index, e);
            }
            if (halvesDone.incrementAndGet() == 2) {
                close();
            }
        }

        /** Both directions finished, or the relay stops: an orderly close. */
        void close() {
            if (ended.compareAndSet(false, true)) {
                up.abort();
                down.abort();
                closeQuietly(client);
                closeQuietly(upstream);
                retire();
            }
        }

        void resetBoth() {
            if (ended.compareAndSet(false, true)) {
                up.abort();
                down.abort();
                reset(client);
                reset(upstream);
                retire();
            }
        }

        private void retire() {
            countsLock.lock();
            try {
                if (!open.remove(this)) {
                    return;
                }
                retiredStallsToServer.add(up.model().stats().stalled());
                retiredStallsToClient.add(down.model().stats().stalled());
            } finally {
                countsLock.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, "connection {0} ended", index);
        }
    }

    /** Closes with SO_LINGER 0: the peer gets an RST, not a FIN. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "SO_LINGER: {0}", e.toString());
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "close: {0}", e.toString());
        }
    }
}
